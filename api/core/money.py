"""Money in the API: one scalar, `Ore`, for every amount (SEK in whole öre, as it is stored).

graphene's BigInt reads "1.999" as 1 and 0.5 as 0 (`int(float(value))`): money lost without a
word. `Ore` takes a whole number only, as a JSON number or a literal, from -(2^63 - 1) to
2^63 - 1 (PostgreSQL's bigint); anything else, a fraction, a float, a numeric string, a
boolean, is refused with an error that names the argument, code INVALID_AMOUNT, and nothing
is written. Amounts are never rounded here."""

from __future__ import annotations

from typing import Any

import graphene
from django.db import models
from graphene_django.converter import convert_django_field
from graphql import IntValueNode, ValueNode

LIMIT = 2**63 - 1
CODE = "INVALID_AMOUNT"


class AmountError(ValueError):
    """Raised by the scalar; the view gives it its code (api/core/view.py)."""


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AmountError(
            f"an amount is a whole number of öre (SEK/100), never a fraction or text: {value!r}"
        )
    if not -LIMIT <= value <= LIMIT:
        raise AmountError(f"an amount is at most {LIMIT} öre either way: {value}")
    return value


class Ore(graphene.Scalar):
    """SEK in whole öre (1 krona = 100 öre): an integer from -(2^63 - 1) to 2^63 - 1. A
    fraction, a float, a string or a number out of range is refused, never rounded."""

    @staticmethod
    def serialize(value: Any) -> int:
        return int(value)

    @staticmethod
    def parse_value(value: Any) -> int:
        return _whole(value)

    @staticmethod
    def parse_literal(ast: ValueNode, _variables: Any = None) -> int:
        if not isinstance(ast, IntValueNode):
            raise AmountError(
                "an amount is a whole number of öre (SEK/100), written without quotes"
            )
        return _whole(int(ast.value))


@convert_django_field.register(models.BigIntegerField)
def convert_amount(field: models.BigIntegerField, registry: Any = None) -> graphene.Scalar:
    """Model columns named *_ore are amounts: `Ore`; any other big integer stays BigInt."""
    kind = Ore if field.name.endswith("_ore") else graphene.BigInt
    return kind(description=field.help_text or None, required=not field.null)
