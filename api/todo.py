"""The signed-in person's to-do list (services/agencies/todo.py): what waits for them in each
domain on this host, with counts. Orders to approve (agency admins), budget overrides and
disputes (finance, centrally), statements to accept (agency admins)."""

from __future__ import annotations

import graphene

from api.core.permissions import require_user, viewer
from services.agencies import todo
from services.costs.todo import todo_items as costs_items
from services.ordering.todo import todo_items as ordering_items

todo.register(ordering_items, costs_items)  # idempotent; the portal registers them too


class TodoItemType(graphene.ObjectType):
    key = graphene.String(
        required=True,
        description="orders_to_approve, budget_overrides, disputes or statements_to_accept.",
    )
    label = graphene.String(required=True)
    count = graphene.Int(required=True)
    url = graphene.String(required=True, description="The portal page listing them.")


class TodoQueries(graphene.ObjectType):
    todo = graphene.List(
        graphene.NonNull(TodoItemType),
        required=True,
        description="What waits for the signed-in person on this host, with counts; empty "
        "when nothing concerns their roles.",
    )

    def resolve_todo(self, info):
        require_user(info)
        return todo.items_for(viewer(info))
