"""Portal pages of costs: the paths on an agency host and on the central host (views in
services/costs/portal.py or services/costs/portal/)."""

agency_urlpatterns: list = []
central_urlpatterns: list = []
