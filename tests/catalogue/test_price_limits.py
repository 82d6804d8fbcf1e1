"""A price out of range is refused in kronor, in the reader's language, never in öre (issue 20:
the kronor field's error read "0 till 2147483647")."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from services.catalogue.actions.fields import MAX_ORE
from services.catalogue.actions.prices import clean_price
from services.catalogue.portal.forms import PriceForm


def test_the_action_names_the_limit_in_kronor():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        clean_price(None, None, valid_from="2026-12-01", monthly_ore=MAX_ORE + 1)
    [message] = refused.value.message_dict["monthly_ore"]
    assert message == "Give a price from 0 kr to 21,474,836.47 kr."
    assert "2147483647" not in message


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("sv", "99999999", "Ange ett pris från 0 kr till 21\xa0474\xa0836,47 kr."),
        ("en", "-1", "Give a price from 0 kr to 21,474,836.47 kr."),
    ],
)
def test_the_price_form_names_the_limit_in_kronor(language, typed, expected):
    with translation.override(language):
        form = PriceForm({"valid_from": "2026-12-01", "monthly": typed, "one_off": "0"})
        assert not form.is_valid()
        assert form.errors["monthly"] == [expected]
