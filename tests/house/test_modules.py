"""Files a reader can hold: no module of ours over 400 lines, and no private name (a leading
underscore) imported from another module: what two modules share is public, or lives in one."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

REPO = Path(settings.BASE_DIR)
SOURCES = ("services", "tenants", "api", "platform", "demo")
LIMIT = 400


def _modules() -> list[Path]:
    return sorted(
        p
        for top in SOURCES
        for p in (REPO / top).rglob("*.py")
        if "migrations" not in p.parts and ".venv" not in p.parts
    )


def test_no_module_is_over_400_lines():
    modules = _modules()
    assert len(modules) > 300  # the walk found the tree
    long = {
        str(p.relative_to(REPO)): n
        for p in modules
        if (n := len(p.read_text().splitlines())) > LIMIT
    }
    assert long == {}


def test_no_private_name_is_imported_from_another_module():
    borrowed = set()
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.split(".")[0] not in (*SOURCES, "config", "routes", "portal"):
                    continue
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        borrowed.add(f"{path.relative_to(REPO)}: {node.module}.{alias.name}")
    assert sorted(borrowed) == []
