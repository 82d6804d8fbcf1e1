"""SCIM 2.0 (RFC 7643, 7644) on an agency's host: its identity provider provisions the
agency's people register with one of the agency's SCIM tokens (services/people/scim)."""
