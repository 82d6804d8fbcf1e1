"""Portal pages of the knowledge base: self-help on the agency hosts (services/knowledge/
portal.py), the shared articles' editing on the central host (portal_central.py)."""

from django.urls import path

from services.knowledge import portal, portal_central

agency_urlpatterns: list = [
    path("", portal.help_search, name="help"),
    path("shared/<int:pk>/", portal.shared_article, name="shared"),
    path("own/<int:pk>/", portal.own_article, name="own"),
    path("rate/", portal.rate, name="rate"),
]
central_urlpatterns: list = [
    path("", portal_central.article_list, name="articles"),
    path("new/", portal_central.article_new, name="new"),
    path("<int:pk>/edit/", portal_central.article_edit, name="edit"),
]
