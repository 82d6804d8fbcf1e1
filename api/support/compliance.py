"""Agreement compliance through GraphQL: the monthly report per agency, agreement and priority,
and the review actions that OLA breaches lead to (services/support/compliance.py, reviews.py).

Who reads: an agency's admins on its host (their own agency only); platform admins,
service-desk agents and finance on the central host (any agency, or all). Who records and
completes review actions: platform admins and service-desk agents, on the central host.
"""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError
from graphql_relay import to_global_id

from api.catalogue.types import AgreementNode
from api.core.mutations import SamnavMutation
from api.core.permissions import (
    current_user,
    host_agency,
    require_central_for_mutation,
    require_user,
)
from api.core.refs import agency_row_ref, central_id
from api.tenants.types import AgencyNode
from services.support import compliance, reviews
from services.support.errors import SupportErrorCode
from tenants.roles import SERVICE_DESK


class ComplianceClockFigures(graphene.ObjectType):
    """One clock (first response or resolution) of a group of tickets."""

    met = graphene.Int(required=True, description="Stopped within the target.")
    breached = graphene.Int(
        required=True, description="Reached the target before stopping (or still running)."
    )
    pending = graphene.Int(
        required=True, description="Running or paused within the target, or without a target."
    )
    median_minutes = graphene.Int(
        description="Median (nearest rank) business minutes of the stopped clocks."
    )
    p90_minutes = graphene.Int(
        description="90th percentile (nearest rank) business minutes of the stopped clocks."
    )


class ComplianceRowType(graphene.ObjectType):
    """The tickets of one agency under one agreement and priority, created in the month."""

    class Meta:
        name = "ComplianceRow"

    agency = graphene.Field(AgencyNode, required=True)
    agreement = graphene.Field(AgreementNode, required=True)
    priority = graphene.Int(required=True, description="1 critical .. 4 low")
    tickets = graphene.Int(required=True)
    met = graphene.Int(required=True, description="Tickets with every clock met.")
    breached = graphene.Int(required=True, description="Tickets with a clock breached.")
    response = graphene.Field(ComplianceClockFigures, required=True)
    resolution = graphene.Field(ComplianceClockFigures, required=True)


class ComplianceReportType(graphene.ObjectType):
    class Meta:
        name = "ComplianceReport"

    month = graphene.String(required=True, description="YYYY-MM")
    as_of = graphene.DateTime(
        required=True, description="The moment the clocks were replayed to (when it ran)."
    )
    rows = graphene.List(graphene.NonNull(ComplianceRowType), required=True)

    def resolve_month(self, info):
        return f"{self.month:%Y-%m}"


class ReviewActionType(graphene.ObjectType):
    """What is done about a ticket that breached an OLA clock."""

    class Meta:
        name = "ReviewAction"

    id = graphene.ID(
        required=True,
        description="AgencyReviewAction:<agency>.<id> on the central host, ReviewAction:<id> "
        "on the agency's host.",
    )
    agency = graphene.Field(AgencyNode, required=True)
    ticket_id = graphene.ID(required=True, description="The ticket, in the form of this host.")
    ticket_priority = graphene.Int(required=True)
    agreement = graphene.Field(AgreementNode, required=True)
    what_happened = graphene.String(required=True)
    corrective_action = graphene.String(required=True)
    owner = graphene.String(required=True, description="A role or function.")
    due_on = graphene.Date(required=True)
    done_on = graphene.Date()
    is_open = graphene.Boolean(required=True)
    created_at = graphene.DateTime(required=True)

    @classmethod
    def of(cls, agency, review, *, central: bool) -> ReviewActionType:
        def ref(type_name: str, pk: int) -> str:
            return central_id(type_name, agency.pk, pk) if central else to_global_id(type_name, pk)

        return cls(
            id=ref("ReviewAction", review.pk),
            agency=agency,
            ticket_id=ref("Ticket", review.ticket_id),
            ticket_priority=review.ticket.priority,
            agreement=review.agreement,
            what_happened=review.what_happened,
            corrective_action=review.corrective_action,
            owner=review.owner,
            due_on=review.due_on,
            done_on=review.done_on,
            is_open=review.done_on is None,
            created_at=review.created_at,
        )


