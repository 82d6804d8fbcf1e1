"""The isolation matrix, generated from the GraphQL schema (design.md §12).

Agency B (beta) gets rows of every kind (tests/security/beta_data.py: the demo's loaders run
for beta alone); alpha gets none. B's ids are harvested through the API itself, as B's own
users see them on B's host and as central IT sees them on the central host (central ids of
agency rows included). Then, as callers of agency A (alpha):

- every Node type: `node(id:)` of each of B's rows, on A's host, on the central host and on
  B's host, answers null (shared types excepted: the table says why they are shared);
- every query field: called with B's ids (and without arguments), the answer carries none of
  B's ids, nor any id of a central-only type;
- every mutation: called with B's ids on A's host and on the central host, and with any
  input on B's host, is refused and changes nothing (an md5 of every row of every table of
  public, alpha and beta, before and after); central-only mutations are refused to agency
  admins on every host.

The tables below say how each type, query and mutation is exercised; a test fails listing
any that the schema has and the tables lack, so a new one cannot go unchecked.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from graphql import GraphQLNonNull, get_named_type
from graphql_relay import to_global_id

from tests.graphql import gql
from tests.security import schema_walk as walk
from tests.security.beta_data import populate_beta

pytestmark = pytest.mark.django_db

AGENCY = "agency"  # rows of one agency: another agency's callers see nothing
CENTRAL = "central"  # central IT only: no agency role sees any row
SHARED = "shared"  # readable by every member agency by design (reason given)

NODE_TYPES = {
    "Agency": AGENCY,  # an agency's people see their own agency only
    "AgencyKnowledgeArticle": AGENCY,
    "AllocationKey": CENTRAL,
    "AllocationLine": AGENCY,
    "AllocationRun": CENTRAL,
    "CostDispute": AGENCY,
    "CostPeriod": SHARED,  # months and their states: finance, and every agency's admin
    "CostPool": CENTRAL,
    "CostStatement": AGENCY,
    "Device": AGENCY,
    "FulfilmentItem": CENTRAL,
    "Hub": SHARED,  # the active service hubs: anyone signed in may book one
    "HubBooking": AGENCY,
    "HubDayItem": CENTRAL,
    "HubStockItem": CENTRAL,
    "JointProject": AGENCY,  # the agencies with a share only
    "LicencePool": AGENCY,  # an agency's admins see the pools they hold a quota in
    "MajorIncident": AGENCY,  # the agencies that reported it, subscribe, or were told
    "Milestone": AGENCY,
    "Offering": SHARED,  # the service catalogue
    "Order": AGENCY,
    "OrderLine": AGENCY,
    "OutgoingMessage": AGENCY,  # mail to an agency's people: its admins, on its host
    "Person": AGENCY,
    "QueueItem": CENTRAL,
    "ReplacementProposal": AGENCY,
    "Seat": AGENCY,
    "Service": SHARED,  # the service catalogue
    "SharedKnowledgeArticle": SHARED,  # published shared self-help
    "Subscription": AGENCY,
    "Supplier": SHARED,  # named in the catalogue's offerings
    "SupplierContract": CENTRAL,
    "Technician": CENTRAL,
    "Ticket": AGENCY,
    "Visit": AGENCY,
    "Agreement": SHARED,  # the catalogue's service levels
    "ApiToken": AGENCY,  # the owner's own; an agency's admins: their people's, on its host
    "ScimToken": AGENCY,  # an agency's SCIM tokens: its admins, on its host
    "IdentityProvider": AGENCY,  # an agency's identity providers: its admins, on its host
}


# Query fields: the variables to try. Fields with no required argument are called without
# any; an ID argument named here gets each of B's ids of the named types in turn.
QUERY_CALLS: dict[str, dict] = {
    "costExport": {"id": ["CostStatement", "CostPeriod"]},
    "costPeriod": {"id": ["CostPeriod"]},
    "costPool": {"id": ["CostPool"]},
    "allocationRun": {"id": ["AllocationRun"]},
    "allocationLines": {"period": ["CostPeriod"]},
    "costReport": {"period": ["CostPeriod"]},
    "jointProject": {"id": ["JointProject"]},
    "suggestArticles": {"text": "skrivare"},
    "knowledgeArticle": {"id": ["AgencyKnowledgeArticle", "SharedKnowledgeArticle"]},
    "majorIncident": {"id": ["MajorIncident"]},
    "visit": {"id": ["Visit", "AgencyVisit"]},
    "suggestTechnicians": {"visit": ["Visit", "AgencyVisit"]},
    "serviceHub": {"id": ["Hub"]},
    "hubBookings": {"hub": ["Hub"], "date": "TODAY"},
    "agencyHubBooking": {"id": ["AgencyHubBooking", "HubBooking"]},
    "agencyDevice": {"id": ["AgencyDevice", "Device"]},
    "complianceReport": {"month": "MONTH"},
    "ticket": {"id": ["Ticket", "AgencyTicket"]},
    "agencyTicket": {"id": ["AgencyTicket", "Ticket"]},
    "licencePool": {"id": ["LicencePool"]},
    "quoteOrder": {"lines.offering": ["Offering"]},
    "order": {"id": ["Order", "AgencyOrder"]},
    "agencyOrder": {"id": ["AgencyOrder", "Order"]},
    "supplierConcentration": {"asOf": "TODAY"},
    "node": {"id": ["*"]},
}

# Mutations: (kind, B's ids to pass). AGENCY mutations act in the caller's agency: with B's
# ids they must be refused on A's host and on the central host; CENTRAL ones are refused to
# agency roles whatever the ids. Every mutation is also sent to B's host as A's admin.
MUTATIONS: dict[str, tuple[str, dict]] = {
    "requestCostExport": (AGENCY, {}),
    "importCostPools": (CENTRAL, {}),
    "createCostPeriod": (CENTRAL, {}),
    "createCostPool": (CENTRAL, {"period": ["CostPeriod"], "input.key": ["AllocationKey"]}),
    "updateCostPool": (CENTRAL, {"pool": ["CostPool"], "input.key": ["AllocationKey"]}),
    "deleteCostPool": (CENTRAL, {"pool": ["CostPool"]}),
    "createAllocationKey": (CENTRAL, {}),
    "addKeyVersion": (CENTRAL, {"key": ["AllocationKey"], "weights.agency": ["Agency"]}),
    "snapshotCostDrivers": (CENTRAL, {"period": ["CostPeriod"]}),
    "runAllocation": (CENTRAL, {"period": ["CostPeriod"]}),
    "publishStatement": (CENTRAL, {"period": ["CostPeriod"]}),
    "acceptStatement": (AGENCY, {}),  # the caller's own statement of a shared month
    "disputeLine": (AGENCY, {"line": ["AllocationLine"]}),
    "resolveDispute": (CENTRAL, {"dispute": ["CostDispute"]}),
    "closePeriod": (CENTRAL, {"period": ["CostPeriod"]}),
    "bookCorrection": (CENTRAL, {"line": ["AllocationLine"]}),
    "createJointProject": (CENTRAL, {}),
    "updateJointProject": (CENTRAL, {"id": ["JointProject"]}),
    "setProjectShares": (CENTRAL, {"project": ["JointProject"], "shares.agency": ["Agency"]}),
    "addMilestone": (CENTRAL, {"project": ["JointProject"]}),
    "completeMilestone": (CENTRAL, {"milestone": ["Milestone"]}),
    "createKnowledgeArticle": (AGENCY, {}),  # an agency's own article, on its host
    "updateKnowledgeArticle": (AGENCY, {"id": ["AgencyKnowledgeArticle"]}),
    "recordSuggestionOutcome": (AGENCY, {"article": ["AgencyKnowledgeArticle"]}),
    "resolveMajorIncident": (CENTRAL, {"incident": ["MajorIncident"]}),
    "acceptReplacementProposal": (AGENCY, {"proposal": ["ReplacementProposal"]}),
    "dismissReplacementProposal": (AGENCY, {"proposal": ["ReplacementProposal"]}),
    "requestVisit": (AGENCY, {"input.ticket": ["Ticket", "AgencyTicket"]}),
    "dispatchVisit": (CENTRAL, {"visit": ["AgencyVisit", "Visit"]}),
    "arriveVisit": (CENTRAL, {"visit": ["AgencyVisit", "Visit"]}),
    "completeVisit": (CENTRAL, {"visit": ["AgencyVisit", "Visit"]}),
    "cancelVisit": (AGENCY, {"visit": ["Visit", "AgencyVisit"]}),
    "bookHubSlot": (AGENCY, {"input.person": ["Person"], "input.device": ["Device"]}),
    "cancelHubBooking": (AGENCY, {"booking": ["HubBooking", "AgencyHubBooking"]}),
    "markBookingAttended": (CENTRAL, {"booking": ["AgencyHubBooking", "HubBooking"]}),
    "lendLoaner": (CENTRAL, {"input.stockItem": ["HubStockItem"], "input.agency": ["Agency"]}),
    "returnLoaner": (CENTRAL, {"stockItem": ["HubStockItem"]}),
    "registerDevice": (AGENCY, {"input.holder": ["Person"]}),
    "updateDevice": (AGENCY, {"device": ["Device", "AgencyDevice"]}),
    "recordHandover": (AGENCY, {"device": ["Device", "AgencyDevice"]}),
    "recordReviewAction": (CENTRAL, {"ticket": ["AgencyTicket", "Ticket"]}),
    "completeReviewAction": (CENTRAL, {}),
    "startChat": (AGENCY, {}),
    "sendChatMessage": (AGENCY, {"ticket": ["Ticket", "AgencyTicket"]}),
    "openTicket": (
        AGENCY,
        {"input.requester": ["Person"], "input.device": ["Device"], "input.order": ["Order"]},
    ),
    "addTicketMessage": (AGENCY, {"ticket": ["Ticket", "AgencyTicket"]}),
    "assignTicket": (CENTRAL, {"ticket": ["AgencyTicket", "Ticket"]}),
    "changeTicketState": (CENTRAL, {"ticket": ["AgencyTicket", "Ticket"]}),
    "reprioritiseTicket": (CENTRAL, {"ticket": ["AgencyTicket", "Ticket"]}),
    "setTicketPriority": (CENTRAL, {"ticket": ["AgencyTicket", "Ticket"]}),
    "mergeTickets": (
        CENTRAL,
        {"duplicate": ["AgencyTicket", "Ticket"], "into": ["AgencyTicket", "Ticket"]},
    ),
    "linkTickets": (
        CENTRAL,
        {"ticket": ["AgencyTicket", "Ticket"], "other": ["AgencyTicket", "Ticket"]},
    ),
    "unlinkTickets": (
        CENTRAL,
        {"ticket": ["AgencyTicket", "Ticket"], "other": ["AgencyTicket", "Ticket"]},
    ),
    "importLicenceUsage": (CENTRAL, {"pool": ["LicencePool"]}),
    "createLicencePool": (CENTRAL, {"supplier": ["Supplier"]}),
    "setLicenceQuota": (CENTRAL, {"pool": ["LicencePool"], "agency": ["Agency"]}),
    "assignSeat": (AGENCY, {"person": ["Person"], "pool": ["LicencePool"]}),
    "createPerson": (AGENCY, {}),
    "updatePerson": (AGENCY, {"person": ["Person"]}),
    "deactivatePerson": (AGENCY, {"person": ["Person"]}),
    "reactivatePerson": (AGENCY, {"person": ["Person"]}),
    "updateMyDetails": (AGENCY, {}),
    "importPeople": (AGENCY, {}),
    "exportPerson": (AGENCY, {"person": ["Person"]}),
    "anonymisePerson": (AGENCY, {"person": ["Person"]}),
    "releaseSeat": (AGENCY, {"seat": ["Seat"]}),
    "placeOrder": (AGENCY, {}),
    "setBudget": (AGENCY, {}),
    "approveOrder": (AGENCY, {"order": ["Order", "AgencyOrder"]}),
    "rejectOrder": (AGENCY, {"order": ["Order", "AgencyOrder"]}),
    "overrideBudget": (AGENCY, {"order": ["Order", "AgencyOrder"]}),
    "fulfilOrder": (CENTRAL, {"order": ["AgencyOrder", "Order"]}),
    "changeSubscription": (AGENCY, {"subscription": ["Subscription"]}),
    "cancelSubscription": (AGENCY, {"subscription": ["Subscription"]}),
    "createSupplierContract": (CENTRAL, {"input.supplier": ["Supplier"]}),
    "updateSupplierContract": (CENTRAL, {"id": ["SupplierContract"]}),
    "createService": (CENTRAL, {}),
    "updateService": (CENTRAL, {"id": ["Service"]}),
    "retireService": (CENTRAL, {"service": ["Service"]}),
    "createOffering": (CENTRAL, {"input.service": ["Service"], "input.agreement": ["Agreement"]}),
    "updateOffering": (CENTRAL, {"id": ["Offering"]}),
    "addOfferingPrice": (CENTRAL, {"offering": ["Offering"]}),
    "setOfferingRelation": (CENTRAL, {"offering": ["Offering"], "other": ["Offering"]}),
    "removeOfferingRelation": (CENTRAL, {"offering": ["Offering"], "other": ["Offering"]}),
    "retireOffering": (CENTRAL, {"offering": ["Offering"]}),
    "createSupplier": (CENTRAL, {}),
    "updateSupplier": (CENTRAL, {"id": ["Supplier"]}),
    "createAgreement": (CENTRAL, {}),
    "updateAgreement": (CENTRAL, {"id": ["Agreement"]}),
    "onboardAgency": (CENTRAL, {}),
    "suspendAgency": (CENTRAL, {"agency": ["Agency"]}),
    "reactivateAgency": (CENTRAL, {"agency": ["Agency"]}),
    "issueApiToken": (AGENCY, {}),  # the caller's own token, whoever they are
    "revokeApiToken": (AGENCY, {"token": ["ApiToken"]}),
    "createScimToken": (AGENCY, {}),
    "revokeScimToken": (AGENCY, {"token": ["ScimToken"]}),
    "createIdentityProvider": (AGENCY, {"agency": ["Agency"]}),
    "updateIdentityProvider": (AGENCY, {"provider": ["IdentityProvider"]}),
    "setIdentityProviderActive": (AGENCY, {"provider": ["IdentityProvider"]}),
    "retryFailedMessages": (AGENCY, {}),  # the host agency's own (central IT's: every one)
}


# --- coverage of the tables -------------------------------------------------------------------


def test_every_node_type_is_in_the_table():
    assert sorted(set(walk.node_types()) - set(NODE_TYPES)) == []
    assert sorted(set(NODE_TYPES) - set(walk.node_types())) == []


def test_every_query_field_with_required_arguments_is_in_the_table():
    needing = {
        name
        for name, field in walk.query_fields().items()
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values())
    }
    assert sorted(needing - set(QUERY_CALLS)) == []
    assert sorted(set(QUERY_CALLS) - set(walk.query_fields())) == []


def test_every_mutation_is_in_the_table():
    assert sorted(set(walk.mutation_fields()) - set(MUTATIONS)) == []
    assert sorted(set(MUTATIONS) - set(walk.mutation_fields())) == []


# --- the matrix -------------------------------------------------------------------------------


def _harvest(fed) -> dict[str, set[str]]:
    """B's ids by type name, as B's users (B's host) and central IT (central host) see them,
    less alpha's own (its Agency, and public rows naming it as their agency)."""
    from django.utils import timezone

    callers = [("beta-admin", fed.beta), ("beta-staff", fed.beta)] + [
        (user, None) for user in ("root", "desk", "tech", "fin", "cat")
    ]
    found: dict[str, set[str]] = defaultdict(set)
    hubs: set[str] = set()
    # Public rows that belong to alpha (e.g. its statement of a month split over every member
    # agency), seen by central IT: recognised by their `agency { id }`, and left out.
    alpha_id = to_global_id("Agency", fed.alpha.pk)
    alpha_owned: set[str] = {alpha_id}
    for name, field in walk.query_fields().items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        for user, agency in callers:
            document, variables = walk.operation("query", name, field, {})
            response = gql(document, variables, agency=agency, user=fed.user(user))
            alpha_owned |= _owned_by(response.body, alpha_id)
            for value in walk.global_ids_in(json.dumps(response.body)):
                found[walk.type_of_global_id(value)].add(value)
                if walk.type_of_global_id(value) == "Hub":
                    hubs.add(value)
    # the day lists of the hubs (their only root field needs a hub and a day)
    field = walk.query_fields()["hubBookings"]
    for hub in sorted(hubs):
        for day in range(-3, 8):
            date = (timezone.localdate() + timezone.timedelta(days=day)).isoformat()
            document, variables = walk.operation("query", "hubBookings", field, {"hub": hub})
            variables["date"] = date
            response = gql(document, variables, user=fed.user("root"))
            for value in walk.global_ids_in(json.dumps(response.body)):
                found[walk.type_of_global_id(value)].add(value)
    return {type_name: ids - alpha_owned for type_name, ids in found.items()}


def _owned_by(body, agency_id: str) -> set[str]:
    """Ids of the objects in `body` whose `agency` is `agency_id`."""
    owned, pending = set(), [body]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            agency = item.get("agency")
            if isinstance(agency, dict) and agency.get("id") == agency_id and item.get("id"):
                owned.add(item["id"])
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return owned


def _b_only(found: dict[str, set[str]]) -> set[str]:
    """Ids alpha's callers must never see: B's agency rows and central-only rows."""
    secret = set()
    for type_name, ids in found.items():
        base = type_name[6:] if type_name.startswith("Agency") and type_name != "Agency" else None
        kind = NODE_TYPES.get(type_name) or NODE_TYPES.get(base or "", AGENCY)
        if kind != SHARED or base:
            secret |= ids
    return secret


def _caller_variants(fed):
    """A's callers: on A's host, on the central host, and A's admin on B's host."""
    return [
        ("alpha-admin", fed.alpha),
        ("alpha-staff", fed.alpha),
        ("alpha-admin", None),
        ("alpha-admin", fed.beta),
    ]


def _candidates(found, types: list[str], limit: int = 2) -> list[str]:
    if types == ["*"]:
        return sorted(v for t, ids in found.items() for v in sorted(ids)[:1])
    return [v for t in types for v in sorted(found.get(t, ()))[:limit]]


def _scalar(value: str):
    from django.utils import timezone

    if value == "TODAY":
        return timezone.localdate().isoformat()
    if value == "MONTH":
        return timezone.localdate().strftime("%Y-%m")
    return value


def _refused(response, name: str) -> tuple[bool, list[str]]:
    """Whether a mutation was refused (errors as data, GraphQL errors, or HTTP refusal), and
    the codes or messages that said so."""
    if response.status >= 400:
        return True, [f"HTTP {response.status}"]
    payload = (response.data or {}).get(name)
    said = [e.get("extensions", {}).get("code") or e.get("message") for e in response.errors]
    if payload is None:
        return bool(response.errors), said
    errors = payload.get("errors") or []
    return bool(errors) or bool(response.errors), said + [e.get("code") for e in errors]


def test_agency_a_sees_and_changes_nothing_of_agency_b(federation):
    fed = federation
    populate_beta(fed)
    found = _harvest(fed)
    secret = _b_only(found)
    problems: list[str] = []

    # then B's rows of every Node type were reached (or the matrix would prove nothing)
    missing = sorted(t for t in NODE_TYPES if not found.get(t))
    assert missing == [], f"no row of B harvested for: {missing}"

    # node(id:) of each of B's rows
    node_query = "query N($id: ID!) { node(id: $id) { __typename id } }"
    for type_name, kind in sorted(NODE_TYPES.items()):
        if kind == SHARED:
            continue
        for value in sorted(found[type_name])[:3]:
            for user, agency in _caller_variants(fed):
                response = gql(node_query, {"id": value}, agency=agency, user=fed.user(user))
                if response.status == 200 and (response.data or {}).get("node") is not None:
                    problems.append(f"node {type_name} {value} seen by {user}@{agency}")

    # every query field, with B's ids where it takes ids
    for name, field in sorted(walk.query_fields().items()):
        spec = QUERY_CALLS.get(name, {})
        id_args = {k: v for k, v in spec.items() if isinstance(v, list)}
        fixed = {k: _scalar(v) for k, v in spec.items() if not isinstance(v, list)}
        tries = [{}]
        if id_args:
            tries = [
                {arg: value}
                for arg, types in id_args.items()
                for value in _candidates(found, types)
            ]
            assert tries, f"{name}: no id of B to try"
        for ids in tries:
            document, variables = walk.operation("query", name, field, ids)
            variables.update({k: v for k, v in fixed.items() if "." not in k})
            for user, agency in _caller_variants(fed):
                response = gql(document, variables, agency=agency, user=fed.user(user))
                leaked = walk.global_ids_in(json.dumps(response.body)) & secret
                if leaked:
                    problems.append(f"query {name}{ids} as {user}@{agency}: {sorted(leaked)[:3]}")

    # every mutation
    schemas = ["public", fed.alpha.schema_name, fed.beta.schema_name]
    for name, field in sorted(walk.mutation_fields().items()):
        kind, id_types = MUTATIONS[name]
        tries = [{}]
        if id_types:
            tries = [
                {arg: value}
                for arg, types in id_types.items()
                for value in _candidates(found, types, limit=1)
            ]
        runs = []
        for ids in tries:
            # with B's ids: on A's host and on the central host (every mutation) ...
            callers = [("alpha-admin", fed.alpha), ("alpha-admin", None)]
            if not ids and kind == AGENCY:
                callers = [("alpha-admin", None)] if name != "issueApiToken" else []
            # ... and always on B's host as A's admin
            runs += [(ids, user, agency) for user, agency in callers]
            runs.append((ids, "alpha-admin", fed.beta))
        if kind == CENTRAL:
            runs.append(({}, "beta-admin", fed.beta))
            runs.append(({}, "beta-admin", None))
        for ids, user, agency in runs:
            document, variables = walk.operation("mutation", name, field, ids)
            before = walk.fingerprint(schemas)
            response = gql(document, variables, agency=agency, user=fed.user(user))
            after = walk.fingerprint(schemas)
            refused, said = _refused(response, name)
            where = f"mutation {name}{ids} as {user}@{agency and agency.slug}"
            if not refused:
                problems.append(f"{where}: not refused: {response.body}")
            touched = walk.changed(before, after)
            if touched:
                problems.append(f"{where}: changed {touched}")
    assert not problems, "\n".join(problems)


def test_central_only_query_fields_answer_nothing_to_agency_roles(federation):
    # given the central-only root fields (their return types are central-only)
    central = sorted(
        name
        for name, field in walk.query_fields().items()
        if NODE_TYPES.get(_item_type(field)) == CENTRAL
    )
    assert central, "no central-only query field found"
    problems = []
    for name in central:
        field = walk.query_fields()[name]
        document, variables = walk.operation("query", name, field, {})
        for user, agency in (
            ("alpha-admin", federation.alpha),
            ("alpha-admin", None),
            ("alpha-staff", None),
        ):
            # when an agency role asks, on its host or the central host
            response = gql(document, variables, agency=agency, user=federation.user(user))
            value = (response.data or {}).get(name)
            # then it gets null, an empty list or an empty page
            if value not in (None, []) and (value.get("edges") if isinstance(value, dict) else 1):
                problems.append(f"{name} as {user}@{agency}: {value}")
    assert not problems, "\n".join(problems)


def _item_type(field) -> str:
    named = get_named_type(field.type)
    edges = getattr(named, "fields", {}).get("edges")
    if edges is not None:
        return get_named_type(get_named_type(edges.type).fields["node"].type).name
    return named.name
