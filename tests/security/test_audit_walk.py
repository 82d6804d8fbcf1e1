# ruff: noqa: E501  (the walk's table of steps reads best one step a line)
"""The audit trail covers every mutation of shared objects (design.md: "the audit log of
shared objects" lives in public).

How mutations are classified (every mutation of the schema is in exactly one table, or the
first test fails naming it):

- SHARED: the mutation creates, changes or removes an object that lives in `public` and that
  central IT or several agencies share: catalogue, suppliers and agreements, agencies and
  identities' tokens, licence pools and quotas, shared knowledge, major incidents, joint
  projects, the cost split. Each has a step below with valid input, run as the right role;
  the walk asserts that its call succeeded and that an AuditEvent row appeared for it.
- AGENCY: the mutation writes the caller's agency schema (tickets, orders, seats, devices,
  visits, bookings, proposals, chats). Those rows carry their own trails in the agency schema
  (order events, ticket messages and clock events, custody handovers, visit states...). The
  public rows such a mutation also writes are derived from the agency row in the same
  transaction (the cross-agency index, hub slot loads, dispatch bookings, cost drivers, seat
  counts) and are not shared objects of their own.
- RECORD: the mutation appends a row that is itself a record of an event (a suggestion's
  outcome, a cost export's file) and changes no shared object.
"""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from services.agencies.tokens import issue_api_token
from services.audit.models import AuditEvent
from tests.graphql import gql
from tests.security import schema_walk as walk

pytestmark = pytest.mark.django_db

AGENCY = {
    "acceptReplacementProposal": "lifecycle proposal, agency schema",
    "dismissReplacementProposal": "lifecycle proposal, agency schema",
    "requestVisit": "visit, agency schema (+ index row)",
    "dispatchVisit": "visit, agency schema (+ index row, technician booking)",
    "arriveVisit": "visit, agency schema",
    "completeVisit": "visit, agency schema (+ cost driver row)",
    "cancelVisit": "visit, agency schema",
    "bookHubSlot": "hub booking, agency schema (+ index row, slot load)",
    "cancelHubBooking": "hub booking, agency schema",
    "markBookingAttended": "hub booking, agency schema",
    "lendLoaner": "loan and custody handover, agency schema (+ hub stock state)",
    "returnLoaner": "loan and custody handover, agency schema (+ hub stock state)",
    "registerDevice": "device, agency schema",
    "updateDevice": "device, agency schema",
    "recordHandover": "custody handover, agency schema (+ hub stock)",
    "recordReviewAction": "review action, agency schema",
    "completeReviewAction": "review action, agency schema",
    "startChat": "ticket, agency schema",
    "sendChatMessage": "ticket message, agency schema",
    "openTicket": "ticket, agency schema (+ index row)",
    "addTicketMessage": "ticket message, agency schema",
    "assignTicket": "ticket, agency schema (+ index row)",
    "changeTicketState": "ticket, agency schema (+ index row)",
    "reprioritiseTicket": "ticket, agency schema (+ index row)",
    "setTicketPriority": "ticket, agency schema (+ index row, audited)",
    "mergeTickets": "two tickets, agency schema (+ index rows, audited)",
    "linkTickets": "ticket link, agency schema (audited)",
    "unlinkTickets": "ticket link, agency schema (audited)",
    "assignSeat": "seat, agency schema (+ seat counts)",
    "createPerson": "person, agency schema (audited by field names, no values)",
    "updatePerson": "person, agency schema (audited by field names, no values)",
    "deactivatePerson": "person, agency schema (+ seats released, roles ended)",
    "reactivatePerson": "person, agency schema (audited)",
    "updateMyDetails": "person, agency schema (audited by field names, no values)",
    "importPeople": "people, agency schema (audited with counts)",
    "exportPerson": "reads the agency schema (audited)",
    "anonymisePerson": "person and what domains hold of them, agency schema (audited)",
    "createScimToken": "SCIM token, agency schema (audited)",
    "revokeScimToken": "SCIM token, agency schema (audited)",
    "releaseSeat": "seat, agency schema (+ seat counts)",
    "placeOrder": "order and its events, agency schema (+ index row)",
    "setBudget": "budget and its history (BudgetChange), agency schema",
    "approveOrder": "order and its events, agency schema",
    "rejectOrder": "order and its events, agency schema",
    "overrideBudget": "order and its events, agency schema",
    "fulfilOrder": "order, subscriptions, agency schema (+ index row)",
    "changeSubscription": "subscription, agency schema",
    "cancelSubscription": "subscription, agency schema",
}
RECORD = {
    "recordSuggestionOutcome": "the outcome row is the record",
    "requestCostExport": "an export file of published lines",
}


