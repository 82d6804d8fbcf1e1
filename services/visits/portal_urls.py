"""Portal pages of visits: the paths on an agency host and on the central host (views in
services/visits/portal.py or services/visits/portal/)."""

agency_urlpatterns: list = []
central_urlpatterns: list = []
