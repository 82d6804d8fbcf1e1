"""Query limits enforced before execution (design.md §7): depth, aliases, operations, cost,
list sizes in inputs, introspection.

graphene ships a depth limit and an introspection switch, but its depth rule crashes on
fragment cycles and unknown fragments (it runs before the standard rules can report them) and
its introspection switch refuses `__typename` too, which clients add everywhere. These rules
are ours. The cost model follows Saleor's: every field costs 1, and a paginated field's
selection costs as many times as the `first`/`last` it asks for (the page-size cap when it is
a variable or absent), so nested connections multiply.

Every rule walks each fragment once (memoised), so a document cannot make validation itself
slow by spreading fragments inside fragments.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    ValidationRule,
    get_named_type,
)

LIST_ARGUMENTS = ("first", "last")
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
TOO_COMPLEX = "QUERY_TOO_COMPLEX"


def _fragments(document) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _operations(document) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


# --- depth ------------------------------------------------------------------------------------


def depth_limit_rule(max_depth: int) -> type[ValidationRule]:
    """Root fields are at depth 0; `{ a { b { c } } }` has depth 2. Introspection fields
    (`__schema`, `__type`) are not followed: GraphiQL's own schema query is deeper than any
    sensible limit, and production switches introspection off."""

    class DepthLimitRule(ValidationRule):
        def enter_document(self, node, *_unused):
            walker = _DepthWalker(_fragments(node))
            for op in _operations(node):
                height, deepest = walker.height(op.selection_set)
                depth = height - 1
                if depth > max_depth:
                    self.report_error(
                        GraphQLError(
                            _("Query depth %(depth)d exceeds the limit of %(max)d.")
                            % {"depth": depth, "max": max_depth},
                            deepest,
                            extensions={"code": TOO_COMPLEX, "depth": depth},
                        )
                    )

    return DepthLimitRule


class _DepthWalker:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode]):
        self.fragments = fragments
        self.memo: dict[str, tuple[int, FieldNode | None]] = {}
        self.in_progress: set[str] = set()

    def height(self, selection_set) -> tuple[int, FieldNode | None]:
        """Levels of fields in `selection_set`, and the first field at the deepest level."""
        best: tuple[int, FieldNode | None] = (0, None)
        if selection_set is None:
            return best
        for sel in selection_set.selections:
            found: tuple[int, FieldNode | None]
            if isinstance(sel, FieldNode):
                if sel.selection_set is None or sel.name.value in INTROSPECTION_FIELDS:
                    found = (1, sel)
                else:
                    below, deepest = self.height(sel.selection_set)
                    found = (1 + below, deepest or sel)
            elif isinstance(sel, InlineFragmentNode):
                found = self.height(sel.selection_set)
            elif isinstance(sel, FragmentSpreadNode):
                found = self.fragment_height(sel.name.value)
            else:  # pragma: no cover - the grammar has no other selection
                continue
            if found[0] > best[0]:
                best = found
        return best

    def fragment_height(self, name: str) -> tuple[int, FieldNode | None]:
        # Unknown fragments and cycles are reported by the standard rules.
        if name in self.memo:
            return self.memo[name]
        if name in self.in_progress or name not in self.fragments:
            return (0, None)
        self.in_progress.add(name)
        self.memo[name] = self.height(self.fragments[name].selection_set)
        self.in_progress.discard(name)
        return self.memo[name]


# --- aliases and operations -------------------------------------------------------------------


def alias_limit_rule(max_aliases: int) -> type[ValidationRule]:
    class AliasLimitRule(ValidationRule):
        def __init__(self, context):
            super().__init__(context)
            self.count = 0

        def enter_field(self, node: FieldNode, *_unused):
            if node.alias is not None:
                self.count += 1
                if self.count == max_aliases + 1:
                    self.report_error(
                        GraphQLError(
                            _("Too many aliases: at most %(max)d per request.")
                            % {"max": max_aliases},
                            extensions={"code": TOO_COMPLEX},
                        )
                    )

    return AliasLimitRule


def operation_limit_rule(max_operations: int) -> type[ValidationRule]:
    class OperationLimitRule(ValidationRule):
        def enter_document(self, node, *_unused):
            if len(_operations(node)) > max_operations:
                self.report_error(
                    GraphQLError(
                        _("Too many operations in one document: at most %(max)d.")
                        % {"max": max_operations},
                        extensions={"code": TOO_COMPLEX},
                    )
                )

    return OperationLimitRule


# --- list sizes in inputs -------------------------------------------------------------------

# A list argument longer than this is refused before execution, whether written in the document
# or sent as a variable (the body-size limit alone lets through thousands of short items).
DEFAULT_MAX_LIST_ITEMS = 100


def list_too_long_error(size: int, max_items: int, node=None) -> GraphQLError:
    return GraphQLError(
        _("A list in the input has %(size)d items: at most %(max)d are allowed.")
        % {"size": size, "max": max_items},
        node,
        extensions={"code": TOO_COMPLEX, "items": size},
    )


def list_size_limit_rule(max_items: int) -> type[ValidationRule]:
    class ListSizeLimitRule(ValidationRule):
        def enter_list_value(self, node: ListValueNode, *_unused):
            if len(node.values) > max_items:
                self.report_error(list_too_long_error(len(node.values), max_items, node))

    return ListSizeLimitRule


def longest_list(value) -> int:
    """The length of the longest list anywhere in a JSON value (variables), walked iteratively
    so that deeply nested input cannot exhaust the stack."""
    longest, pending = 0, [value]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            longest = max(longest, len(item))
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
    return longest


# --- introspection ----------------------------------------------------------------------------


class DisableIntrospectionRule(ValidationRule):
    """Refuses schema questions (`__schema`, `__type`); `__typename` stays available."""

    def enter_field(self, node: FieldNode, *_unused):
        if node.name.value in INTROSPECTION_FIELDS:
            self.report_error(
                GraphQLError(
                    _("Introspection is disabled on this server."),
                    node,
                    extensions={"code": "INTROSPECTION_DISABLED"},
                )
            )


# --- cost -------------------------------------------------------------------------------------


def cost_limit_rule(max_cost: int, page_cap: int) -> type[ValidationRule]:
    class CostLimitRule(ValidationRule):
        def enter_document(self, node, *_unused):
            schema = self.context.schema
            walker = _CostWalker(schema, _fragments(node), page_cap)
            for op in _operations(node):
                cost = walker.cost(op.selection_set, schema.get_root_type(op.operation))
                if cost > max_cost:
                    self.report_error(
                        GraphQLError(
                            _(
                                "Query cost %(cost)d exceeds the budget of %(max)d: ask for "
                                "fewer rows (first/last) or fewer nested lists."
                            )
                            % {"cost": cost, "max": max_cost},
                            op,
                            extensions={"code": TOO_COMPLEX, "cost": cost},
                        )
                    )

    return CostLimitRule


class _CostWalker:
    def __init__(self, schema, fragments: dict[str, FragmentDefinitionNode], page_cap: int):
        self.schema = schema
        self.fragments = fragments
        self.page_cap = page_cap
        self.memo: dict[str, int] = {}
        self.in_progress: set[str] = set()

    def cost(self, selection_set, parent_type) -> int:
        if selection_set is None:
            return 0
        total = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                field_def = self._field(parent_type, sel.name.value)
                child_type = get_named_type(field_def.type) if field_def is not None else None
                children = self.cost(sel.selection_set, child_type)
                total += 1 + self._multiplier(sel, field_def) * children
            elif isinstance(sel, InlineFragmentNode):
                condition = sel.type_condition
                inner_type = self.schema.get_type(condition.name.value) if condition else None
                total += self.cost(sel.selection_set, inner_type or parent_type)
            elif isinstance(sel, FragmentSpreadNode):
                total += self.fragment_cost(sel.name.value)
        return total

    def fragment_cost(self, name: str) -> int:
        # Unknown fragments and cycles are reported by the standard rules.
        if name in self.memo:
            return self.memo[name]
        if name in self.in_progress or name not in self.fragments:
            return 0
        self.in_progress.add(name)
        fragment = self.fragments[name]
        self.memo[name] = self.cost(
            fragment.selection_set, self.schema.get_type(fragment.type_condition.name.value)
        )
        self.in_progress.discard(name)
        return self.memo[name]

    @staticmethod
    def _field(parent_type, name: str):
        if isinstance(parent_type, GraphQLObjectType | GraphQLInterfaceType):
            return parent_type.fields.get(name)
        return None

    def _multiplier(self, field: FieldNode, field_def) -> int:
        pages = [
            # a literal page size, capped; a variable: assume the largest page
            max(1, min(int(arg.value.value), self.page_cap))
            if isinstance(arg.value, IntValueNode)
            else self.page_cap
            for arg in field.arguments or ()
            if arg.name.value in LIST_ARGUMENTS
        ]
        if pages:
            return min(pages)  # first and last together serve at most the smaller
        if field_def is not None and any(name in field_def.args for name in LIST_ARGUMENTS):
            return self.page_cap  # a paginated field without first/last serves a full page
        return 1
