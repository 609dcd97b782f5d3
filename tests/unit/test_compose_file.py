"""deploy/compose.yaml, read as Docker Compose reads it: ports on 127.0.0.1 only, a healthcheck on every
long-running service and the services waiting for them, data on volumes, the division data and directories
loaded by a one-shot job the services wait for, e-mail to a mail catcher, secrets from an env file."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
OURS = ("intake", "referral", "notification")


def test_every_published_port_is_bound_to_the_loopback_address():
    published = [port for service in SERVICES.values() for port in service.get("ports", [])]
    assert published and all(str(port).startswith("127.0.0.1:") for port in published)


def test_long_running_services_have_healthchecks_and_ours_wait_for_what_they_need():
    for name, service in SERVICES.items():
        if name not in ("reference", "mail"):
            assert "healthcheck" in service, name
    for name in OURS:
        waits = SERVICES[name]["depends_on"]
        assert waits["kafka"]["condition"] == waits["postgres"]["condition"] == "service_healthy"
        assert waits["reference"]["condition"] == "service_completed_successfully"


def test_data_lives_on_named_volumes():
    volumes = set(COMPOSE["volumes"])
    for name in ("kafka", "postgres"):
        mounted = {str(volume).split(":")[0] for volume in SERVICES[name]["volumes"]}
        assert mounted & volumes, name
    assert SERVICES["kafka"]["environment"]["KAFKA_LOG_DIRS"] in str(SERVICES["kafka"]["volumes"])


def test_the_reference_job_loads_divisions_stations_and_committees_the_image_carries():
    script = "\n".join(SERVICES["reference"]["command"])
    for loader in (
        "services.referral.entrypoints.cli.load_divisions",
        "services.intake.entrypoints.cli.load_divisions",
        "services.referral.entrypoints.cli.import_stations",
        "services.notification.entrypoints.cli.import_committees",
    ):
        assert loader in script
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "/app/.cache/divisions/dist" in script and "./.cache/divisions/dist" in dockerfile


def test_mail_goes_to_the_catcher_and_secrets_come_from_an_env_file_never_the_repository():
    notification = SERVICES["notification"]["environment"]
    assert notification["NOTIFICATION_SMTP_HOST"] == "mail" and "mail" in SERVICES
    for name in OURS:
        assert SERVICES[name]["env_file"][0]["path"] == "compose.env"
    assert "deploy/compose.env" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert (ROOT / "deploy" / "compose.env.example").exists()
