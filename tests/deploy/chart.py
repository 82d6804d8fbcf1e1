"""Rendering the Helm chart offline (helm-python-sdk: Helm's own library, no binary, no
cluster) and reading the manifests back."""

from __future__ import annotations

from pathlib import Path

import helm_python as helm
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "samnav"
PRODUCTION_VALUES = Path(__file__).with_name("production-values.yaml")
RELEASE = "samnav"
NAMESPACE = "samnav"
SECRET_VARIABLES = ("DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL")


def production_values() -> dict:
    return yaml.safe_load(PRODUCTION_VALUES.read_text())


def render(values: dict | None = None, *, upgrade: bool = False) -> list[dict]:
    """Every manifest the chart renders (hooks included), as dicts, in a stable order."""
    with helm.Chart.load(CHART) as chart:
        rendered = chart.render(
            values or {},
            name=RELEASE,
            namespace=NAMESPACE,
            is_install=not upgrade,
            is_upgrade=upgrade,
        )
    docs = []
    for path in sorted(rendered):
        if path.endswith(".yaml"):
            docs.extend(doc for doc in yaml.safe_load_all(rendered[path]) if doc)
    return docs


def lint(values: dict | None = None) -> dict:
    return helm.lint(CHART, values, strict=True, namespace=NAMESPACE)


def one(docs: list[dict], kind: str, name: str) -> dict:
    found = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def pod_specs(docs: list[dict]) -> dict[str, dict]:
    """The pod spec of every workload, by '<kind>/<name>'."""
    return {
        f"{d['kind']}/{d['metadata']['name']}": d["spec"]["template"]["spec"]
        for d in docs
        if d["kind"] in ("Deployment", "Job")
    }


def containers(docs: list[dict]) -> dict[str, dict]:
    return {
        f"{workload}/{c['name']}": c
        for workload, spec in pod_specs(docs).items()
        for c in spec.get("initContainers", []) + spec["containers"]
    }


def env_of(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env", [])}