def _readable_agencies(info, slug):
    """The agencies the caller may read, or a GraphQL error (FORBIDDEN, or the bad input)."""
    user = require_user(info)
    try:
        return compliance.agencies_for(user, host_agency(info), slug)
    except PermissionDenied as exc:
        raise GraphQLError(str(exc), extensions={"code": "FORBIDDEN"}) from exc
    except ValidationError as exc:
        raise _input_error(exc) from exc


def _input_error(exc: ValidationError) -> GraphQLError:
    field, errs = next(iter(exc.error_dict.items()))
    return GraphQLError(
        errs[0].messages[0],
        extensions={"code": str(errs[0].code).upper(), "field": to_camel_case(field)},
    )


class ComplianceQueries(graphene.ObjectType):
    compliance_report = graphene.Field(
        ComplianceReportType,
        month=graphene.String(required=True, description="YYYY-MM (local time)"),
        agency=graphene.String(description="An agency's slug (central host); default: all."),
        description="Agreement compliance of the tickets created in a month, per agency, "
        "agreement and priority (proactive tickets excluded), as of now.",
    )
    review_actions = graphene.List(
        graphene.NonNull(ReviewActionType),
        open=graphene.Boolean(description="True: not done yet; false: done; default: all."),
        agency=graphene.String(description="An agency's slug (central host); default: all."),
        description="Review actions of OLA breaches, by agency and due date.",
    )

    def resolve_compliance_report(self, info, month, agency=None):
        agencies = _readable_agencies(info, agency)
        try:
            first_day = compliance.parse_month(month)
        except ValidationError as exc:
            raise _input_error(exc) from exc
        return compliance.monthly_report(agencies, first_day)

    def resolve_review_actions(self, info, open=None, agency=None):
        agencies = _readable_agencies(info, agency)
        central = host_agency(info) is None
        return [
            ReviewActionType.of(a, review, central=central)
            for a, review in reviews.review_actions(agencies, open=open)
        ]


class ReviewMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = SupportErrorCode
    error_type_name = "SupportError"

    review_action = graphene.Field(ReviewActionType)

    @classmethod
    def check_permission(cls, info):
        require_central_for_mutation(info, *SERVICE_DESK)


class RecordReviewAction(ReviewMutation):
    """Record what is done about a ticket that breached an OLA clock (central host)."""

    class Arguments:
        ticket = graphene.ID(required=True, description="AgencyTicket:<agency>.<id>")
        what_happened = graphene.String(required=True)
        corrective_action = graphene.String(required=True)
        owner = graphene.String(required=True, description="A role or function.")
        due_on = graphene.Date(required=True, description="Today or later.")

    @classmethod
    def perform(cls, info, ticket, what_happened, corrective_action, owner, due_on):
        agency, pk = agency_row_ref(info, ticket, "Ticket", "ticket")
        review = reviews.record_review_action(
            agency,
            current_user(info),
            pk,
            reviews.NewReviewAction(
                what_happened=what_happened,
                corrective_action=corrective_action,
                owner=owner,
                due_on=due_on,
            ),
        )
        return {"review_action": ReviewActionType.of(agency, review, central=True)}


class CompleteReviewAction(ReviewMutation):
    """Mark a review action done (central host)."""

    class Arguments:
        review_action = graphene.ID(required=True, description="AgencyReviewAction:<agency>.<id>")
        done_on = graphene.Date(description="Default: today; not in the future.")

    @classmethod
    def perform(cls, info, review_action, done_on=None):
        agency, pk = agency_row_ref(info, review_action, "ReviewAction", "review_action")
        review = reviews.complete_review_action(agency, current_user(info), pk, done_on)
        return {"review_action": ReviewActionType.of(agency, review, central=True)}


class ComplianceMutations(graphene.ObjectType):
    record_review_action = RecordReviewAction.Field()
    complete_review_action = CompleteReviewAction.Field()
