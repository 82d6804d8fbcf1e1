"""The chat page: a conversation with the service desk that is a ticket underneath (channel
chat). New lines appear without reloading (htmx polls the conversation every few seconds)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from portal.forms import submit
from services.support.channels import chat
from services.support.models import Channel, Ticket
from services.support.portal.access import require_member
from tenants.models import User


class ChatForm(forms.Form):
    text = forms.CharField(label=_("Message"), max_length=2000)


def _my_chat(request: HttpRequest, pk: int) -> Ticket:
    ticket = (
        Ticket.objects.filter(pk=pk, channel=Channel.CHAT, requester__user_id=request.user.pk)
        .prefetch_related("messages__author_person")
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


@login_required
def start(request: HttpRequest) -> HttpResponse:
    require_member(request)
    form = ChatForm(request.POST or None)
    if request.method == "POST":
        ticket = submit(
            form,
            lambda d: chat.start_chat(
                request.tenant,  # type: ignore[attr-defined]  # django-tenants middleware
                cast(User, request.user),
                d["text"],
            ),
        )
        if ticket is not None:
            return redirect("support:chat", pk=ticket.pk)
    return render(request, "support/chat_start.html", {"form": form})


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    require_member(request)
    ticket = _my_chat(request, pk)
    form = ChatForm(request.POST or None)
    if request.method == "POST":
        sent = submit(
            form,
            lambda d: chat.chat_reply(
                request.tenant,  # type: ignore[attr-defined]  # django-tenants middleware
                cast(User, request.user),
                pk,
                d["text"],
            ),
        )
        if sent is not None:
            form = ChatForm()
            ticket = _my_chat(request, pk)
    chat.seen(request.tenant, pk)  # type: ignore[attr-defined]  # django-tenants middleware
    lines = [m for m in ticket.messages.all() if not m.is_internal]
    template = (
        "support/_chat_lines.html" if request.headers.get("HX-Request") else "support/chat.html"
    )
    return render(request, template, {"ticket": ticket, "lines": lines, "form": form})
