"""The image, checked without a container engine: the Dockerfile's stages and user (static),
and the entrypoint's dispatch, run for real with stand-ins for gunicorn, celery and python."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def stages() -> list[list[tuple[str, str]]]:
    found: list[list[tuple[str, str]]] = []
    for keyword, rest in instructions():
        if keyword == "FROM":
            found.append([])
        if found:
            found[-1].append((keyword, rest))
    return found


def test_the_dockerfile_has_a_build_stage_and_a_runtime_stage():
    heads = [stage[0][1] for stage in stages()]
    assert heads == ["${PYTHON_IMAGE} AS build", "${PYTHON_IMAGE} AS runtime"]
    assert ("ARG", "PYTHON_IMAGE=python:3.11-slim-bookworm") in instructions()


def test_the_runtime_stage_runs_as_an_unprivileged_user():
    runtime = stages()[-1]
    users = [rest for keyword, rest in runtime if keyword == "USER"]
    assert users == ["10001:10001"]
    # the user is created with that id, and nothing runs after the switch to it
    created = " ".join(rest for keyword, rest in runtime if keyword == "RUN")
    assert "--uid 10001" in created and "--gid 10001" in created
    keywords = [keyword for keyword, _ in runtime]
    assert "RUN" not in keywords[keywords.index("USER") :]


def test_the_runtime_stage_installs_nothing_and_only_copies_from_the_build():
    runtime = stages()[-1]
    runs = " ".join(rest for keyword, rest in runtime if keyword == "RUN")
    for tool in ("apt-get", "pip ", "gcc", "gettext", "build-essential"):
        assert tool not in runs
    copies = [rest for keyword, rest in runtime if keyword == "COPY"]
    assert copies == ["--from=build /opt/venv /opt/venv", "--from=build /app /app"]
    # and the build stage leaves no pip in the virtualenv it hands over
    build_runs = " ".join(rest for keyword, rest in stages()[0] if keyword == "RUN")
    assert "pip uninstall --yes pip setuptools wheel" in build_runs


def test_the_image_runs_the_entrypoint_with_web_by_default():
    runtime = dict((k, v) for k, v in stages()[-1] if k in ("ENTRYPOINT", "CMD", "WORKDIR"))
    assert runtime == {
        "ENTRYPOINT": '["/app/deploy/entrypoint.sh"]',
        "CMD": '["web"]',
        "WORKDIR": "/app",
    }
    env = " ".join(v for k, v in stages()[-1] if k == "ENV")
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in env
    assert "PYTHONPATH=/app/platform:/app" in env


def test_the_build_context_leaves_out_what_the_image_does_not_run():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", ".pgdata", "tests", "helm", "archives", "staticfiles"} <= ignored


# --- The entrypoint, run with stand-ins -------------------------------------------------------


@pytest.fixture
def stand_ins(tmp_path) -> Path:
    """A bin folder whose gunicorn, celery and python print their arguments and exit; python
    fails when FAIL_ON is among its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("gunicorn", "celery", "python"):
        script = bin_dir / name
        script.write_text(
            "#!/bin/sh\n"
            f'echo "{name} $*" >> "$CALLS"\n'
            'if [ -n "${FAIL_ON:-}" ]; then case " $* " in *" $FAIL_ON "*) exit 3;; esac; fi\n'
        )
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return bin_dir


def run_entrypoint(stand_ins: Path, tmp_path: Path, *args: str, **env: str):
    calls = tmp_path / "calls.txt"
    calls.write_text("")
    done = subprocess.run(  # noqa: S603
        ["/bin/sh", str(ENTRYPOINT), *args],
        env={"PATH": f"{stand_ins}:/usr/bin:/bin", "CALLS": str(calls), **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.returncode, calls.read_text().splitlines()


def test_the_entrypoint_is_executable_posix_shell():
    assert ENTRYPOINT.stat().st_mode & stat.S_IXUSR
    assert ENTRYPOINT.read_text().startswith("#!/bin/sh\n")
    assert subprocess.run(["/bin/sh", "-n", str(ENTRYPOINT)], check=False).returncode == 0  # noqa: S603


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), f"gunicorn --config {ROOT}/deploy/gunicorn.conf.py config.wsgi:application"),
        (("web",), f"gunicorn --config {ROOT}/deploy/gunicorn.conf.py config.wsgi:application"),
        (
            ("worker",),
            "celery --app config.celery worker --loglevel INFO --concurrency 3 "
            "--without-mingle --without-gossip",
        ),
        (
            ("beat",),
            "celery --app config.celery beat --loglevel INFO --schedule /tmp/celerybeat-schedule",
        ),
        (
            ("manage", "onboard_agency", "--slug", "uppsala"),
            "python manage.py onboard_agency --slug uppsala",
        ),
    ],
    ids=["default", "web", "worker", "beat", "manage"],
)
def test_the_entrypoint_starts_the_role_it_is_given(stand_ins, tmp_path, args, expected):
    code, calls = run_entrypoint(stand_ins, tmp_path, *args, CELERY_CONCURRENCY="3")
    assert (code, calls) == (0, [expected])


def test_web_and_worker_start_with_an_empty_metrics_folder(stand_ins, tmp_path):
    # given metrics files left by an earlier container of the same pod
    folder = tmp_path / "prometheus"
    folder.mkdir()
    (folder / "counter_123.db").write_bytes(b"old counts")
    # when the web container starts, then the folder is there and empty
    code, _ = run_entrypoint(stand_ins, tmp_path, "web", PROMETHEUS_MULTIPROC_DIR=str(folder))
    assert code == 0
    assert list(folder.iterdir()) == []


def test_migrate_runs_shared_then_federation_then_agencies_in_parallel(stand_ins, tmp_path):
    code, calls = run_entrypoint(stand_ins, tmp_path, "migrate")
    assert (code, calls) == (
        0,
        [
            "python manage.py migrate_schemas --shared --noinput",
            "python manage.py setup_federation",
            "python manage.py migrate_schemas --tenant --executor=multiprocessing --noinput",
        ],
    )


def test_migrate_stops_at_the_first_failing_step(stand_ins, tmp_path):
    # given the shared migration fails, then nothing after it runs and the job fails
    code, calls = run_entrypoint(stand_ins, tmp_path, "migrate", FAIL_ON="--shared")
    assert (code, calls) == (3, ["python manage.py migrate_schemas --shared --noinput"])


def test_the_chart_and_the_entrypoint_agree_on_the_roles():
    # every args: [...] in the chart's templates is a role the entrypoint knows
    templates = (ROOT / "helm" / "samnav" / "templates").glob("*.yaml")
    roles = set()
    for template in templates:
        for match in re.finditer(r'args: \["(\w+)"\]', template.read_text()):
            roles.add(match.group(1))
    assert roles == {"web", "worker", "beat", "migrate"}
    known = re.findall(r"^    (\w+)\)$", ENTRYPOINT.read_text(), flags=re.MULTILINE)
    assert roles <= set(known)
    assert os.access(ENTRYPOINT, os.X_OK)
