"""Inbound endpoints of support on the central host: e-mail from the mail gateway, SMS from
the SMS provider's webhook. Both are machine-to-machine: no session, no CSRF token, but a
shared secret (e-mail: X-Samnav-Token) or a signature of the body (SMS: X-Samnav-Signature).
Without it a request is refused (403) and logged; an empty secret refuses everything.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.parse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from services.support.channels import email_in, sms
from services.support.inbound import actions as inbound

log = logging.getLogger("samnav.support.inbound")

TOKEN_HEADER = "X-Samnav-Token"


def _refuse(request: HttpRequest, channel: str, reason: str) -> JsonResponse:
    log.warning(
        "inbound %s refused: %s (from %s)", channel, reason, request.META.get("REMOTE_ADDR", "?")
    )
    return JsonResponse({"status": "refused", "error": _("Not authorised.")}, status=403)


def _token_ok(request: HttpRequest) -> tuple[bool, str]:
    secret = settings.SAMNAV_INBOUND_EMAIL_TOKEN
    if not secret:
        return False, "SAMNAV_INBOUND_EMAIL_TOKEN is not set"
    given = request.headers.get(TOKEN_HEADER, "")
    if not given:
        return False, f"no {TOKEN_HEADER} header"
    if not hmac.compare_digest(given.encode(), secret.encode()):
        return False, f"wrong {TOKEN_HEADER}"
    return True, ""


def _read_limited(request: HttpRequest, limit: int) -> bytes | None:
    """The raw body, read from the stream (Django's 2.5 MB form limit does not fit mail with
    attachments); None when it is larger than `limit`."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    raw = request.read(limit + 1)
    return None if len(raw) > limit else raw


@csrf_exempt
@require_POST
def inbound_email(request: HttpRequest) -> JsonResponse:
    """A raw RFC 822 message (Content-Type: message/rfc822) from the mail gateway."""
    ok, reason = _token_ok(request)
    if not ok:
        return _refuse(request, "e-mail", reason)
    if request.content_type != "message/rfc822":
        return JsonResponse(
            {"status": "rejected", "error": _("Send the raw message as message/rfc822.")},
            status=415,
        )
    limit = settings.SAMNAV_INBOUND_EMAIL_MAX_BYTES
    raw = _read_limited(request, limit)
    if raw is None:
        return JsonResponse(
            {
                "status": "rejected",
                "error": _("The message is larger than %(max)s bytes.") % {"max": limit},
            },
            status=413,
        )
    try:
        outcome = email_in.process(raw)
    except email_in.MalformedMail as exc:
        log.warning("inbound e-mail rejected: %s", exc)
        return JsonResponse({"status": "rejected", "error": str(exc)}, status=400)
    status = {"opened": 201, "replied": 200, "duplicate": 200}.get(outcome.status, 202)
    return JsonResponse(
        {
            "status": outcome.status,
            "ticket": outcome.reference or None,
            "dropped": [name for name, _why in outcome.dropped],
        },
        status=status,
    )


def _sms_fields(request: HttpRequest, raw: bytes) -> tuple[str, str, str]:
    """`from`, `message` and the provider's `id` (empty when it sends none); each must be text."""
    if request.content_type == "application/json":
        try:
            data = json.loads(raw or b"{}")
        except ValueError as exc:
            raise ValidationError(_("Not valid JSON.")) from exc
        if not isinstance(data, dict):
            raise ValidationError(_("Not valid JSON."))
    else:
        form = urllib.parse.parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
        data = {key: values[0] for key, values in form.items()}
    fields = []
    for name in ("from", "message", "id"):
        value = data.get(name)
        if value is not None and not isinstance(value, str | int):
            raise ValidationError({name: ValidationError(_("Must be text."))})
        fields.append("" if value is None else str(value))
    return fields[0], fields[1], fields[2]


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest) -> JsonResponse:
    """An SMS from the provider's webhook: `from`, `message` and its `id`, form-encoded or
    JSON, signed with HMAC-SHA256 of "<unix time>." and the raw body (X-Samnav-Timestamp,
    X-Samnav-Signature: sha256=<hex>). A delivery taken before is answered as it was then, and
    files nothing."""
    secret = settings.SAMNAV_SMS_WEBHOOK_SECRET
    if not secret:
        return _refuse(request, "SMS", "SAMNAV_SMS_WEBHOOK_SECRET is not set")
    limit = settings.SAMNAV_SMS_MAX_BYTES
    raw = _read_limited(request, limit)
    if raw is None:
        message = _("The message is larger than %(max)s bytes.") % {"max": limit}
        return JsonResponse({"status": "rejected", "error": message}, status=413)
    timestamp = request.headers.get(sms.TIMESTAMP_HEADER, "")
    if not sms.signature_ok(secret, raw, request.headers.get(sms.SIGNATURE_HEADER, ""), timestamp):
        return _refuse(request, "SMS", "missing, bad or stale signature")
    try:
        number, text, provider_id = _sms_fields(request, raw)
    except ValidationError as exc:
        return _rejected(exc)
    key = provider_id or hashlib.sha256(f"{timestamp}.".encode() + raw).hexdigest()
    with transaction.atomic():  # the claim stands only if the message is filed
        delivery = inbound.first_delivery("sms", key)
        if delivery is None:
            answer = inbound.earlier_answer("sms", key)
            log.info("inbound SMS %s already taken: nothing filed", key[:40])
            return JsonResponse({**answer, "status": "duplicate"}, status=200)
        try:
            outcome = sms.process(number, text)
        except ValidationError as exc:
            inbound.record_answer(delivery, {"status": "rejected"})
            return _rejected(exc)
        ticket = sms.reference(outcome.ticket_id) if outcome.ticket_id else None
        answer = {"status": outcome.status, "ticket": ticket}
        inbound.record_answer(delivery, answer)
    status = {"opened": 201, "replied": 200}.get(outcome.status, 202)
    return JsonResponse(answer, status=status)


def _rejected(exc: ValidationError) -> JsonResponse:
    log.warning("inbound SMS rejected: %s", "; ".join(exc.messages))
    return JsonResponse({"status": "rejected", "error": " ".join(exc.messages)}, status=400)
