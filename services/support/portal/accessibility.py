"""The accessibility statement (tillgänglighetsredogörelse) of each host, after the model of
the Agency for Digital Government (DIGG): how accessible the service is, its known gaps, how to
report a problem, and the enforcement body. Linked from every page's footer.

Readable by anyone, signed in or not (the law asks that it be public). A member of the host's
agency reports a problem with a form that opens a ticket for them; everyone else is given the
service desk's e-mail address, whose mail becomes a ticket too (channels/email_in.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from portal.forms import submit
from services.outbox.mail import support_address
from services.support import actions, policies
from services.support.models import Channel, Kind, Ticket
from services.support.portal.access import require_member
from tenants.models import User
from tenants.viewer import host_agency_of, of_request

REVIEWED_ON = dt.date(2026, 12, 7)  # the statement's last review, shown on the page
DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"

# What we know is not yet accessible, and what we do about it (reviewed with the statement).
KNOWN_GAPS = (
    _l(
        "The administration pages that only central IT's operators use are Django's own; we "
        "check one page of each kind automatically, not every one."
    ),
)

# How the statement's claims are checked (shown on the page, so a reader can judge them).
CHECKS = (
    _l(
        "Every page, in every role that can open it, in Swedish and in English, is checked "
        "with the axe-core tool against WCAG 2.1 A and AA, also after its forms show errors."
    ),
    _l("Every page is checked at 320 pixels' width (400 % zoom) and in forced-colours mode."),
    _l(
        "Ordering, reporting a problem, the monthly cost run and handling a ticket are tested "
        "with the keyboard alone."
    ),
    _l("The PDF cost statements are tagged PDF/UA documents with a language and a title."),
)


class ReportForm(forms.Form):
    page = forms.CharField(
        label=_l("Where is the problem?"),
        max_length=200,
        help_text=_l("The page's name or address, e.g. Report a problem."),
    )
    description = forms.CharField(
        label=_l("What did not work?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_l("What you tried to do, and what happened. Say which aids you use, if any."),
    )


def _may_report(request: HttpRequest) -> bool:
    return host_agency_of(request) is not None and policies.is_member(of_request(request))


def _page(request: HttpRequest, form: ReportForm | None, status: int = 200) -> HttpResponse:
    context = {
        "gaps": KNOWN_GAPS,
        "checks": CHECKS,
        "reviewed_on": REVIEWED_ON,
        "digg_url": DIGG_REPORT_URL,
        "support_email": support_address(),
        "form": form,
    }
    return render(request, "support/accessibility.html", context, status=status)


def statement(request: HttpRequest) -> HttpResponse:
    return _page(request, ReportForm() if _may_report(request) else None)


@login_required
@require_POST
def report(request: HttpRequest) -> HttpResponse:
    """A member's report of an accessibility problem: a ticket of their own, kind question."""
    require_member(request)
    agency = host_agency_of(request)
    if agency is None:  # the central host: no agency to file the ticket in
        raise PermissionDenied(_("Report from your agency's Samnav, or by e-mail."))
    form = ReportForm(request.POST)

    def act(data: dict[str, Any]) -> Ticket:
        user = cast(User, request.user)
        return actions.open_ticket(
            agency,
            actions.requester_for(agency, user),
            actions.NewTicket(
                subject=(_("Accessibility: %(page)s") % {"page": data["page"]})[:200],
                description=data["description"],
                kind=Kind.QUESTION,
            ),
            channel=Channel.WEB,
            actor=user,
        )

    ticket = submit(form, act)
    if ticket is None:
        return _page(request, form, status=400)
    messages.success(request, _("Thank you. Your report is registered as a ticket."))
    return redirect("support:detail", pk=ticket.pk)
