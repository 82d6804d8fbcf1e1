"""The outbox keeps sent messages 30 days and failed ones 90 (settings), then deletes them and
their index entries: in each agency's schema by the daily per-agency task, in public for
central IT's own. Another agency's rows are not touched."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import tenant_context

from services.crossindex.models import IndexEntry, IndexKind
from services.outbox.agency.models import OutboundMessage
from services.outbox.homes import current_agency_id, in_public
from services.outbox.models import CentralMessage, Channel, MessageState
from services.outbox.queue import put
from services.outbox.retention import purge
from tenants.tasks import for_each_agency

pytestmark = pytest.mark.django_db


def _message(subject: str, state: str, days_ago: int):
    (row,) = put(Channel.EMAIL, ["p@example.org"], "Body", subject=subject)
    when = timezone.now() - dt.timedelta(days=days_ago)
    type(row).objects.filter(pk=row.pk).update(
        state=state,
        sent_at=when if state == MessageState.SENT else None,
        next_attempt_at=when,
    )
    if not in_public():  # as delivery leaves them: gone once sent, marked when failed
        entry = IndexEntry.objects.filter(
            kind=IndexKind.OUTBOX, agency_id=current_agency_id(), local_id=row.pk
        )
        if state == MessageState.SENT:
            entry.delete()
        elif state == MessageState.FAILED:
            entry.update(state=state)
    return row


def _kinds():
    return [
        ("old sent", MessageState.SENT, 31),
        ("recent sent", MessageState.SENT, 29),
        ("old failed", MessageState.FAILED, 91),
        ("recent failed", MessageState.FAILED, 89),
        ("old pending", MessageState.PENDING, 400),
    ]


def test_an_agencys_old_messages_go_with_their_index_entries_and_others_stay(federation):
    # given messages of every age in alpha's and beta's schemas
    made = {}
    for agency in (federation.alpha, federation.beta):
        with tenant_context(agency):
            made[agency.slug] = {s: _message(s, state, d).pk for s, state, d in _kinds()}
    # when alpha's purge runs
    with tenant_context(federation.alpha):
        assert purge(timezone.now()) == {"sent": 1, "failed": 1}
        left = OutboundMessage.objects.filter(pk__in=made["alpha"].values())
        assert sorted(left.values_list("subject", flat=True)) == [
            "old pending",
            "recent failed",
            "recent sent",
        ]

    # then the old failure's index entry went with it; the others' are there
    def entries(agency) -> dict[int, str]:
        return dict(
            IndexEntry.objects.filter(
                kind=IndexKind.OUTBOX, agency=agency, local_id__in=made[agency.slug].values()
            ).values_list("local_id", "state")
        )

    alpha = made["alpha"]
    assert entries(federation.alpha) == {
        alpha["recent failed"]: "failed",
        alpha["old pending"]: "pending",
    }
    # and beta's rows and entries are all there
    with tenant_context(federation.beta):
        assert OutboundMessage.objects.filter(pk__in=made["beta"].values()).count() == 5
    assert len(entries(federation.beta)) == 3


def test_central_its_old_messages_go(federation):
    for subject, state, days in _kinds():
        _message(subject, state, days)
    assert purge(timezone.now()) == {"sent": 1, "failed": 1}
    mine = CentralMessage.objects.filter(subject__in=[k[0] for k in _kinds()])
    assert sorted(mine.values_list("subject", flat=True)) == [
        "old pending",
        "recent failed",
        "recent sent",
    ]


def test_the_daily_beat_entries_purge_every_agency_and_central(
    federation, django_capture_on_commit_callbacks
):
    # given an old sent message in alpha, in beta and in central IT's outbox
    for agency in (federation.alpha, federation.beta):
        with tenant_context(agency):
            _message("old sent", MessageState.SENT, 31)
    _message("old sent", MessageState.SENT, 31)
    # when beat's two entries run
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-purge-agencies"]
    with django_capture_on_commit_callbacks(execute=True):
        sent = for_each_agency.delay(*entry["args"]).get()
    central = settings.CELERY_BEAT_SCHEDULE["outbox-purge-central"]["task"]
    from config.celery import app

    app.tasks[central].delay().get()
    # then one task went to each active agency, and every outbox is empty
    assert sent == 2
    for agency in (federation.alpha, federation.beta):
        with tenant_context(agency):
            assert not OutboundMessage.objects.filter(subject="old sent").exists()
    assert not CentralMessage.objects.filter(subject="old sent").exists()


def test_the_agency_purge_fails_closed_without_an_agency_schema(federation):
    from services.outbox.tasks import purge_agency_messages

    _message("central", MessageState.SENT, 31)
    with pytest.raises(Exception):  # noqa: B017, PT011 - the base class refuses, any error
        purge_agency_messages.delay().get()
    assert CentralMessage.objects.filter(subject="central").count() == 1
