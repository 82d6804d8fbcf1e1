"""Portal pages of ordering: the paths on an agency host and on the central host (views in
services/ordering/portal.py or services/ordering/portal/)."""

agency_urlpatterns: list = []
central_urlpatterns: list = []
