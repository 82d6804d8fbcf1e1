"""Mutations of the outbox: send the failed messages again (audited). On an agency's host its
admins retry the agency's own; on the central host platform admins and the service desk retry
every agency's and central IT's."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user, host_agency
from services.outbox import actions
from services.outbox.errors import OutboxErrorCode


class RetryFailedMessages(SamnavMutation):
    """Set failed messages back to waiting; the sweeper sends them within a minute."""

    error_codes = OutboxErrorCode
    error_type_name = "OutboxError"

    central = graphene.Int(description="Central IT's messages set to be sent again.")
    agencies = graphene.Int(description="Agencies' messages set to be sent again.")

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the action checks the roles

    @classmethod
    def perform(cls, info):
        counts = actions.retry_failed(current_user(info), agency=host_agency(info))
        return {"central": counts["central"], "agencies": counts["agency"]}


class OutboxMutations(graphene.ObjectType):
    retry_failed_messages = RetryFailedMessages.Field()
