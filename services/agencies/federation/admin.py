"""The admin shows identity providers and never writes them: they are configured through
the actions (the portal's page, GraphQL). allauth's own admin pages (apps, accounts, tokens,
e-mail addresses) would write around those actions: not offered."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin

from config.readonly_admin import ReadOnlyAdmin
from services.agencies.federation.models import IdentityProvider

for _model in (SocialApp, SocialAccount, SocialToken, EmailAddress):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(IdentityProvider)
class IdentityProviderAdmin(ReadOnlyAdmin):
    list_display = ("name", "agency", "kind", "key", "is_active")
    list_filter = ("kind", "is_active")
    exclude = ("metadata_xml",)
