"""Federated sign-in per agency (issue 19): the agency's identity providers, OpenID Connect and
SAML 2, signed in through django-allauth (docs/decisions/2026-12-07-federated-sign-in.md)."""
