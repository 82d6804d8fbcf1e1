"""The pages allauth sends a sign-in to when it does not finish (names allauth reverses)."""

from django.urls import path

from services.agencies.federation import pages

urlpatterns = [
    path("cancelled/", pages.cancelled, name="socialaccount_login_cancelled"),
    path("error/", pages.failed, name="socialaccount_login_error"),
    path("signup/", pages.failed, name="socialaccount_signup"),
    path("inactive/", pages.inactive, name="account_inactive"),
]
