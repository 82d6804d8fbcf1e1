"""SCIM 2.0 provisioning of an agency's people register (issue 19): the agency's SCIM tokens.
The protocol endpoints are api/scim/views.py; the writes are services/people/scim_actions.py."""
