"""The to-do list's providers: each domain's `todo_items`, registered with the list's page
(services/agencies/todo.py), which may not import sibling domains itself."""

from services.agencies import todo
from services.costs.todo import todo_items as costs_items
from services.ordering.todo import todo_items as ordering_items

todo.register(ordering_items, costs_items)
