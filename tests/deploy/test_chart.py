"""The Helm chart, checked without a cluster: Helm's lint and render (helm-python-sdk), every
manifest against the Kubernetes schemas in strict mode (kubernetes-validate), and the facts
that matter in production asserted on the rendered output."""

from __future__ import annotations

import copy
import json

import helm_python as helm
import kubernetes_validate
import pytest
from kubernetes_validate.utils import latest_version

from tests.deploy.chart import (
    CHART,
    SECRET_VARIABLES,
    containers,
    env_of,
    lint,
    one,
    pod_specs,
    production_values,
    render,
)

# The chart's oldest supported Kubernetes (Chart.yaml kubeVersion) and the newest bundled.
KUBE_VERSIONS = ("1.27.0", latest_version())
VALUE_SETS = {"default": None, "production": "production"}


def values_of(which: str | None) -> dict | None:
    return production_values() if which == "production" else None


# --- Lint, render, schemas --------------------------------------------------------------------


@pytest.mark.parametrize("which", VALUE_SETS.values(), ids=VALUE_SETS.keys())
def test_the_chart_lints_without_warnings_in_strict_mode(which):
    # given the chart and a set of values
    # when Helm lints it in strict mode
    report = lint(values_of(which))
    # then there is no error and no warning (only the icon hint, which is informational)
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= 2] == []
    assert report["total_charts_linted"] == 1


@pytest.mark.parametrize("upgrade", [False, True], ids=["install", "upgrade"])
@pytest.mark.parametrize("which", VALUE_SETS.values(), ids=VALUE_SETS.keys())
def test_the_chart_renders_exactly_these_objects(which, upgrade):
    docs = render(values_of(which), upgrade=upgrade)
    kinds = sorted((d["kind"], d["metadata"]["name"]) for d in docs)
    expected = [
        ("Deployment", "samnav-beat"),
        ("Deployment", "samnav-web"),
        ("Deployment", "samnav-worker"),
        ("HorizontalPodAutoscaler", "samnav-web"),
        ("HorizontalPodAutoscaler", "samnav-worker"),
        ("Ingress", "samnav"),
        ("Job", "samnav-migrate"),
        ("NetworkPolicy", "samnav-pods"),
        ("NetworkPolicy", "samnav-web"),
        ("PodDisruptionBudget", "samnav-web"),
        ("PodDisruptionBudget", "samnav-worker"),
        ("Service", "samnav-web"),
    ]
    if which == "production":  # workers have a fixed replica count there
        expected.remove(("HorizontalPodAutoscaler", "samnav-worker"))
    assert kinds == expected


@pytest.mark.parametrize("version", KUBE_VERSIONS)
@pytest.mark.parametrize("which", VALUE_SETS.values(), ids=VALUE_SETS.keys())
def test_every_manifest_is_valid_kubernetes_in_strict_mode(which, version):
    # given every manifest the chart renders
    docs = render(values_of(which))
    # when each is validated against the Kubernetes schemas, unknown fields refused
    failures = []
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            failures.append(f"{doc['kind']}/{doc['metadata']['name']}: {path}: {exc.message}")
    # then none fails
    assert failures == []


