"""Passwords at OWASP ASVS 2.1 (issue 19): at least 12 characters, no maximum below 64, none
of Django's 20,000 common or breached passwords, not all digits, not like the username. Every
place a person sets a password checks it: Django's password forms and `changepassword`."""

from __future__ import annotations

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.management.commands import changepassword
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tenants.models import User

pytestmark = pytest.mark.django_db

GOOD = "lingon sylt på rågbröd"


def _codes(password: str, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {error.code for error in exc.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("kort-ord-1", "password_too_short"),  # 10 characters (ASVS 2.1.1: 12 at least)
        ("password1234", "password_too_common"),  # 12 characters, but on the list (2.1.7)
        ("1q2w3e4r5t6y", "password_too_common"),
        ("804712938471", "password_entirely_numeric"),
    ],
)
def test_weak_passwords_are_refused_with_a_code(password, code):
    assert code in _codes(password)


def test_a_password_like_the_username_is_refused(federation):
    user = federation.user("alpha-admin")
    assert "password_too_similar" in _codes("alpha-admin-2026", user)


def test_long_passphrases_are_welcome():
    # ASVS 2.1.2: at least 64 characters allowed (Django sets no maximum); spaces and any
    # Unicode are kept as typed
    assert _codes(GOOD) == set()
    assert _codes("en lång lösenfras med många ord i rad " * 4) == set()  # 152 characters


def test_the_password_form_reports_the_field_error(federation):
    user = federation.user("alpha-staff")
    form = SetPasswordForm(user, {"new_password1": "password1234", "new_password2": "password1234"})
    assert not form.is_valid()
    [error] = form.errors.as_data()["new_password2"]
    assert error.code == "password_too_common"
    assert "too common" in error.messages[0]
    form = SetPasswordForm(user, {"new_password1": GOOD, "new_password2": GOOD})
    assert form.is_valid(), form.errors


def test_changepassword_refuses_a_weak_password_and_takes_a_strong_one(federation, monkeypatch):
    user = User.objects.create_user(username="operator", password="old password, long enough")
    typed = iter(["kort", "kort"] * 3)
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": next(typed))
    with pytest.raises(CommandError, match="after 3 attempts"):
        call_command("changepassword", "operator")
    user.refresh_from_db()
    assert user.check_password("old password, long enough")

    typed = iter([GOOD, GOOD])
    call_command("changepassword", "operator")
    user.refresh_from_db()
    assert user.check_password(GOOD)
