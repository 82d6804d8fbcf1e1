"""Whether an inbound mail's From can be believed: the receiving gateway's verdict, read from
its Authentication-Results header (RFC 8601; parsed with `authres`).

The gateway (the MX that receives the agencies' support mail) checks SPF, DKIM and DMARC and
adds one `Authentication-Results: <authserv-id>; ...` header at the top. Only a header with our
gateway's authserv-id (SAMNAV_INBOUND_EMAIL_AUTHSERV_ID) counts; any other, or one further
down, may have been written by the sender. The mail is authenticated when that header says:

- dmarc=pass; or, when it gives no DMARC result,
- dkim=pass for a signing domain (header.d) aligned with the From domain, or spf=pass for an
  envelope sender (smtp.mailfrom) aligned with it. Aligned: the same domain, or one a
  subdomain of the other (DMARC's relaxed alignment, without the public-suffix list).

Anything else (no header from our gateway, dmarc=fail, passes only for other domains) is not
authenticated: the mail is held for the service desk (services/support/inbound/), never filed
as its sender and never answered, so a forged From neither writes on a person's ticket nor
sends mail to them. With no authserv-id configured, no mail is authenticated.
"""

from __future__ import annotations

from dataclasses import dataclass

import authres
from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Verdict:
    authenticated: bool
    reason: str  # what the gateway said, in words, for the held-mail list


def _aligned(domain: str, from_domain: str) -> bool:
    domain, from_domain = domain.lower().rstrip("."), from_domain.lower().rstrip(".")
    return bool(domain) and (
        domain == from_domain
        or from_domain.endswith("." + domain)
        or domain.endswith("." + from_domain)
    )


def _property(result: authres.core.AuthenticationResult, name: str) -> str:
    for prop in result.properties:
        if f"{prop.type}.{prop.name}".lower() == name:
            return str(prop.value or "")
    return ""


def _ours(headers: list[str]) -> authres.AuthenticationResultsHeader | None:
    """The topmost Authentication-Results header our gateway wrote, if any."""
    expected = settings.SAMNAV_INBOUND_EMAIL_AUTHSERV_ID.strip().lower()
    if not expected:
        return None
    for value in headers:
        try:
            header = authres.AuthenticationResultsHeader.parse_value(value)
        except Exception:  # noqa: BLE001, S112 - a header we cannot read proves nothing
            continue
        if str(header.authserv_id or "").lower() == expected:
            return header
    return None


def verdict(headers: list[str], sender: str) -> Verdict:
    """Whether `sender` (the From address) is authenticated by the gateway's `headers`
    (every Authentication-Results value, top first)."""
    header = _ours(headers)
    if header is None:
        return Verdict(False, _("No authentication results from the mail gateway."))
    from_domain = sender.rsplit("@", 1)[-1]
    results = {r.method.lower(): r for r in header.results if r.method}
    summary = ", ".join(f"{r.method}={r.result}" for r in header.results) or "none"
    dmarc = results.get("dmarc")
    if dmarc is not None:
        passed = str(dmarc.result).lower() == "pass"
    else:
        dkim, spf = results.get("dkim"), results.get("spf")
        passed = bool(
            dkim is not None
            and str(dkim.result).lower() == "pass"
            and _aligned(_property(dkim, "header.d"), from_domain)
        ) or bool(
            spf is not None
            and str(spf.result).lower() == "pass"
            and _aligned(_property(spf, "smtp.mailfrom").rsplit("@", 1)[-1], from_domain)
        )
    if passed:
        return Verdict(True, summary)
    return Verdict(
        False,
        _("The mail gateway could not confirm the sender %(sender)s (%(results)s).")
        % {"sender": sender, "results": summary},
    )
