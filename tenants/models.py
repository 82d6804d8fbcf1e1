"""Agencies (tenants), their domains, identities, role grants and API tokens. Home: public."""

import datetime
import hashlib
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.counties import COUNTY_CHOICES
from tenants.roles import AGENCY_ROLES, CENTRAL_ROLES, Role

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]


class AgencyState(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    OFFBOARDED = "offboarded", _("Offboarded")


class AgencyKind(models.TextChoices):
    CENTRAL = "central", _("Central IT")
    TEMPLATE = "template", _("Template")
    AGENCY = "agency", _("Agency")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def members(self) -> "AgencyQuerySet":
        """Member agencies: neither central IT's public row nor the template."""
        return self.filter(kind=AgencyKind.AGENCY)


class Agency(TenantMixin):
    """A member agency with its own schema. Central IT (public) and the template are rows too."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    kind = models.CharField(max_length=16, choices=AgencyKind.choices, default=AgencyKind.AGENCY)
    org_number = models.CharField(_("organisation number"), max_length=11, blank=True)
    security_level = models.PositiveSmallIntegerField(
        _("required security level"), default=2, validators=LEVEL_VALIDATORS
    )
    availability_level = models.PositiveSmallIntegerField(
        _("required availability level"), default=2, validators=LEVEL_VALIDATORS
    )
    headcount = models.PositiveIntegerField(_("headcount"), default=0)
    # Where the agency's main office is: field visits to "the office" go to this county.
    county = models.CharField(_("county"), max_length=2, choices=COUNTY_CHOICES, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=AgencyState.choices, default=AgencyState.ONBOARDING
    )
    state_reason = models.CharField(_("reason for the state"), max_length=500, blank=True)
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        help_text=_("Demo agencies carry invented figures and checksum-valid demo numbers."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    auto_create_schema = True
    auto_drop_schema = False

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_number"], condition=~Q(org_number=""), name="agency_org_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(security_level__gte=1, security_level__lte=4)
                & Q(availability_level__gte=1, availability_level__lte=4),
                name="agency_levels_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Member agencies are cloned from the template; the template itself is migrated."""
        from django.conf import settings
        from django_tenants.utils import schema_exists

        from tenants.schemas import clone_template

        if self.state == AgencyState.OFFBOARDED:
            return False  # its schema was archived and dropped; a save must not recreate it
        if (
            self.kind == AgencyKind.AGENCY
            and sync_schema
            and schema_exists(settings.TENANT_BASE_SCHEMA)
        ):
            if check_if_exists and schema_exists(self.schema_name):
                return False
            clone_template(self.schema_name)
            return True
        return super().create_schema(check_if_exists, sync_schema, verbosity)

    @property
    def is_member(self) -> bool:
        return self.kind == AgencyKind.AGENCY

    @property
    def is_usable(self) -> bool:
        return self.state == AgencyState.ACTIVE


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class IdentityManager(BaseUserManager["User"]):
    def create_user(self, username: str, password: str | None = None, **extra):
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra):
        return self.create_user(username, password, is_staff=True, is_superuser=True, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One identity per person for the whole federation.

    Holds only what sign-in needs. An agency person's name and contact details live in that
    agency's schema (services.people), never here.
    """

    username = models.CharField(_("username"), max_length=150, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the Django admin"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = IdentityManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return self.username


class RoleGrantQuerySet(models.QuerySet):
    def central(self):
        return self.filter(agency__isnull=True)


class RoleGrant(models.Model):
    """A role for one agency (agency roles) or for the federation (central roles)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="grants"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency"], name="rolegrant_unique_agency"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(agency__isnull=True),
                name="rolegrant_unique_central",
            ),
            models.CheckConstraint(
                condition=(Q(role__in=sorted(AGENCY_ROLES)) & Q(agency__isnull=False))
                | (Q(role__in=sorted(CENTRAL_ROLES)) & Q(agency__isnull=True)),
                name="rolegrant_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.agency or 'central'}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_expiry() -> datetime.datetime:
    """When a token issued now expires: SAMNAV_API_TOKEN_DAYS from now."""
    return timezone.now() + datetime.timedelta(days=settings.SAMNAV_API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the token is shown once. It
    signs in until it is revoked or expires, whichever comes first (tenants/middleware.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), default=token_expiry)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
