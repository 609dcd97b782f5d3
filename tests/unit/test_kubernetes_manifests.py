"""deploy/kubernetes, checked as the API server would check it (kubernetes-validate, strict, against the
schemas of Kubernetes 1.33) and as an operator would read it: unprivileged pods, probes and limits, every
variable one the services read, production settings complete, and a Secret template that holds no secret."""

import re
import secrets
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from cryptography.fernet import Fernet
from pydantic import AliasChoices, SecretStr

from services.intake.settings import IntakeSettings
from services.notification.settings import NotificationSettings
from services.referral.settings import ReferralSettings
from shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
VERSION = "1.33.0"
TEMPLATE = KUBERNETES / "secrets.template.yaml"
SETTINGS: dict[str, type[ServiceSettings]] = {
    "intake": IntakeSettings,
    "referral": ReferralSettings,
    "notification": NotificationSettings,
}
PLACEHOLDER = re.compile(r"<[^<>]+>")
UID = 10001  # the image's `service` user (deploy/Dockerfile)


def documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


MANIFESTS = sorted(path for path in KUBERNETES.glob("*.yaml") if path.name != "kustomization.yaml")
APPLIED = [doc for path in MANIFESTS if path != TEMPLATE for doc in documents(path)]
SECRETS = {doc["metadata"]["name"]: doc for doc in documents(TEMPLATE)}
CONFIG_MAPS = {doc["metadata"]["name"]: doc for doc in APPLIED if doc["kind"] == "ConfigMap"}


def of_kind(kind: str) -> list[dict]:
    return [doc for doc in APPLIED if doc["kind"] == kind]


def pod_spec(workload: dict) -> dict:
    spec = workload["spec"]["jobTemplate"]["spec"] if workload["kind"] == "CronJob" else workload["spec"]
    return spec["template"]["spec"]


WORKLOADS = of_kind("Deployment") + of_kind("Job") + of_kind("CronJob")


def env_of(container: dict) -> dict[str, str]:
    """What the container is given, as the API server would put it together (the Secrets as templated)."""
    given: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            given |= CONFIG_MAPS[source["configMapRef"]["name"]]["data"]
        else:
            given |= SECRETS[source["secretRef"]["name"]]["stringData"]
    for variable in container.get("env", []):
        reference = variable.get("valueFrom", {}).get("secretKeyRef")
        given[variable["name"]] = (
            SECRETS[reference["name"]]["stringData"][reference["key"]] if reference else variable["value"]
        )
    return given


def services_run_by(container: dict) -> set[str]:
    command = " ".join(container["command"])
    return {name for name in SETTINGS if f"services.{name}" in command}


def env_names_by_field(settings_type: type[ServiceSettings]) -> dict[str, set[str]]:
    """The variables pydantic-settings reads for each field: its prefix and the field's name, or the aliases."""
    prefix = settings_type.model_config.get("env_prefix", "")
    names = {}
    for name, field in settings_type.model_fields.items():
        alias = field.validation_alias
        choices = alias.choices if isinstance(alias, AliasChoices) else [alias or prefix + name]
        names[name] = {str(choice).upper() for choice in choices}
    return names


def env_names(settings_type: type[ServiceSettings]) -> set[str]:
    # ENVIRONMENT is read as it is too, beside the prefixed one (shared/settings.py).
    return {"ENVIRONMENT"}.union(*env_names_by_field(settings_type).values())


def test_every_manifest_is_valid_for_kubernetes():
    assert len(MANIFESTS) >= 8
    for path in MANIFESTS:
        for doc in documents(path):
            kubernetes_validate.validate(doc, VERSION, strict=True)


def test_the_kustomization_applies_every_manifest_but_the_secret_template():
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text(encoding="utf-8"))
    assert set(kustomization["resources"]) == {path.name for path in MANIFESTS} - {TEMPLATE.name}
    assert of_kind("Secret") == []


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_renders_valid_manifests_offline():
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(KUBERNETES)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    docs = list(yaml.safe_load_all(rendered))
    assert len(docs) == len(APPLIED)
    for doc in docs:
        kubernetes_validate.validate(doc, VERSION, strict=True)
        assert doc["metadata"].get("namespace", "child-protection") == "child-protection"


def test_every_container_runs_unprivileged_with_limits():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert f"--uid {UID}" in dockerfile and "USER service" in dockerfile
    for workload in WORKLOADS:
        pod = pod_spec(workload)
        assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] == UID
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        assert pod["automountServiceAccountToken"] is False
        for container in pod["containers"]:
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, workload["metadata"]["name"]
            assert context["readOnlyRootFilesystem"] is True
            assert context["capabilities"] == {"drop": ["ALL"]}
            assert {"cpu", "memory"} <= set(container["resources"]["limits"])
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])


