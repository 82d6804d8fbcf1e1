"""Portal pages of visits: the paths on an agency host and on the central host (views in
services/field/visits/portal/)."""

from django.urls import path

from services.field.visits.portal import agency, central

agency_urlpatterns: list = [
    path("", agency.request_visit, name="request"),
    path("<int:pk>/cancel/", agency.cancel, name="cancel"),
]
central_urlpatterns: list = [
    path("board/", central.board, name="board"),
    path("board/<int:agency_id>/<int:pk>/", central.board_visit, name="board-visit"),
    path("mine/", central.mine, name="mine"),
    path("mine/<int:agency_id>/<int:pk>/arrived/", central.arrive, name="arrive"),
    path("mine/<int:agency_id>/<int:pk>/complete/", central.complete, name="complete"),
]
