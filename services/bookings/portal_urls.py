"""Portal pages of bookings: the paths on an agency host and on the central host (views in
services/bookings/portal.py or services/bookings/portal/)."""

agency_urlpatterns: list = []
central_urlpatterns: list = []
