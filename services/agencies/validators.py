"""Validation of agency identity fields. Each raises ValidationError naming the field."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.se import orgnr

from services.agencies.errors import AgencyErrorCode

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
RESERVED_SLUGS = frozenset(
    {
        "public",
        "www",
        "admin",
        "template",
        "samnav",
        "samnav-template",
        "api",
        "graphql",
        "static",
        "media",
        "mail",
        "smtp",
        "imap",
        "central",
        "app",
        "portal",
        "login",
        "auth",
        "status",
        "healthz",
        "readyz",
        "metrics",
        "pg",
        "postgres",
        "information-schema",
    }
)


def validate_slug(slug: str) -> str:
    slug = (slug or "").strip()
    if not SLUG_RE.match(slug) or "--" in slug:
        raise ValidationError(
            {
                "slug": ValidationError(
                    _(
                        "Use 3 to 40 lower-case letters a-z, digits and single hyphens, "
                        "starting with a letter."
                    ),
                    code=AgencyErrorCode.INVALID,
                )
            }
        )
    if slug in RESERVED_SLUGS or slug.startswith("pg-"):
        raise ValidationError(
            {
                "slug": ValidationError(
                    _("'%(slug)s' is reserved.") % {"slug": slug}, code=AgencyErrorCode.RESERVED
                )
            }
        )
    return slug


def validate_org_number(number: str) -> str:
    """A Swedish organisation number (organisationsnummer), returned as NNNNNN-NNNN."""
    try:
        return orgnr.format(orgnr.validate(number or ""))
    except Exception as exc:  # stdnum raises its own ValidationError subclasses
        raise ValidationError(
            {
                "org_number": ValidationError(
                    _("Not a valid Swedish organisation number (%(reason)s).")
                    % {"reason": str(exc) or exc.__class__.__name__},
                    code=AgencyErrorCode.INVALID,
                )
            }
        ) from exc


def validate_level(field: str, value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 4:
        raise ValidationError(
            {
                field: ValidationError(
                    _("Must be a whole number from 1 to 4."), code=AgencyErrorCode.OUT_OF_RANGE
                )
            }
        )
    return value
