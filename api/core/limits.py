"""Query limits enforced before execution (design.md §7): depth, aliases, operations, cost.

graphene ships the depth limit and the introspection switch; alias, operation and cost limits
are ours. The cost model follows Saleor's: every field costs 1, and a list field's selection
costs as many times as the `first`/`last` it asks for (the page-size cap when it is a variable
or absent), so a nested list multiplies.
"""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    ValidationRule,
)

LIST_ARGUMENTS = ("first", "last")


def alias_limit_rule(max_aliases: int) -> type[ValidationRule]:
    class AliasLimitRule(ValidationRule):
        def __init__(self, context):
            super().__init__(context)
            self.count = 0

        def enter_field(self, node: FieldNode, *_args):
            if node.alias is not None:
                self.count += 1
                if self.count == max_aliases + 1:
                    self.report_error(
                        GraphQLError(
                            f"Too many aliases: at most {max_aliases} per request.",
                            extensions={"code": "QUERY_TOO_COMPLEX"},
                        )
                    )

    return AliasLimitRule


def operation_limit_rule(max_operations: int) -> type[ValidationRule]:
    class OperationLimitRule(ValidationRule):
        def enter_document(self, node, *_args):
            ops = [d for d in node.definitions if isinstance(d, OperationDefinitionNode)]
            if len(ops) > max_operations:
                self.report_error(
                    GraphQLError(
                        f"Too many operations in one document: at most {max_operations}.",
                        extensions={"code": "QUERY_TOO_COMPLEX"},
                    )
                )

    return OperationLimitRule


def cost_limit_rule(max_cost: int, page_cap: int) -> type[ValidationRule]:
    class CostLimitRule(ValidationRule):
        def enter_document(self, node, *_args):
            fragments = {
                d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
            }
            for op in node.definitions:
                if isinstance(op, OperationDefinitionNode):
                    cost = _selection_cost(op.selection_set, fragments, page_cap, set())
                    if cost > max_cost:
                        self.report_error(
                            GraphQLError(
                                f"Query cost {cost} exceeds the budget of {max_cost}: ask for "
                                "fewer rows (first/last) or fewer nested lists.",
                                extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost},
                            )
                        )

    return CostLimitRule


def _multiplier(field: FieldNode, page_cap: int) -> int:
    for arg in field.arguments or ():
        if arg.name.value in LIST_ARGUMENTS:
            if isinstance(arg.value, IntValueNode):
                return max(1, min(int(arg.value.value), page_cap))
            return page_cap  # a variable: assume the largest page
    return 1


def _selection_cost(selection_set, fragments, page_cap, seen: set[str]) -> int:
    if selection_set is None:
        return 0
    total = 0
    for sel in selection_set.selections:
        if isinstance(sel, FieldNode):
            children = _selection_cost(sel.selection_set, fragments, page_cap, seen)
            total += 1 + _multiplier(sel, page_cap) * children
        elif isinstance(sel, InlineFragmentNode):
            total += _selection_cost(sel.selection_set, fragments, page_cap, seen)
        elif isinstance(sel, FragmentSpreadNode):
            name = sel.name.value
            if name in seen or name not in fragments:
                continue  # cycles and unknown fragments are reported by the standard rules
            total += _selection_cost(
                fragments[name].selection_set, fragments, page_cap, seen | {name}
            )
    return total
