"""Self-help on an agency's host, for its members: search the knowledge base (the shared
articles and the agency's own), read an article, and say whether it helped (once per person
and article; a second verdict replaces the first). Ratings are written by
services/knowledge/actions.py."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tenants.utils import tenant_context

from services.knowledge import actions, policies, ratings, search
from services.knowledge.agency.interface import AgencyArticle
from services.knowledge.models import Article, ArticleKind
from tenants.models import Agency, User
from tenants.viewer import Viewer, of_request

RESULTS = 20
_PAGE = {ArticleKind.SHARED: "knowledge:shared", ArticleKind.AGENCY: "knowledge:own"}


def _reader(request: HttpRequest) -> tuple[Viewer, Agency]:
    """The viewer, a member of the host's agency, and that agency."""
    viewer = of_request(request)
    if viewer.agency is None or not policies.rates_articles(viewer):
        raise PermissionDenied(_("The knowledge base is for the agency's members and central IT."))
    return viewer, viewer.agency


@login_required
@require_GET
def help_search(request: HttpRequest) -> HttpResponse:
    """The search box and its best matches (two queries); without a search, the published
    articles to browse, by service and title (four queries)."""
    viewer, agency = _reader(request)
    text = (request.GET.get("q") or "").strip()[: search.MAX_SEARCH_LENGTH]
    if text:
        hits = search.suggest(agency, text, limit=RESULTS)
    else:
        hits, _total = search.page(search.Scope(agency=agency), "", None, 0, RESULTS)
    rows = [{"hit": h, "url_name": _PAGE[ArticleKind(h.kind)]} for h in hits]
    return render(request, "knowledge/help.html", {"q": text, "rows": rows})


def _article(viewer: Viewer, agency: Agency, kind: str, pk: int) -> Any:
    if kind == ArticleKind.SHARED:
        shared = Article.objects.select_related("service")
        found: Any = policies.shared_articles(viewer, shared).filter(pk=pk, published=True).first()
    else:
        with tenant_context(agency):
            own = AgencyArticle.objects.select_related("service")
            found = policies.agency_articles(viewer, own).filter(pk=pk, published=True).first()
    if found is None:
        raise Http404(_("No such article."))
    return found


def _show(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    viewer, agency = _reader(request)
    article = _article(viewer, agency, kind, pk)
    return render(
        request,
        "knowledge/article.html",
        {"article": article, "kind": kind, "verdict": ratings.my_verdict(viewer, kind, pk)},
    )


@login_required
@require_GET
def shared_article(request: HttpRequest, pk: int) -> HttpResponse:
    return _show(request, ArticleKind.SHARED, pk)


@login_required
@require_GET
def own_article(request: HttpRequest, pk: int) -> HttpResponse:
    return _show(request, ArticleKind.AGENCY, pk)


@login_required
@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    """Helpful or not (`helpful` = "yes" or "no") for the article named by `kind` and
    `article`; back to the article with a thank-you."""
    _viewer, agency = _reader(request)
    kind = request.POST.get("kind", "")
    raw_id = request.POST.get("article", "")
    verdict = request.POST.get("helpful", "")
    if kind not in _PAGE or not raw_id.isdigit() or verdict not in ("yes", "no"):
        return HttpResponseBadRequest(_("Say whether the article helped."))
    try:
        actions.rate_article(
            agency,
            cast(User, request.user),
            article_kind=kind,
            article_id=int(raw_id),
            helpful=verdict == "yes",
        )
    except ValidationError as exc:
        raise Http404(_("No such article.")) from exc
    messages.success(request, _("Thank you: your answer helps us improve the article."))
    return redirect(_PAGE[ArticleKind(kind)], pk=int(raw_id))
