"""Portal pages of support: the paths on an agency host and on the central host (views in
services/support/portal.py or services/support/portal/)."""

agency_urlpatterns: list = []
central_urlpatterns: list = []
