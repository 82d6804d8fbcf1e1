"""SCIM Groups of an agency (RFC 7643 §4.2): its directory's groups and their members, written
by the agency's identity provider through one of its SCIM tokens (policies.scim_keeps_register).

A group's members are people of the register (SCIM Users). After any change of membership,
`members_changed` names the people whose groups changed, so that the roles the agency's
identity providers map from groups follow at once (services/agencies/federation/groups.py).
Audited in public with the group's id and the counts, never names.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django.dispatch
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.audit.actions import record_event
from services.people import policies
from services.people.errors import PeopleErrorCode as Code
from services.people.scim.actor import ScimActor
from services.people.scim.models import ScimGroup
from services.people.scim.served import provisioned
from services.validation import Errors, field_error, text
from tenants.models import Agency

# sender=ScimGroup, agency, person_ids: sent inside the write's transaction and tenant context.
members_changed = django.dispatch.Signal()


def _require(actor: ScimActor, agency: Agency) -> None:
    if not policies.scim_keeps_register(actor, agency):
        raise PermissionDenied(_("The SCIM token is not valid for this agency."))


def _members(agency: Agency, ids: Iterable[str]) -> set[int]:
    wanted = {int(i) for i in ids if str(i).isdigit() and len(str(i)) <= 18}
    if len(wanted) != len(set(ids)):
        raise field_error("members", _("A member is not a user of this agency."), Code.INVALID)
    found = set(provisioned(agency).filter(pk__in=wanted).values_list("pk", flat=True))
    if found != wanted:
        raise field_error("members", _("A member is not a user of this agency."), Code.INVALID)
    return found


def _clean(values: dict[str, Any]) -> dict[str, str]:
    errors = Errors()
    name = text(errors, "display_name", values.get("display_name"), codes=Code, max_length=200)
    external = text(
        errors,
        "external_id",
        values.get("external_id") or "",
        codes=Code,
        max_length=200,
        required=False,
    )
    errors.raise_if_any()
    return {"display_name": name, "external_id": external}


def _audit(actor: ScimActor, action: str, group: ScimGroup, **changes: Any) -> None:
    record_event(
        None, action, group, agency=actor.agency, via="scim", scim_token=actor.token_id, **changes
    )


def _save(
    agency: Agency, actor: ScimActor, group: ScimGroup | None, values: dict[str, Any]
) -> ScimGroup:
    clean = _clean(values)
    try:
        with transaction.atomic():
            if group is None:
                group = ScimGroup.objects.create(**clean)
                before: set[int] = set()
                action = "people.scim_group.created"
            else:
                for field, value in clean.items():
                    setattr(group, field, value)
                group.updated_at = timezone.now()
                group.save()
                before = set(group.members.values_list("pk", flat=True))
                action = "people.scim_group.updated"
            after = _members(agency, values.get("members") or []) if "members" in values else before
            group.members.set(after)
            changed = before ^ after
            _audit(actor, action, group, members=len(after), changed=len(changed))
            if changed:
                members_changed.send(ScimGroup, agency=agency, person_ids=sorted(changed))
    except IntegrityError as exc:
        raise field_error(
            "display_name", _("A group of this name exists."), Code.DUPLICATE
        ) from exc
    return group


def create_group(agency: Agency, actor: ScimActor, values: dict[str, Any]) -> ScimGroup:
    """values: display_name, external_id, members (the SCIM ids of people)."""
    _require(actor, agency)
    with tenant_context(agency):
        return _save(agency, actor, None, values)


def replace_group(
    agency: Agency, actor: ScimActor, group_id: int, values: dict[str, Any]
) -> ScimGroup:
    _require(actor, agency)
    with tenant_context(agency), transaction.atomic():
        group = ScimGroup.objects.select_for_update().filter(pk=group_id).first()
        if group is None:
            raise field_error("group", _("No such group."), Code.NOT_FOUND)
        return _save(agency, actor, group, values)


def delete_group(agency: Agency, actor: ScimActor, group_id: int) -> None:
    _require(actor, agency)
    with tenant_context(agency), transaction.atomic():
        group = ScimGroup.objects.select_for_update().filter(pk=group_id).first()
        if group is None:
            raise field_error("group", _("No such group."), Code.NOT_FOUND)
        members = sorted(group.members.values_list("pk", flat=True))
        _audit(actor, "people.scim_group.deleted", group, members=len(members))
        group.delete()
        if members:
            members_changed.send(ScimGroup, agency=agency, person_ids=members)


def group_keys(person_id: int) -> set[str]:
    """The external ids and names of the person's groups (inside the agency's context), as
    the identity providers' "roles by group" may name them."""
    keys: set[str] = set()
    for name, external in ScimGroup.objects.filter(members__pk=person_id).values_list(
        "display_name", "external_id"
    ):
        keys.add(name)
        if external:
            keys.add(external)
    return keys
