"""Django admin of the shared catalogue, for catalogue managers (staff users on the central
host). Lists load their related rows in one query; every save goes through the catalogue's
actions, which check their rules and record it in the audit log.

Price versions are append-only here, as in `actions.add_price`: an order, a subscription and
every later report keep the price that was valid when it was made.
"""

from services.catalogue.admin import agreements, offerings, service

__all__ = ["agreements", "offerings", "service"]
