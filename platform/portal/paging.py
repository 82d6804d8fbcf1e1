"""Pages of long lists: a fixed page size, so a page costs the same whatever the list's length."""

from __future__ import annotations

from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page (?page=N; out-of-range numbers give the last page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
