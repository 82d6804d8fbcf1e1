"""The cost of validating a document, counted before it is validated: graphql-core's rule that
fields can be merged compares, in each selection set (fragments spread in it included), every
pair of fields with the same response name, and then their sub-selections with each other. A
document that repeats one field a thousand times costs a hundred ordinary requests; distinct
fields cost next to nothing. Counted here in one pass over the parsed document, each fragment
summarised once (fragments spread in fragments would otherwise multiply)."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

# response name -> (how many fields answer to it, the largest sub-selection among them)
Summary = dict[str, tuple[int, int]]


class _Counter:
    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.summaries: dict[str, Summary] = {}

    def fragment(self, name: str, seen: frozenset[str]) -> Summary:
        if name in self.summaries:
            return self.summaries[name]
        definition = self.fragments.get(name)
        if definition is None or name in seen:  # unknown, or spread into itself: refused later
            return {}
        summary = self.summary(definition.selection_set, seen | {name})
        self.summaries[name] = summary
        return summary

    def summary(self, selection_set: SelectionSetNode, seen: frozenset[str]) -> Summary:
        out: Summary = {}

        def add(name: str, count: int, inner: int) -> None:
            before = out.get(name, (0, 0))
            out[name] = (before[0] + count, max(before[1], inner))

        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                inner = len(selection.selection_set.selections) if selection.selection_set else 0
                add((selection.alias or selection.name).value, 1, inner)
            elif isinstance(selection, InlineFragmentNode):
                for name, (count, inner) in self.summary(selection.selection_set, seen).items():
                    add(name, count, inner)
            elif isinstance(selection, FragmentSpreadNode):
                for name, (count, inner) in self.fragment(selection.name.value, seen).items():
                    add(name, count, inner)
        return out


def field_pairs(document: DocumentNode) -> int:
    """Over every selection set written in the document: for each response name held by k
    fields (those of spread fragments included), k squared times the size of their largest
    sub-selection plus one, summed."""
    counter = _Counter(document)
    total = 0
    stack: list[SelectionSetNode] = [
        d.selection_set
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
    ]
    while stack:
        selection_set = stack.pop()
        for count, inner in counter.summary(selection_set, frozenset()).values():
            total += count * count * (1 + inner)
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                stack.append(selection.selection_set)
    return total
