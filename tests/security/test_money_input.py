"""Money in, exactly (issue 18): every amount argument is the `Ore` scalar, which takes whole
öre only. A fraction, a float, a numeric string or 2^63 is refused with the argument named and
code INVALID_AMOUNT, and nothing is written; graphene's BigInt read "1.999" as 1."""

from __future__ import annotations

import pytest
from graphql import GraphQLInputObjectType, GraphQLNonNull, GraphQLObjectType

from api.schema import schema
from services.projects.models import Project
from tests.graphql import gql

pytestmark = pytest.mark.django_db

CREATE = """mutation($budget: Ore!) {
  createJointProject(input: {name: "Kassaprojekt", budgetOre: $budget}) { project { id } }
}"""


def _named(type_):
    while isinstance(type_, GraphQLNonNull) or hasattr(type_, "of_type"):
        type_ = type_.of_type
    return type_.name


def test_every_amount_in_the_schema_is_ore():
    amounts = []
    for type_ in schema.graphql_schema.type_map.values():
        if isinstance(type_, GraphQLObjectType | GraphQLInputObjectType):
            for name, field in type_.fields.items():
                if name.endswith("Ore"):
                    amounts.append((type_.name, name, _named(field.type)))
                for arg_name, arg in getattr(field, "args", {}).items():
                    if arg_name.endswith("Ore"):
                        amounts.append((type_.name, f"{name}({arg_name})", _named(arg.type)))
    assert len(amounts) > 20
    assert [a for a in amounts if a[2] != "Ore"] == []


@pytest.mark.parametrize("budget", [0.5, 1.999, "1.999", "12", 2**63, -(2**63), True, "1e3"])
def test_a_budget_that_is_not_whole_ore_is_refused_and_nothing_written(federation, budget):
    response = gql(CREATE, {"budget": budget}, user=federation.user("root"))
    assert response.status == 400 or response.data is None
    [error] = response.errors
    assert error["extensions"]["code"] == "INVALID_AMOUNT"
    assert "$budget" in error["message"]
    assert not Project.objects.filter(name="Kassaprojekt").exists()


def test_a_literal_fraction_is_refused_before_anything_runs(federation):
    query = CREATE.replace("$budget: Ore!", "").replace("$budget", "12.5").replace("()", "")
    response = gql(query, user=federation.user("root"))
    [error] = response.errors
    assert error["extensions"]["code"] == "INVALID_AMOUNT"
    assert "found 12.5" in error["message"] and error["locations"]
    assert not Project.objects.filter(name="Kassaprojekt").exists()


def test_a_whole_amount_is_taken_exactly(federation):
    # the most a project's budget may be (its action's limit), to the öre
    response = gql(CREATE, {"budget": 10**15}, user=federation.user("root"))
    assert response.errors == [], response.errors
    assert Project.objects.get(name="Kassaprojekt").budget_ore == 10**15
