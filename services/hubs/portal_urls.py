"""Portal pages of hubs: the paths on an agency host and on the central host (views in
services/hubs/portal.py or services/hubs/portal/)."""

agency_urlpatterns: list = []
central_urlpatterns: list = []
