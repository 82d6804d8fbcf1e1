"""Demo joint projects among the demo county boards (demo/loader.py). Invented figures;
names and milestones in Swedish because they are demo content for Swedish users.

`load_projects(agencies)` is idempotent: a project is found by name and left as it is when
it exists. Participants are matched by slug among `agencies`; a project with fewer than two
of its participants present is skipped. Written through the actions (audited, validated).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import cast

from django.db import transaction
from django.utils import timezone

from services.projects import actions
from services.projects.models import Project, ProjectState, ShareBasis
from tenants.models import Agency

SEK = 100  # öre
ALL_BOARDS = "*"  # every given agency, weighted by headcount

# name, purpose, budget (SEK), starts, ends, final state, share basis,
# shares {slug: share} or ALL_BOARDS, milestones [(name, due on, done on or None)]
ProjectSpec = tuple[
    str,
    str,
    int,
    dt.date,
    dt.date,
    ProjectState,
    ShareBasis,
    dict[str, int] | str,
    list[tuple[str, dt.date, dt.date | None]],
]
PROJECTS: list[ProjectSpec] = [
    (
        "Gemensam e-arkivplattform",
        "En gemensam plattform för bevarande av allmänna handlingar, som ersätter länens "
        "egna lösningar.",
        18_500_000,
        dt.date(2026, 1, 1),
        dt.date(2027, 12, 31),
        ProjectState.ACTIVE,
        ShareBasis.PERCENT,
        {"stockholm": 30, "vastra-gotaland": 25, "skane": 25, "uppsala": 15, "gotland": 5},
        [
            ("Förstudie klar", dt.date(2026, 3, 31), dt.date(2026, 3, 27)),
            ("Upphandling avslutad", dt.date(2026, 9, 30), dt.date(2026, 10, 12)),
            ("Pilot med tre län", dt.date(2027, 3, 31), None),
            ("Driftsättning", dt.date(2027, 11, 30), None),
        ],
    ),
    (
        "Ny ärendehandläggning",
        "Ett nytt gemensamt system för ärendehandläggning och diarium i alla län.",
        42_000_000,
        dt.date(2026, 9, 1),
        dt.date(2028, 12, 31),
        ProjectState.ACTIVE,
        ShareBasis.WEIGHT,
        ALL_BOARDS,
        [
            ("Kravställning", dt.date(2026, 12, 15), None),
            ("Leverantörsval", dt.date(2027, 4, 30), None),
            ("Första län i drift", dt.date(2028, 1, 31), None),
        ],
    ),
    (
        "Säker mobil arbetsplats",
        "Mobil arbetsplats med skyddad åtkomst för fältpersonal i de norra länen.",
        6_200_000,
        dt.date(2027, 1, 1),
        dt.date(2027, 12, 31),
        ProjectState.PROPOSED,
        ShareBasis.WEIGHT,
        {"norrbotten": 1, "vasterbotten": 1, "jamtland": 1, "vasternorrland": 1},
        [("Behovsanalys", dt.date(2027, 2, 28), None)],
    ),
]


def _shares(spec: dict[str, int] | str, agencies: Sequence[Agency]) -> list[dict]:
    by_slug = {a.slug: a for a in agencies}
    if spec == ALL_BOARDS:
        return [
            {"agency": a.pk, "share": Decimal(max(a.headcount, 1))}
            for a in sorted(agencies, key=lambda a: a.slug)
        ]
    return [
        {"agency": by_slug[slug].pk, "share": Decimal(share)}
        for slug, share in cast("dict[str, int]", spec).items()
        if slug in by_slug
    ]


def load_projects(agencies: Sequence[Agency]) -> int:
    """Create the demo projects that are missing; returns how many were created."""
    today = timezone.localdate()
    existing = set(Project.objects.values_list("name", flat=True))
    created = 0
    for name, purpose, budget, starts, ends, state, basis, spec, milestones in PROJECTS:
        shares = _shares(spec, agencies)
        if name in existing or len(shares) < 2:
            continue
        if basis == ShareBasis.PERCENT and sum(s["share"] for s in shares) != 100:
            basis = ShareBasis.WEIGHT  # some boards are missing: the rest keep their ratio
        with transaction.atomic():
            project = actions.create_project(
                None,
                name=name,
                purpose=purpose,
                budget_ore=budget * SEK,
                starts_on=starts,
                ends_on=ends,
            )
            actions.set_shares(None, project, shares, basis=basis)
            for title, due_on, done_on in milestones:
                milestone = actions.add_milestone(None, project, name=title, due_on=due_on)
                if done_on is not None and done_on <= today:
                    actions.complete_milestone(None, milestone, done_on=done_on)
            if state != ProjectState.PROPOSED:
                actions.update_project(None, project, state=state)
        created += 1
    return created
