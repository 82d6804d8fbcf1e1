"""platform/ is a plain folder on the import path, never a package: a package named
`platform` would shadow Python's own module (design.md, Layout; stack-notes, pytest)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import json, platform, sys
version = platform.python_version()
system = platform.system()
import config.settings.base as base
print(json.dumps({
    "platform_file": platform.__file__,
    "version": version,
    "system": system,
    "settings_file": base.__file__,
}))
"""


def _probe(cwd: Path, *path_first: Path) -> dict:
    """Run PROBE in a fresh interpreter of this venv, with `path_first` put before sys.path."""
    prelude = "".join(f"import sys; sys.path.insert(0, {str(p)!r})\n" for p in path_first)
    done = subprocess.run(
        [sys.executable, "-c", prelude + PROBE],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_platform_is_not_a_package():
    assert (REPO / "platform").is_dir()
    assert not (REPO / "platform" / "__init__.py").exists()


@pytest.mark.parametrize(
    ("where", "path_first"),
    [
        # as installed: the editable install finds config/ inside platform/
        ("outside the checkout", ()),
        # `python -c` / `python -m pytest` in the checkout put it first on the path
        ("in the checkout", ()),
        # manage.py puts platform/ itself first on the path
        ("as manage.py does", ("platform",)),
        # pytest's rootdir insertion puts the checkout first on the path
        ("with the checkout first", (".",)),
    ],
)
def test_the_stdlib_platform_module_wins(tmp_path, where, path_first):
    # given a fresh interpreter of the project's venv, started from `where`
    cwd = tmp_path if where == "outside the checkout" else REPO
    # when it imports platform and the settings
    found = _probe(cwd, *(REPO / p for p in path_first))
    # then `platform` is Python's own module, and it works
    assert not Path(found["platform_file"]).resolve().is_relative_to(REPO)
    assert Path(found["platform_file"]).name == "platform.py"
    assert found["version"] == ".".join(map(str, sys.version_info[:3]))
    assert found["system"] == "Linux"
    # and the settings come from platform/config in this checkout
    assert Path(found["settings_file"]) == REPO / "platform" / "config" / "settings" / "base.py"
