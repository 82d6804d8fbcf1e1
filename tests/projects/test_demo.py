"""The demo projects: consistent, and loaded twice without duplicates."""

import copy
from decimal import Decimal

import pytest

from services.audit.models import AuditEvent
from services.projects import selectors
from services.projects.demo import load_projects
from services.projects.models import Milestone, Project, ProjectShare, ProjectState, ShareBasis

pytestmark = pytest.mark.django_db


def _footprint() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Project, ProjectShare, Milestone, AuditEvent))


def test_loading_the_demo_projects_twice_creates_nothing_the_second_time(federation):
    # given two agencies standing in for the boards of Stockholm and Skåne (matched by slug)
    stockholm, skane = copy.copy(federation.alpha), copy.copy(federation.beta)
    stockholm.slug, skane.slug = "stockholm", "skane"
    # when the demo projects are loaded twice
    first = load_projects([stockholm, skane])
    after_first = _footprint()
    second = load_projects([stockholm, skane])
    # then the second load creates nothing
    assert (first, second) == (2, 0)
    assert _footprint() == after_first
    # and the e-archive keeps the two boards' agreed ratio (30:25) as weights, being active
    archive = Project.objects.get(name="Gemensam e-arkivplattform")
    assert (archive.state, archive.share_basis) == (ProjectState.ACTIVE, ShareBasis.WEIGHT)
    assert selectors.shares(archive.pk) == {stockholm.pk: Decimal(30), skane.pk: Decimal(25)}
    assert archive.milestones.filter(done_on__isnull=False).count() == 2
    # and the case-management project is shared by headcount
    case = Project.objects.get(name="Ny ärendehandläggning")
    assert selectors.shares(case.pk) == {stockholm.pk: Decimal(100), skane.pk: Decimal(200)}
    # and the northern project has none of its boards here, so it is not created
    assert not Project.objects.filter(name="Säker mobil arbetsplats").exists()
