"""Concurrent share changes on one project serialise on the project row: the result is one
caller's list exactly, never a mix, and neither caller fails."""

from decimal import Decimal

import pytest

from services.audit.models import AuditEvent
from services.projects import actions
from services.projects.models import Project, ProjectShare
from tests.concurrency import in_thread, run_together

pytestmark = pytest.mark.django_db


def test_concurrent_share_changes_do_not_mix(federation):
    # given a committed project shared by alpha and beta
    project = in_thread(lambda: actions.create_project(None, name="Samtidighetsprov", budget_ore=0))
    in_thread(
        lambda: actions.set_shares(
            None,
            project.pk,
            [
                {"agency": federation.alpha.pk, "share": 1},
                {"agency": federation.beta.pk, "share": 1},
            ],
        )
    )
    lists = [
        {federation.alpha.pk: Decimal(2)},  # drops beta
        {federation.beta.pk: Decimal(5), federation.alpha.pk: Decimal(3)},  # changes both
    ]
    try:
        # when two callers replace the shares at the same time
        results = run_together(
            2,
            lambda i: actions.set_shares(
                None, project.pk, [{"agency": a, "share": w} for a, w in lists[i].items()]
            ),
        )
        # then both succeed, and the shares are exactly one caller's list
        assert [isinstance(r, Exception) for r in results] == [False, False]
        final = in_thread(
            lambda: dict(
                ProjectShare.objects.filter(project_id=project.pk).values_list(
                    "agency_id", "weight"
                )
            )
        )
        assert final in lists
        events = in_thread(
            lambda: AuditEvent.objects.filter(
                action="projects.shares.set", object_id=str(project.pk)
            ).count()
        )
        assert events == 3
    finally:
        in_thread(
            lambda: (
                AuditEvent.objects.filter(
                    object_type="projects.project", object_id=str(project.pk)
                ).delete(),
                ProjectShare.objects.filter(project_id=project.pk).delete(),
                Project.objects.filter(pk=project.pk).delete(),
            )
        )
