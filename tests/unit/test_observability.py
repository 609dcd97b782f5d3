"""deploy/observability: Prometheus' config and alert rules pass promtool (syntax, and the rules' own tests),
the dashboard's queries parse, and every metric an alert or a panel names is one the services export."""

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI
from prometheus_client.core import Metric

from deploy.local.process import REPO_ROOT
from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.notification.app import create_app as notification_app
from services.notification.settings import NotificationSettings
from services.referral.app import create_app as referral_app
from services.referral.settings import ReferralSettings

OBSERVABILITY = REPO_ROOT / "deploy" / "observability"
PROMETHEUS_OWN = {"up"}  # what Prometheus records of each target itself
KEYWORDS = {"and", "or", "unless", "bool", "offset", "group_left", "group_right", "inf", "nan"}
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "info": ("_info",)}


@pytest.fixture(scope="module")
def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("promtool is missing: bash deploy/local/install-promtool.sh")
        pytest.skip("promtool is missing (Debian's prometheus package: bash deploy/local/install-promtool.sh)")
    return found


def run(promtool: str, *arguments: str | Path) -> None:
    result = subprocess.run([promtool, *map(str, arguments)], cwd=OBSERVABILITY, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_the_prometheus_config_and_its_rules_are_valid(promtool):
    run(promtool, "check", "config", "prometheus.yml")
    run(promtool, "check", "rules", "alerts.yml")


def test_each_alert_fires_on_what_it_is_meant_for(promtool):
    run(promtool, "test", "rules", "alerts.test.yml", "calendar.test.yml")
    tested = set(re.findall(r"alertname: (\w+)", "".join(p.read_text() for p in OBSERVABILITY.glob("*.test.yml"))))
    assert tested == {rule["alert"] for rule in alert_rules()}, "every alert has a test"


def test_the_dashboards_queries_parse(promtool, tmp_path):
    rules = [{"record": f"dashboard:query{index}", "expr": expr} for index, expr in enumerate(dashboard_queries())]
    (tmp_path / "dashboard.yml").write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    run(promtool, "check", "rules", tmp_path / "dashboard.yml")


@pytest.fixture(scope="module")
def exported() -> set[str]:
    """Every series name the three services can export, from their registries (no database needed)."""
    names: set[str] = set()
    for app in built_apps():
        registry, reporter = app.state.runtime.metrics.registry, app.state.figure_reporter
        for family in [*registry.collect(), *reporter.every_family()]:
            names |= series_names(family)
    return names


def test_every_metric_an_alert_or_a_panel_names_is_exported(exported):
    queries = [rule["expr"] for rule in alert_rules()] + dashboard_queries()
    named = {name for query in queries for name in metric_names(query)}
    assert named - PROMETHEUS_OWN <= exported, f"not exported: {sorted(named - PROMETHEUS_OWN - exported)}"
    dashboard = {name for query in dashboard_queries() for name in metric_names(query)}
    wanted = {"reports_received_total", "reports", "deadlines_overdue", "notification_failures_total"}
    wanted |= {"http_request_duration_seconds_bucket", "consumer_lag", "outbox_backlog"}
    assert wanted <= dashboard


def test_the_services_export_what_operators_need(exported):
    assert {"process_cpu_seconds_total", "process_resident_memory_bytes", "python_gc_collections_total"} <= exported
    assert {"consumer_batch_duration_seconds_bucket", "consumer_batch_records_bucket"} <= exported
    assert {"consumer_dead_letters_total", "whole_service_reporter", "consumer_lag_age_seconds"} <= exported
    assert "holiday_calendar_next_year_known" in exported


def test_the_names_in_a_query_are_found():
    query = 'histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket{status="5xx"}[5m])))'
    assert metric_names(query) == {"http_request_duration_seconds_bucket"}
    assert metric_names("max(a_b) == 0 and on () month() == 12") == {"a_b"}


def metric_names(query: str) -> set[str]:
    bare = re.sub(r'"[^"]*"|\{[^}]*\}|\[[^\]]*\]', " ", query)
    bare = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", bare)
    words = re.findall(r"(?<![\w.])([a-zA-Z_:][\w:]*)\b(?!\s*\()", bare)
    return {word for word in words if word.lower() not in KEYWORDS}


def series_names(family: Metric) -> set[str]:
    return {family.name} | {family.name + suffix for suffix in SUFFIXES.get(family.type, ())}


def alert_rules() -> list[dict]:
    groups = yaml.safe_load((OBSERVABILITY / "alerts.yml").read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def dashboard_queries() -> list[str]:
    dashboard = json.loads((OBSERVABILITY / "grafana-dashboard.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def built_apps() -> Iterator[FastAPI]:
    common = {"database_url": "postgresql://nobody@127.0.0.1:1/none", "http_port": 1}
    yield intake_app(IntakeSettings(**common, referral_url="http://127.0.0.1:9002"))
    yield referral_app(ReferralSettings(**common, notification_url="http://127.0.0.1:9003"))
    yield notification_app(NotificationSettings(**common))
