"""The service desk's write paths: merging duplicates, linking related tickets, setting the
priority with a reason, bulk changes that report the rows they cannot change, canned answers
and saved views. Real PostgreSQL, through the actions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import schema_context

from services.audit.models import AuditEvent
from services.crossindex.models import IndexEntry, IndexKind
from services.support import actions
from services.support.desk import actions as desk
from services.support.desk.models import CannedAnswer, SavedView
from services.support.models import ClockEvent, Ticket, TicketFollower, TicketLink, TicketState

pytestmark = pytest.mark.django_db


def _open(agency, person, subject="Printer jams", service=None):
    return actions.open_ticket(
        agency,
        person,
        actions.NewTicket(subject=subject, description="It jams.", service_id=service),
        channel="web",
    )


def test_a_duplicate_merged_is_closed_points_on_and_its_requester_follows_the_target(
    federation, people, django_capture_on_commit_callbacks
):
    fed = federation
    target = _open(fed.alpha, people["alpha-staff"], "Mail is down")
    duplicate = _open(fed.alpha, people["alpha-admin"], "No mail")
    with django_capture_on_commit_callbacks() as callbacks:
        actions.merge_ticket(fed.alpha, fed.user("desk"), duplicate.pk, target.pk, "Same outage")
    with schema_context("agency_alpha"):
        duplicate.refresh_from_db()
        assert (duplicate.state, duplicate.merged_into_id) == (TicketState.CLOSED, target.pk)
        told = duplicate.messages.order_by("-id").first()
        assert f"#{target.pk}" in told.body and not told.is_internal
        note = Ticket.objects.get(pk=target.pk).messages.order_by("-id").first()
        assert note.is_internal and f"#{duplicate.pk}" in note.body
        followers = set(
            TicketFollower.objects.filter(ticket=target).values_list("person_id", flat=True)
        )
        assert followers == {people["alpha-admin"].pk}
    # the duplicate's requester is mailed as replies are (a task on commit), and it is audited
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(
        action="support.ticket.merge", object_id=str(duplicate.pk)
    ).exists()
    entry = IndexEntry.objects.get(agency=fed.alpha, kind=IndexKind.TICKET, local_id=duplicate.pk)
    assert entry.state == TicketState.CLOSED


def test_a_merge_is_refused_for_itself_a_missing_ticket_or_a_merged_one_and_changes_nothing(
    federation, people
):
    fed = federation
    one = _open(fed.alpha, people["alpha-staff"], "One")
    two = _open(fed.alpha, people["alpha-staff"], "Two")
    desk_user = fed.user("desk")
    with pytest.raises(ValidationError) as same:
        actions.merge_ticket(fed.alpha, desk_user, one.pk, one.pk)
    assert "into" in same.value.error_dict
    with pytest.raises(ValidationError) as missing:
        actions.merge_ticket(fed.alpha, desk_user, one.pk, 987654)
    assert missing.value.error_dict["into"][0].code == "not_found"
    # beta's ticket is not alpha's: the same id in alpha's schema is what counts
    beta = _open(fed.beta, people["beta-staff"], "Beta's")
    with pytest.raises(ValidationError):
        actions.merge_ticket(fed.alpha, desk_user, one.pk, beta.pk + 1000)
    actions.merge_ticket(fed.alpha, desk_user, two.pk, one.pk)
    with pytest.raises(ValidationError) as again:
        actions.merge_ticket(fed.alpha, desk_user, two.pk, one.pk)
    assert again.value.error_dict["ticket"][0].code == "invalid_state"
    with pytest.raises(PermissionDenied):
        actions.merge_ticket(fed.alpha, fed.user("alpha-admin"), one.pk, two.pk)


def test_related_tickets_link_once_from_either_end_and_unlink(federation, people):
    fed = federation
    one = _open(fed.alpha, people["alpha-staff"], "One")
    two = _open(fed.alpha, people["alpha-staff"], "Two")
    actions.link_tickets(fed.alpha, fed.user("desk"), one.pk, two.pk)
    with pytest.raises(ValidationError):
        actions.link_tickets(fed.alpha, fed.user("desk"), two.pk, one.pk)
    actions.unlink_tickets(fed.alpha, fed.user("desk"), two.pk, one.pk)
    with schema_context("agency_alpha"):
        assert not TicketLink.objects.exists()
    with pytest.raises(ValidationError):
        actions.unlink_tickets(fed.alpha, fed.user("desk"), two.pk, one.pk)


def test_setting_the_priority_needs_a_reason_retargets_the_clocks_and_is_audited(
    federation, people, cat
):
    fed = federation
    ticket = _open(fed.alpha, people["alpha-staff"], "Slow", service=cat.mail.service_id)
    with pytest.raises(ValidationError) as refused:
        actions.set_priority(fed.alpha, fed.user("desk"), ticket.pk, 1, "  ")
    assert set(refused.value.error_dict) == {"reason"}
    with pytest.raises(ValidationError) as out_of_range:
        actions.set_priority(fed.alpha, fed.user("desk"), ticket.pk, 5, "why")
    assert set(out_of_range.value.error_dict) == {"priority"}
    actions.set_priority(fed.alpha, fed.user("desk"), ticket.pk, 1, "The whole office is hit")
    with schema_context("agency_alpha"):
        assert Ticket.objects.get(pk=ticket.pk).priority == 1
        assert ClockEvent.objects.filter(
            ticket_id=ticket.pk, kind="target_changed", reason="The whole office is hit"
        ).exists()
    assert IndexEntry.objects.get(agency=fed.alpha, local_id=ticket.pk, kind="ticket").priority == 1
    event = AuditEvent.objects.get(action="support.ticket.priority", object_id=str(ticket.pk))
    assert event.reason == "The whole office is hit" and event.changes["priority"][1] == 1


def test_bulk_state_moves_what_may_move_and_names_what_may_not(federation, people):
    fed = federation
    one = _open(fed.alpha, people["alpha-staff"], "One")
    two = _open(fed.beta, people["beta-staff"], "Two")
    closed = _open(fed.alpha, people["alpha-staff"], "Closed")
    actions.change_state(fed.alpha, fed.user("desk"), closed.pk, TicketState.CLOSED)
    refs = [(fed.alpha, one.pk), (fed.beta, two.pk), (fed.alpha, closed.pk), (fed.alpha, 98765)]
    outcomes = actions.bulk_change_state(fed.user("desk"), refs, TicketState.RESOLVED)
    assert [o.ok for o in outcomes] == [True, True, False, False]
    assert all(o.message for o in outcomes if not o.ok)
    with schema_context("agency_beta"):
        assert Ticket.objects.get(pk=two.pk).state == TicketState.RESOLVED
    # resolved may be closed, not moved to "waiting on supplier"
    outcomes = actions.bulk_change_state(fed.user("desk"), refs[:1], TicketState.WAITING_SUPPLIER)
    assert not outcomes[0].ok and "cannot move" in outcomes[0].message
    with pytest.raises(PermissionDenied):
        actions.bulk_change_state(fed.user("alpha-admin"), refs, TicketState.CLOSED)


def test_bulk_assign_assigns_every_ticket_to_one_agent(federation, people):
    fed = federation
    tickets = [_open(fed.alpha, people["alpha-staff"], f"T{i}") for i in range(3)]
    outcomes = actions.bulk_assign(
        fed.user("desk"), [(fed.alpha, t.pk) for t in tickets], assignee_id=fed.user("tech").pk
    )
    assert all(o.ok for o in outcomes)
    assert set(
        IndexEntry.objects.filter(agency=fed.alpha, kind="ticket").values_list(
            "assignee_id", flat=True
        )
    ) == {fed.user("tech").pk}
    # finance is no agent: every row is refused, none assigned
    outcomes = actions.bulk_assign(
        fed.user("desk"), [(fed.alpha, tickets[0].pk)], assignee_id=fed.user("fin").pk
    )
    assert not outcomes[0].ok
    with pytest.raises(ValidationError):
        actions.bulk_assign(fed.user("desk"), [], assignee_id=fed.user("desk").pk)


def test_canned_answers_are_kept_by_the_desk_and_fill_their_placeholders(federation):
    fed = federation
    row = desk.save_canned_answer(
        fed.user("desk"), name="Hej", language="sv", body="Hej {requester_name}, {nope} {0}"
    )
    assert desk.fill(row.body, {"requester_name": "Anna"}) == "Hej Anna, {nope} {0}"
    with pytest.raises(ValidationError) as twin:
        desk.save_canned_answer(fed.user("desk"), name="Hej", language="sv", body="x")
    assert twin.value.error_dict["name"][0].code == "duplicate"
    with pytest.raises(ValidationError) as bad:
        desk.save_canned_answer(fed.user("desk"), name="", language="de", body="")
    assert set(bad.value.error_dict) == {"name", "language", "body"}
    for outsider in ("tech", "fin", "alpha-admin"):
        with pytest.raises(PermissionDenied):
            desk.save_canned_answer(fed.user(outsider), name="X", language="en", body="x")
    desk.delete_canned_answer(fed.user("desk"), row.pk)
    assert not CannedAnswer.objects.exists()
    assert AuditEvent.objects.filter(action="support.canned_answer.delete").exists()


def test_saved_views_keep_only_the_queues_filters_and_belong_to_their_agent(federation):
    fed = federation
    view = desk.save_view(
        fed.user("desk"), name="Mina akuta", query="?priority=1&mine=on&page=3&evil=1"
    )
    assert view.query == "priority=1&mine=on"
    again = desk.save_view(fed.user("desk"), name="Mina akuta", query="breached=on")
    assert again.pk == view.pk and again.query == "breached=on"
    with pytest.raises(ValidationError):
        desk.save_view(fed.user("desk"), name="Empty", query="page=2")
    with pytest.raises(ValidationError):
        desk.delete_view(fed.user("tech"), view.pk)  # not theirs: as if missing
    desk.delete_view(fed.user("desk"), view.pk)
    assert not SavedView.objects.exists()
    with pytest.raises(PermissionDenied):
        desk.save_view(fed.user("fin"), name="x", query="mine=on")


def test_the_demo_loads_its_canned_answers_once(federation):
    from demo.data.canned_answers import ANSWERS, load_canned_answers

    assert load_canned_answers(federation.user("desk")) == len(ANSWERS)
    assert load_canned_answers(federation.user("desk")) == 0
    assert set(CannedAnswer.objects.values_list("language", flat=True)) == {"sv", "en"}
