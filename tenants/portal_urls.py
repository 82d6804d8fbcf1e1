"""Portal pages of agencies (onboarding, suspension): central host only."""

agency_urlpatterns: list = []
central_urlpatterns: list = []