def _month(delta: int = 0) -> dt.date:
    first = timezone.localdate().replace(day=1)
    for _ in range(abs(delta)):
        first = (first + dt.timedelta(days=32 if delta > 0 else -1)).replace(day=1)
    return first


def _pool_file(key_name: str) -> str:
    text = (
        f"name,category,key,source_reference,amount\nImported,infrastructure,{key_name},F-1,100\n"
    )
    return base64.b64encode(text.encode()).decode()


# Each step: (mutation, user, host agency slug or None, variables(ctx) -> dict, keep) where
# `keep` names the id the payload returns to save in ctx for later steps.
def _steps(fed) -> list[tuple]:
    alpha, beta = to_global_id("Agency", fed.alpha.pk), to_global_id("Agency", fed.beta.pk)
    today = timezone.localdate()
    return [
        ("createSupplier", "cat", None, lambda c: {"input": {"name": "Audit AB"}}, "supplier"),
        ("updateSupplier", "cat", None, lambda c: {"id": c["supplier"], "input": {"name": "Audit AB 2"}}, None),
        (
            "createAgreement", "cat", None,
            lambda c: {"input": {
                "name": "Audit SLA", "kind": "SLA", "availabilityPercent": "99.5",
                "supportHours": "Office hours", "supplier": c["supplier"],
                "targets": [
                    {"priority": p, "responseMinutes": 30 * p, "resolutionMinutes": 240 * p}
                    for p in (1, 2, 3, 4)
                ],
            }},
            "agreement",
        ),
        ("updateAgreement", "cat", None, lambda c: {"id": c["agreement"], "input": {"name": "Audit SLA 2"}}, None),
        (
            "createService", "cat", None,
            lambda c: {"input": {"name": "Audit service", "category": "CLIENT_PLATFORM", "owner": "IT"}},
            "service",
        ),
        ("updateService", "cat", None, lambda c: {"id": c["service"], "input": {"owner": "IT 2"}}, None),
        (
            "createOffering", "cat", None,
            lambda c: {"input": {
                "service": c["service"], "code": "aud-1", "name": "Audit offering",
                "securityLevel": 1, "availabilityLevel": 1, "priceModel": "FIXED_MONTHLY",
                "agreement": c["agreement"],
            }},
            "offering",
        ),
        (
            "createOffering", "cat", None,
            lambda c: {"input": {
                "service": c["service"], "code": "aud-2", "name": "Audit add-on",
                "securityLevel": 1, "availabilityLevel": 1, "priceModel": "FIXED_MONTHLY",
                "agreement": c["agreement"],
            }},
            "offering2",
        ),
        ("updateOffering", "cat", None, lambda c: {"id": c["offering"], "input": {"name": "Audit offering 2"}}, None),
        (
            "addOfferingPrice", "cat", None,
            lambda c: {"offering": c["offering"], "monthlyOre": 12900, "validFrom": _month(1).isoformat()},
            None,
        ),
        (
            "setOfferingRelation", "cat", None,
            lambda c: {"offering": c["offering"], "other": c["offering2"], "kind": "REQUIRES"},
            None,
        ),
        (
            "removeOfferingRelation", "cat", None,
            lambda c: {"offering": c["offering"], "other": c["offering2"], "kind": "REQUIRES"},
            None,
        ),
        ("retireOffering", "cat", None, lambda c: {"offering": c["offering2"]}, None),
        (
            "createService", "cat", None,
            lambda c: {"input": {"name": "Audit old service", "category": "CLIENT_PLATFORM", "owner": "IT"}},
            "service2",
        ),
        ("retireService", "cat", None, lambda c: {"service": c["service2"]}, None),
        (
            "createSupplierContract", "cat", None,
            lambda c: {"input": {
                "supplier": c["supplier"], "reference": "AUD-C-1", "valueOre": 100000,
                "startsOn": "2026-01-01", "endsOn": "2027-12-31",
            }},
            "contract",
        ),
        (
            "updateSupplierContract", "cat", None,
            lambda c: {"id": c["contract"], "input": {"reference": "AUD-C-2"}},
            None,
        ),
        (
            "createLicencePool", "cat", None,
            lambda c: {
                "product": "Audit licence", "supplier": c["supplier"], "totalSeats": 10,
                "startsOn": "2026-01-01", "endsOn": "2027-12-31", "renewalOn": "2027-10-01",
            },
            "licence_pool",
        ),
        (
            "setLicenceQuota", "cat", None,
            lambda c: {"pool": c["licence_pool"], "agency": alpha, "quotaSeats": 5},
            None,
        ),
        (
            "importLicenceUsage", "cat", None,
            lambda c: {"pool": c["licence_pool"], "csv": f"email,last_used\nx@alpha.example,{today}\n"},
            None,
        ),
        (
            "createKnowledgeArticle", "cat", None,
            lambda c: {"input": {"service": c["service"], "title": "Audit how-to", "body": "Do this."}},
            "article",
        ),
        (
            "updateKnowledgeArticle", "cat", None,
            lambda c: {"id": c["article"], "input": {"title": "Audit how-to 2"}},
            None,
        ),
        ("resolveMajorIncident", "desk", None, lambda c: {"incident": c["incident"], "note": "Fixed."}, None),
        (
            "createJointProject", "root", None,
            lambda c: {"input": {"name": "Audit project", "budgetOre": 1000000}},
            "project",
        ),
        (
            "updateJointProject", "root", None,
            lambda c: {"id": c["project"], "input": {"purpose": "Audit"}},
            None,
        ),
        (
            "setProjectShares", "root", None,
            lambda c: {"project": c["project"], "basis": "WEIGHT", "shares": [
                {"agency": alpha, "share": "1"}, {"agency": beta, "share": "2"},
            ]},
            None,
        ),
        (
            "addMilestone", "root", None,
            lambda c: {"project": c["project"], "name": "Audit milestone", "dueOn": "2026-12-01"},
            "milestone",
        ),
        ("completeMilestone", "root", None, lambda c: {"milestone": c["milestone"]}, None),
        ("createCostPeriod", "fin", None, lambda c: {"month": _month(-3).isoformat()}, "period"),
        ("createAllocationKey", "fin", None, lambda c: {"name": "AuditKey"}, "key"),
        (
            "addKeyVersion", "fin", None,
            lambda c: {"key": c["key"], "validFrom": _month(-12).isoformat(), "method": "FIXED",
                       "weights": [{"agency": alpha, "weight": "30"}, {"agency": beta, "weight": "70"}]},
            None,
        ),
        (
            "createCostPool", "fin", None,
            lambda c: {"period": c["period"], "input": {
                "name": "Audit pool", "category": "INFRASTRUCTURE", "amountOre": 100000,
                "key": c["key"], "sourceReference": "INV-1",
            }},
            "pool",
        ),
        (
            "createCostPool", "fin", None,
            lambda c: {"period": c["period"], "input": {
                "name": "Audit pool 2", "category": "INFRASTRUCTURE", "amountOre": 5000,
                "key": c["key"],
            }},
            "pool2",
        ),
        (
            "updateCostPool", "fin", None,
            lambda c: {"pool": c["pool2"], "input": {
                "name": "Audit pool 2b", "category": "INFRASTRUCTURE", "amountOre": 6000,
                "key": c["key"],
            }},
            None,
        ),
        ("deleteCostPool", "fin", None, lambda c: {"pool": c["pool2"]}, None),
        (
            "importCostPools", "fin", None,
            lambda c: {"month": _month(-3).strftime("%Y-%m"), "filename": "pools.csv",
                       "contentBase64": _pool_file("AuditKey")},
            None,
        ),
        ("snapshotCostDrivers", "fin", None, lambda c: {"period": c["period"]}, None),
        ("runAllocation", "fin", None, lambda c: {"period": c["period"]}, "run"),
        ("publishStatement", "fin", None, lambda c: {"period": c["period"]}, None),
        ("disputeLine", "beta-admin", "beta", lambda c: {"line": c["beta_line"], "comment": "Why?"}, "dispute"),
        (
            "resolveDispute", "fin", None,
            lambda c: {"dispute": c["dispute"], "resolution": "REJECT", "reason": "Correct."},
            None,
        ),
        ("acceptStatement", "alpha-admin", "alpha", lambda c: {"period": c["period"]}, None),
        ("acceptStatement", "beta-admin", "beta", lambda c: {"period": c["period"]}, None),
        ("closePeriod", "fin", None, lambda c: {"period": c["period"]}, None),
        ("createCostPeriod", "fin", None, lambda c: {"month": _month(-2).isoformat()}, "period2"),
        (
            "bookCorrection", "fin", None,
            lambda c: {"line": c["alpha_line"], "amountOre": -100, "reason": "Credit"},
            None,
        ),
        (
            "onboardAgency", "root", None,
            lambda c: {"input": {"name": "Länsstyrelsen Delta", "slug": "delta", "orgNumber": "2021998048"}},
            "agency",
        ),
        ("suspendAgency", "root", None, lambda c: {"agency": c["agency"], "reason": "Audit"}, None),
        ("reactivateAgency", "root", None, lambda c: {"agency": c["agency"]}, None),
        ("issueApiToken", "alpha-admin", None, lambda c: {"name": "audit"}, None),
        (
            "revokeApiToken", "alpha-admin", "alpha",
            lambda c: {"token": to_global_id("ApiToken", issue_api_token(fed.user("alpha-staff"))[1].pk)},
            None,
        ),
        ("retryFailedMessages", "desk", None, lambda c: {}, None),
        ("retryFailedMessages", "alpha-admin", "alpha", lambda c: {}, None),
        (
            "createIdentityProvider", "alpha-admin", "alpha",
            lambda c: {"input": {
                "kind": "OIDC", "name": "Audit IdP", "discoveryUrl": "https://login.example/v2.0",
                "clientId": "samnav", "clientSecretRef": "AUDIT_SECRET",
                "defaultRole": "agency_staff",
            }},
            "idp",
        ),
        ("updateIdentityProvider", "alpha-admin", "alpha", lambda c: {"provider": c["idp"], "input": {"name": "Audit IdP 2"}}, None),
        ("setIdentityProviderActive", "root", None, lambda c: {"provider": c["idp"], "active": False}, None),
    ]  # fmt: skip


