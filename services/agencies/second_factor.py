"""The second factor's pages (tenants/second_factor.py says who must give one): enrolling an
authenticator app (TOTP, RFC 6238; the QR code drawn by segno) or a passkey (WebAuthn:
services/agencies/passkeys.py) with ten recovery codes shown once, and giving a code or using
the passkey after signing in. django-otp keeps the devices (in public, per
identity) and throttles wrong codes; every enrolment, success and failure is an audit row."""

from __future__ import annotations

import base64
from typing import Any, cast
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.agencies.federation.pages import sign_in_buttons
from services.audit.actions import record_event
from tenants.models import User
from tenants.second_factor import MFA_PATH
from tenants.viewer import host_agency_of

ENROL_PATH = MFA_PATH + "enrol/"


class SignInView(LoginView):
    """Django's sign-in, and a button for each of the host's identity providers; the page
    says when no second factor is asked (the demo)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "mfa_required": settings.SAMNAV_MFA_REQUIRED,
            "identity_providers": sign_in_buttons(self.request),
        }


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_l("Code"),
        max_length=16,
        help_text=_l("The six digits your authenticator app shows, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else "/"


def _audit(request: HttpRequest, action: str, **details: Any) -> None:
    user = cast(User, request.user)
    record_event(user, action, user, agency=host_agency_of(request), **details)


def _has_device(user: User) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Give a code after signing in (or enrol, when no device is confirmed yet)."""
    user = cast(User, request.user)
    if not _has_device(user):
        return redirect(f"{ENROL_PATH}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "")
        device = match_token(user, code)
        if device is not None:
            otp_login(request, device)
            _audit(request, "signin.second_factor", kind=type(device).__name__)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You used a recovery code: %(left)s left.") % {"left": left},
                )
            return redirect(_next(request))
        _audit(request, "signin.second_factor_failed")
        form.add_error("code", _("The code is not right, or it was used already."))
    return render(
        request, "registration/second_factor.html", {"form": form, "next": _next(request)}
    )


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code, type the code it shows; then the recovery
    codes are shown, once."""
    user = cast(User, request.user)
    if _has_device(user) and not user.is_verified():  # type: ignore[attr-defined]
        return redirect(f"{MFA_PATH}?{urlencode({'next': _next(request)})}")  # give it first
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            otp_login(request, device)
            _audit(request, "signin.second_factor_enrolled")
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        form.add_error(
            "code", _("The code is not right. Check the time on your phone and try again.")
        )
    uri = device.config_url
    secret = device.key and _base32(device)
    qr = segno.make(uri, micro=False).svg_inline(scale=4, dark="#000", light="#fff")
    return render(
        request,
        "registration/second_factor_enrol.html",
        {"form": form, "qr": qr, "secret": secret, "next": _next(request)},
    )


@login_required
def recovery(request: HttpRequest) -> HttpResponse:
    """After a passkey is added as the first factor of an identity: its recovery codes, shown
    once (an authenticator app's enrolment shows them itself). Otherwise on to `next`."""
    user = cast(User, request.user)
    has_codes = StaticToken.objects.filter(device__user=user).exists()
    if has_codes or not user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next(request))
    codes = _new_recovery_codes(user)
    return render(
        request, "registration/recovery_codes.html", {"codes": codes, "next": _next(request)}
    )


def _base32(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _new_recovery_codes(user: User) -> list[str]:
    """Ten new single-use recovery codes (any earlier ones stop working)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.SAMNAV_MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
