"""Settings of the server the browser tests drive (tests/browser/): the test settings, with
the product's own default language (Swedish), as a user meets it."""

from .test import *  # noqa: F403

LANGUAGE_CODE = "sv"
DEBUG = False
SAMNAV_INBOUND_EMAIL_TOKEN = "browser-inbound-token"  # the e-mail journey posts mail as the gateway
