"""Portal pages of seats: the paths on an agency host and on the central host (views in
services/seats/portal.py or services/seats/portal/)."""

agency_urlpatterns: list = []
central_urlpatterns: list = []