def _shared_names() -> set[str]:
    class _Fed:  # only the step names are read
        class alpha:  # noqa: N801
            pk = 0

        beta = alpha

    return {step[0] for step in _steps(_Fed)}


def test_every_mutation_is_classified():
    # given the mutations of the schema and the three tables
    shared = _shared_names()
    everything = set(walk.mutation_fields())
    tables = [shared, set(AGENCY), set(RECORD)]
    # then each mutation is in exactly one table, and every name is a real mutation
    unclassified = sorted(everything - shared - set(AGENCY) - set(RECORD))
    assert unclassified == [], (
        f"classify these mutations (and walk the shared ones): {unclassified}"
    )
    assert sorted((shared | set(AGENCY) | set(RECORD)) - everything) == []
    assert sum(len(t) for t in tables) == len(everything)


def _call(name: str, variables: dict, user, agency):
    field = walk.mutation_fields()[name]
    declared = ", ".join(f"${a}: {field.args[a].type}" for a in variables)
    passed = ", ".join(f"{a}: ${a}" for a in variables)
    if variables:  # a mutation without arguments takes no parentheses
        declared, passed = f"({declared})", f"({passed})"
    payload = walk.selection(field.type).replace("errors { __typename }", "")
    document = (
        f"mutation Step{declared} {{ {name}{passed} "
        f"{{ errors {{ field message code }} {payload[1:]} }}"
    )
    return gql(document, variables, agency=agency, user=user)


