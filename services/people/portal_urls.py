"""Portal pages of the people register (agency hosts; views in services/people/portal.py)."""

from django.urls import path

from services.people import portal

agency_urlpatterns: list = [
    path("", portal.people, name="list"),
    path("add/", portal.add, name="add"),
    path("import/", portal.import_file, name="import"),
    path("mine/", portal.mine, name="mine"),
    path("<int:pk>/", portal.edit, name="edit"),
    path("<int:pk>/lifecycle/", portal.lifecycle, name="lifecycle"),
    path("<int:pk>/export/", portal.export, name="export"),
]
central_urlpatterns: list = []