def test_each_service_is_deployed_with_probes_a_service_and_a_disruption_budget():
    deployments = {doc["metadata"]["name"]: doc for doc in of_kind("Deployment")}
    assert set(deployments) == set(SETTINGS)
    services = {doc["metadata"]["name"]: doc for doc in of_kind("Service")}
    budgets = {doc["metadata"]["name"]: doc for doc in of_kind("PodDisruptionBudget")}
    for name, deployment in deployments.items():
        (container,) = pod_spec(deployment)["containers"]
        assert container["command"] == ["python", "-m", f"services.{name}"]
        assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
        assert container["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "http"}
        port = SETTINGS[name].model_fields["http_port"].default
        assert container["ports"] == [{"name": "http", "containerPort": port}]
        assert services[name]["spec"]["type"] == "ClusterIP" and services[name]["spec"]["ports"][0]["port"] == port
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        for selector in (services[name]["spec"]["selector"], budgets[name]["spec"]["selector"]["matchLabels"]):
            assert selector.items() <= labels.items()
        assert deployment["spec"]["replicas"] > budgets[name]["spec"]["minAvailable"]


def test_retention_runs_daily_for_every_service_and_the_reference_job_loads_what_compose_loads():
    commands = {tuple(pod_spec(job)["containers"][0]["command"]): job["spec"]["schedule"] for job in of_kind("CronJob")}
    for name in SETTINGS:
        schedule = commands[("python", "-m", f"services.{name}.entrypoints.cli.retention")]
        assert re.fullmatch(r"\d+ \d+ \* \* \*", schedule)
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    (job,) = of_kind("Job")
    loads = pod_spec(job)["containers"][0]["command"][-1]
    assert loads.split() == compose["services"]["reference"]["command"][-1].split()


def test_every_variable_a_container_is_given_is_a_setting_its_services_read():
    for workload in WORKLOADS:
        # Else Kubernetes adds INTAKE_PORT=tcp://... and the like for every Service, beside the settings.
        assert pod_spec(workload)["enableServiceLinks"] is False
        for container in pod_spec(workload)["containers"]:
            read = set().union(*(env_names(SETTINGS[name]) for name in services_run_by(container)))
            assert set(env_of(container)) - read == set(), workload["metadata"]["name"]


def test_secrets_and_database_urls_come_from_secrets_only():
    secret_names = {
        env
        for settings_type in SETTINGS.values()
        for field, names in env_names_by_field(settings_type).items()
        if field == "database_url" or settings_type.model_fields[field].annotation is SecretStr
        for env in names
    }
    for config_map in CONFIG_MAPS.values():
        assert set(config_map["data"]) & secret_names == set(), config_map["metadata"]["name"]
    assert all(name in secret_names for secret in SECRETS.values() for name in secret["stringData"])


def test_the_secret_template_holds_placeholders_and_nothing_that_looks_like_a_secret():
    for secret in SECRETS.values():
        assert "data" not in secret  # base64 would hide what is there
        for value in secret["stringData"].values():
            assert PLACEHOLDER.search(value), value
            assert not re.search(r"[A-Za-z0-9+=_-]{20,}", PLACEHOLDER.sub("", value)), value


def filled(value: str) -> str:
    """A placeholder replaced as an operator would: a Fernet key, or a long random secret."""
    return PLACEHOLDER.sub(
        lambda match: Fernet.generate_key().decode() if "Fernet" in match[0] else secrets.token_urlsafe(36), value
    )


def test_production_settings_start_from_what_the_manifests_give(tmp_path, monkeypatch):
    """Every container's services build their settings in production: the identity provider, TLS to Kafka,
    the replication defaults and every secret are there, none left at its development default."""
    (tmp_path / "kafka-ca.crt").write_text("a CA\n")
    for name in set().union(*map(env_names, SETTINGS.values())):
        monkeypatch.delenv(name, raising=False)
    for workload in WORKLOADS:
        for container in pod_spec(workload)["containers"]:
            given = {
                key: filled(value).replace("/etc/platform-ca", str(tmp_path))
                for key, value in env_of(container).items()
            }
            with monkeypatch.context() as patched:
                for key, value in given.items():
                    patched.setenv(key, value)
                for name in services_run_by(container):
                    settings = SETTINGS[name]()
                    assert settings.environment == "production" and settings.oidc_issuer
                    assert settings.kafka().encrypted and "sslmode=verify-full" in settings.database_url
                    assert (settings.topic_replication_factor, settings.topic_min_insync_replicas) == (3, 2)
                    assert "jwt_secret" not in settings.model_fields_set


def test_network_policies_deny_by_default_and_open_the_http_port_only():
    policies = {doc["metadata"]["name"]: doc["spec"] for doc in of_kind("NetworkPolicy")}
    assert policies["default-deny"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    opened = [port for spec in policies.values() for rule in spec.get("ingress", []) for port in rule["ports"]]
    assert opened == [{"protocol": "TCP", "port": "http"}]
