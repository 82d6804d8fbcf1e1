"""Service-hub bookings of one agency: a slot for a person, linked to a ticket. Home: the
agency's schema."""