def _first_id(payload: dict) -> str | None:
    for key, value in payload.items():
        if key == "errors":
            continue
        if isinstance(value, dict) and value.get("id"):
            return value["id"]
        if key == "token" or isinstance(value, str) and walk.type_of_global_id(value):
            return value
    return None


def _incident(fed):
    from services.catalogue.models import Service
    from services.incidents.models import MajorIncident

    service = Service.objects.create(name="Audit incident service", category="infrastructure")
    incident = MajorIncident.objects.create(
        service=service, window_starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    return to_global_id("MajorIncident", incident.pk)


def _lines(ctx, fed):
    from services.costs.models import AllocationLine

    lines = AllocationLine.objects.filter(pool__name="Audit pool").select_related("agency")
    by_slug = {line.agency.slug: line.pk for line in lines}
    ctx["alpha_line"] = to_global_id("AllocationLine", by_slug["alpha"])
    ctx["beta_line"] = to_global_id("AllocationLine", by_slug["beta"])


def test_every_shared_mutation_leaves_an_audit_row(federation, django_capture_on_commit_callbacks):
    fed = federation
    agencies = {"alpha": fed.alpha, "beta": fed.beta, None: None}
    ctx: dict = {"incident": _incident(fed)}
    walked: set[str] = set()
    problems: list[str] = []
    for name, user, host, variables, keep in _steps(fed):
        if name == "disputeLine":
            _lines(ctx, fed)
        try:
            values = variables(ctx)
        except KeyError as missing:
            problems.append(f"{name}: not run, an earlier step did not give {missing}")
            continue
        before = AuditEvent.objects.count()
        # when the shared mutation is called with valid input as the right role
        with django_capture_on_commit_callbacks(execute=True):
            response = _call(name, values, fed.user(user), agencies[host])
        payload = (response.data or {}).get(name)
        if payload is None or payload["errors"] or response.errors:
            problems.append(f"{name}: the step failed: {response.body}")
            continue
        if keep:
            ctx[keep] = _first_id(payload)
        # then at least one audit row appeared, naming the caller
        new = list(AuditEvent.objects.order_by("id")[before:])
        if not new:
            problems.append(f"{name}: no audit row")
        elif {event.actor_id for event in new} != {fed.users[user].pk}:
            problems.append(f"{name}: audit rows name {[e.actor_id for e in new]}, not {user}")
        walked.add(name)
    assert not problems, "\n".join(problems)
    assert walked == _shared_names()
