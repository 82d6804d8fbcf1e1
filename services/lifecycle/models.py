"""Device lifecycle of one agency: replacement proposals for devices whose warranty or planned
replacement is near. Home: the agency's schema."""
