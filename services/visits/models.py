"""Field visits of one agency: the place (an address is personal data), the acceptable time
windows, dispatch, and what happened on site. Home: the agency's schema."""