def test_strict_validation_refuses_an_unknown_field():
    # given a rendered web Deployment with a misspelt probe key
    web = copy.deepcopy(one(render(), "Deployment", "samnav-web"))
    web["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {"tcpSocket": {"port": 1}}
    # when it is validated strictly, then the validator refuses it (the check has teeth)
    with pytest.raises(kubernetes_validate.ValidationError) as refused:
        kubernetes_validate.validate(web, latest_version(), strict=True)
    assert "livenesProbe" in refused.value.message


def test_the_values_schema_is_the_one_helm_enforces():
    with helm.Chart.load(CHART) as chart:
        assert chart.schema == json.loads((CHART / "values.schema.json").read_text())
        chart.validate_schema(production_values())  # production values are valid


@pytest.mark.parametrize(
    ("values", "complaint"),
    [
        ({"beat": {"replicas": 2}}, "additional properties 'replicas' not allowed"),
        ({"webb": {"replicas": 2}}, "additional properties 'webb' not allowed"),
        ({"securityContext": {"runAsUser": 0}}, "minimum: got 0, want 1"),
        ({"hosts": {"baseDomain": "", "central": ""}}, "/hosts/baseDomain"),
        (
            {"config": {"extraEnv": [{"name": "DATABASE_URL", "value": "postgresql://u:p@db/x"}]}},
            "/config/extraEnv/0/name",
        ),
        (
            {"config": {"extraEnv": [{"name": "SMTP_PASSWORD", "value": "hunter2"}]}},
            "missing property 'valueFrom'",
        ),
        ({"secrets": {"databaseUrl": {"name": "", "key": "url"}}}, "/secrets/databaseUrl/name"),
    ],
    ids=[
        "beat-replicas",
        "unknown-key",
        "root-user",
        "no-base-domain",
        "chart-variable-in-extra-env",
        "inline-password",
        "no-database-secret",
    ],
)
def test_the_schema_refuses_unsafe_or_mistaken_values(values, complaint):
    # when the chart is rendered with such values, then Helm refuses, naming the value
    with pytest.raises(helm.HelmValuesError) as refused:
        render(values)
    assert complaint in str(refused.value)


# --- Facts of the rendered output -------------------------------------------------------------


@pytest.mark.parametrize("which", VALUE_SETS.values(), ids=VALUE_SETS.keys())
def test_exactly_one_beat_replaced_by_recreate(which):
    docs = render(values_of(which))
    beats = [
        d
        for d in docs
        if d["kind"] == "Deployment"
        and d["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] == "beat"
    ]
    assert len(beats) == 1
    beat = beats[0]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert beat["spec"]["template"]["spec"]["containers"][0]["args"] == ["beat"]
    # and nothing scales or budgets it
    scaled = {d["spec"]["scaleTargetRef"]["name"] for d in docs if d["kind"].startswith("Horiz")}
    budgeted = {
        d["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"]
        for d in docs
        if d["kind"] == "PodDisruptionBudget"
    }
    assert "samnav-beat" not in scaled
    assert budgeted == {"web", "worker"}


def test_web_has_liveness_readiness_and_startup_probes():
    web = one(render(), "Deployment", "samnav-web")["spec"]["template"]["spec"]["containers"][0]
    assert web["args"] == ["web"]
    assert web["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert web["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert web["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert web["readinessProbe"]["timeoutSeconds"] == 5
    assert {p["name"]: p["containerPort"] for p in web["ports"]} == {"http": 8000, "metrics": 9100}


def test_workers_are_probed_on_their_metrics_port():
    worker = one(render(), "Deployment", "samnav-worker")
    container = worker["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["worker"]
    assert container["livenessProbe"]["tcpSocket"] == {"port": "metrics"}
    assert container["startupProbe"]["tcpSocket"] == {"port": "metrics"}


@pytest.mark.parametrize("which", VALUE_SETS.values(), ids=VALUE_SETS.keys())
def test_no_secret_value_in_any_manifest(which):
    values = production_values() if which else None
    docs = render(values)
    refs = (values or render_defaults())["secrets"]
    expected = {
        "DJANGO_SECRET_KEY": refs["djangoSecretKey"],
        "DATABASE_URL": refs["databaseUrl"],
        "CELERY_BROKER_URL": refs["brokerUrl"],
    }
    # no Secret or ConfigMap object is rendered: values never become secret data
    assert {d["kind"] for d in docs} & {"Secret", "ConfigMap"} == set()
    for name, container in containers(docs).items():
        env = env_of(container)
        # every container gets the three secrets by reference only
        for variable in SECRET_VARIABLES:
            assert set(env[variable]) == {"name", "valueFrom"}, (name, variable)
            assert env[variable]["valueFrom"] == {"secretKeyRef": expected[variable]}
        # and no literal value looks like a credential (a URL with a user, a long token)
        for entry in env.values():
            value = entry.get("value", "")
            assert "@" not in value and len(value) < 40, (name, entry)
    if which == "production":
        web = containers(docs)["Deployment/samnav-web/web"]
        assert env_of(web)["CELERY_RESULT_BACKEND"]["valueFrom"] == {
            "secretKeyRef": {"name": "samnav-redis", "key": "url"}
        }
        assert env_of(web)["EMAIL_HOST_PASSWORD"]["valueFrom"] == {
            "secretKeyRef": {"name": "samnav-smtp", "key": "password"}
        }


def render_defaults() -> dict:
    with helm.Chart.load(CHART) as chart:
        return chart.values


def test_the_migration_job_is_a_pre_install_and_pre_upgrade_hook():
    job = one(render(upgrade=True), "Job", "samnav-migrate")
    assert job["metadata"]["annotations"] == {
        "helm.sh/hook": "pre-install,pre-upgrade",
        "helm.sh/hook-weight": "0",
        "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded",
    }
    spec = job["spec"]
    assert (spec["backoffLimit"], spec["activeDeadlineSeconds"]) == (3, 3600)
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    assert pod["containers"][0]["args"] == ["migrate"]
    assert env_of(pod["containers"][0])["MIGRATE_PROCESSES"]["value"] == "2"


@pytest.mark.parametrize("which", VALUE_SETS.values(), ids=VALUE_SETS.keys())
def test_every_pod_runs_non_root_on_a_read_only_root_filesystem(which):
    docs = render(values_of(which))
    specs = pod_specs(docs)
    assert sorted(specs) == [
        "Deployment/samnav-beat",
        "Deployment/samnav-web",
        "Deployment/samnav-worker",
        "Job/samnav-migrate",
    ]
    for name, spec in specs.items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] == 10001, name
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert spec["automountServiceAccountToken"] is False, name
        tmp = {v["name"]: v for v in spec["volumes"]}["tmp"]
        assert "emptyDir" in tmp, name
    for name, container in containers(docs).items():
        context = container["securityContext"]
        assert context["runAsNonRoot"] is True, name
        assert context["readOnlyRootFilesystem"] is True, name
        assert context["allowPrivilegeEscalation"] is False, name
        assert context["capabilities"] == {"drop": ["ALL"]}, name
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        assert mounts["/tmp"] == "tmp", name


@pytest.mark.parametrize("which", VALUE_SETS.values(), ids=VALUE_SETS.keys())
def test_the_ingress_serves_the_central_host_and_every_agency(which):
    docs = render(values_of(which))
    ingress = one(docs, "Ingress", "samnav")["spec"]
    if which == "production":
        central, wildcard = "it.lansstyrelsen.example.se", "*.lansstyrelsen.example.se"
        assert ingress["tls"] == [
            {"hosts": [central], "secretName": "it-lansstyrelsen-tls"},
            {"hosts": [wildcard], "secretName": "wildcard-lansstyrelsen-tls"},
        ]
    else:
        central, wildcard = "samnav.example.org", "*.samnav.example.org"
        assert ingress["tls"] == [{"hosts": [central, wildcard], "secretName": "samnav-tls"}]
    assert [rule["host"] for rule in ingress["rules"]] == [central, wildcard]
    for rule in ingress["rules"]:
        assert rule["http"]["paths"] == [
            {
                "path": "/",
                "pathType": "Prefix",
                "backend": {"service": {"name": "samnav-web", "port": {"name": "http"}}},
            }
        ]
    # and the app is told the same hosts
    web = containers(docs)["Deployment/samnav-web/web"]
    assert env_of(web)["SAMNAV_CENTRAL_HOST"]["value"] == central
    assert env_of(web)["SAMNAV_BASE_DOMAIN"]["value"] == wildcard[2:]


def test_metrics_are_never_routed_by_the_service_or_the_ingress():
    docs = render()
    # the Service (the Ingress's only backend) carries the HTTP port alone
    service = one(docs, "Service", "samnav-web")
    assert service["spec"]["ports"] == [
        {"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}
    ]
    # the metrics port admits the monitoring namespace only
    pods = one(docs, "NetworkPolicy", "samnav-pods")["spec"]
    assert pods["ingress"] == [
        {
            "from": [
                {
                    "namespaceSelector": {
                        "matchLabels": {"kubernetes.io/metadata.name": "monitoring"}
                    }
                }
            ],
            "ports": [{"port": 9100, "protocol": "TCP"}],
        }
    ]
    assert pods["policyTypes"] == ["Ingress", "Egress"]
    web = one(docs, "NetworkPolicy", "samnav-web")["spec"]
    assert web["ingress"][0]["ports"] == [{"port": "http", "protocol": "TCP"}]
    # and Prometheus finds each pod by its annotations
    annotations = one(docs, "Deployment", "samnav-web")["spec"]["template"]["metadata"]
    assert annotations["annotations"] == {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9100",
        "prometheus.io/path": "/metrics",
    }


def test_the_image_defaults_to_the_chart_app_version():
    with helm.Chart.load(CHART) as chart:
        app_version = chart.metadata["appVersion"]
    images = {c["image"] for c in containers(render()).values()}
    assert images == {f"registry.example.org/samnav/samnav:{app_version}"}
    images = {c["image"] for c in containers(render(production_values())).values()}
    assert images == {"registry.lansstyrelsen.example.se/it/samnav:2026.11.2"}


def test_autoscaling_off_sets_fixed_replicas_and_on_leaves_them_to_the_hpa():
    docs = render(production_values())
    assert "replicas" not in one(docs, "Deployment", "samnav-web")["spec"]
    assert one(docs, "Deployment", "samnav-worker")["spec"]["replicas"] == 4
    hpa = one(docs, "HorizontalPodAutoscaler", "samnav-web")["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (3, 30)
