"""The test settings' lockout backend (config/settings/test.py)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class RequestlessLoginBackend(AxesStandaloneBackend):
    """axes' lockout check, except for `authenticate()` without a request: Django's test
    client's `login()` calls it so, and axes' own backend raises then. A sign-in over HTTP
    always carries its request, so every one of them is still checked (tests/signin/)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
