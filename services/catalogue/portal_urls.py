"""Portal pages of catalogue: the paths on an agency host and on the central host (views in
services/catalogue/portal.py or services/catalogue/portal/)."""

agency_urlpatterns: list = []
central_urlpatterns: list = []
