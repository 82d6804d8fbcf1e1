"""Portal pages of licences: the paths on an agency host and on the central host (views in
services/licences/portal.py or services/licences/portal/)."""

agency_urlpatterns: list = []
central_urlpatterns: list = []
