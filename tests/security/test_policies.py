"""One place decides who sees what (issue 17; docs/decisions/2026-12-07-viewer-and-policies.md).

- Every GraphQL type names its domain's policy: a function of a `services/<domain>/policies.py`
  module. A new type without one fails here, and so does a type that
  filters rows by who asks itself (a `visible` method).
- No GraphQL module, portal page, download, admin, channel or action tests roles itself: they
  ask the policies, which ask the viewer (tenants/viewer.py), built on tenants.access.
- The viewer is built once per request, and a suspended agency's people hold nothing in it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from api.core.types import SamnavObjectType
from api.schema import schema  # noqa: F401  (imports every type)
from tenants import access
from tenants.models import AgencyState
from tenants.roles import Role
from tenants.viewer import Viewer, of_request

REPO = Path(__file__).resolve().parents[2]
POLICY_MODULE = re.compile(r"^services(\.[a-z_]+){1,2}\.policies$")
# Direct role tests that belong in a policy: the viewer's and tenants.access's helpers.
ROLE_TEST = re.compile(
    r"\baccess\.(has_agency_role|has_central_role|member_rows|agency_roles|central_roles)\("
)


def _types() -> list[type]:
    found, pending = [], list(SamnavObjectType.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not getattr(getattr(cls, "_meta", None), "abstract", False):
            found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def test_every_type_names_its_domains_policy():
    types = _types()
    assert len(types) > 30  # the walk found the schema's types
    wrong = {
        f"{cls.__module__}.{cls.__name__}": getattr(cls.policy, "__module__", None)
        for cls in types
        if cls.policy is None or not POLICY_MODULE.match(cls.policy.__module__)
    }
    assert not wrong, f"types without a domain policy: {wrong}"
    filtering = [cls.__name__ for cls in types if "visible" in vars(cls)]
    assert not filtering, f"types that filter rows themselves: {filtering}"


def _modules(*patterns: str) -> list[Path]:
    return sorted({p for pattern in patterns for p in REPO.glob(pattern)})


# The layer under the policies: the grants, the viewer built on them, and the middleware that
# refuses identities whose agencies are not active.
VIEWER_LAYER = {
    "tenants/access.py",
    "tenants/viewer.py",
    "tenants/middleware.py",
    "tenants/sessions.py",
}


def test_only_the_policies_test_roles():
    """GraphQL modules, portal pages, downloads, the admin, the channels and the actions ask
    their domain's policy (with a viewer); only the policies read the viewer's grants."""
    modules = _modules(
        "api/**/*.py", "services/**/*.py", "tenants/**/*.py", "platform/**/*.py", "demo/**/*.py"
    )
    assert len(modules) > 200
    offenders = {
        rel: sorted(set(ROLE_TEST.findall(path.read_text())))
        for path in modules
        if (rel := str(path.relative_to(REPO))) not in VIEWER_LAYER
        and not rel.endswith("/policies.py")
        and ROLE_TEST.search(path.read_text())
    }
    assert not offenders, f"ask the domain's policy instead: {offenders}"


@pytest.mark.django_db
def test_the_viewer_is_built_once_per_request(federation):
    request = RequestFactory().get("/", HTTP_HOST="alpha.localhost")
    request.user, request.tenant = federation.user("alpha-admin"), federation.alpha
    access.forget(request.user)
    with CaptureQueriesContext(connection) as queries:
        first = of_request(request)
        assert of_request(request) is first
    assert [q["sql"] for q in queries if "SELECT" in q["sql"]] == [  # the grants, once
        q["sql"] for q in queries if "tenants_rolegrant" in q["sql"]
    ]
    assert len([q for q in queries if "tenants_rolegrant" in q["sql"]]) == 1
    assert first.member(Role.AGENCY_ADMIN) and first.admin_agency == federation.alpha
    assert not first.central() and not first.on_central_host


@pytest.mark.django_db
def test_a_suspended_agencys_people_hold_nothing(federation):
    from services.support.models import Ticket
    from tenants.models import Agency

    user = federation.user("alpha-admin")
    Agency.objects.filter(pk=federation.alpha.pk).update(state=AgencyState.SUSPENDED)
    access.forget(user)
    try:
        viewer = Viewer.of(user, Agency.objects.get(pk=federation.alpha.pk))
        assert viewer.grants == frozenset()
        assert not viewer.member() and viewer.admin_agency is None
        assert viewer.member_rows(Ticket.objects.all(), "requester__user_id").query.is_empty()
    finally:
        access.forget(user)  # the session's user object: its grants are read afresh next time
