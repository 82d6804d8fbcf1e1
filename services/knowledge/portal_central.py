"""The shared articles on the central host, for their editors (the service desk, catalogue
managers): the list with its readers' ratings, a new article, and editing one. Writes go
through services/knowledge/actions.py."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import submit
from portal.paging import paginate
from services.knowledge import actions, policies, ratings, search
from services.knowledge.models import Article, Language
from services.knowledge.portal_forms import FIELD_MAP, ArticleForm
from tenants.models import User
from tenants.viewer import Viewer, of_request


def _editor(request: HttpRequest) -> Viewer:
    viewer = of_request(request)
    if not viewer.on_central_host or not policies.edits_shared_articles(viewer):
        raise PermissionDenied(
            _("Shared articles are written by catalogue managers and the service desk.")
        )
    return viewer


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    """Every shared article, drafts too, searchable, with how readers rated it. Three queries
    (count, page, tallies) whatever the number of articles."""
    viewer = _editor(request)
    query = (request.GET.get("q") or "").strip()[: search.MAX_SEARCH_LENGTH]
    page = paginate(request, search.shared_list(policies.scope(viewer), query))
    articles = list(page.object_list)
    tallies = ratings.shared_tallies(viewer, [a.pk for a in articles])
    rows = [{"article": a, "tally": tallies.get(a.pk, ratings.Tally())} for a in articles]
    return render(
        request,
        "knowledge/articles.html",
        {"page": page, "rows": rows, "q": query, "query": f"q={query}" if query else ""},
    )


def _status(request: HttpRequest, form: ArticleForm) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@login_required
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    _editor(request)
    form = ArticleForm(request.POST or None, initial={"language": Language.SWEDISH})
    if request.method == "POST":
        article = submit(
            form,
            lambda _data: actions.create_shared_article(
                cast(User, request.user), actions.ArticleInput(**form.action_values())
            ),
            FIELD_MAP,
        )
        if article is not None:
            messages.success(request, _("The article was saved."))
            return redirect("knowledge:articles")
    return render(
        request,
        "knowledge/form.html",
        {"form": form, "title": _("New article"), "back": reverse("knowledge:articles")},
        status=_status(request, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _editor(request)
    article = (
        policies.shared_articles(viewer, Article.objects.select_related("service"))
        .filter(pk=pk)
        .first()
    )
    if article is None:
        raise Http404(_("No such article."))
    form = ArticleForm(request.POST or None, initial=ArticleForm.initial_of(article))
    if request.method == "POST":
        saved = submit(
            form,
            lambda _data: actions.update_shared_article(
                cast(User, request.user), article.pk, **form.action_values()
            ),
            FIELD_MAP,
        )
        if saved is not None:
            messages.success(request, _("The article was saved."))
            return redirect("knowledge:articles")
    return render(
        request,
        "knowledge/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": article.title},
            "back": reverse("knowledge:articles"),
        },
        status=_status(request, form),
    )
