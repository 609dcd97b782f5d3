"""Every response of the three services carries the security headers; the pages run no inline script; /docs
is served from the service itself, with nothing from outside."""

import re
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from deploy.local.process import REPO_ROOT
from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.notification.app import create_app as notification_app
from services.notification.settings import NotificationSettings
from services.referral.app import create_app as referral_app
from services.referral.settings import ReferralSettings
from shared.security_headers import content_security_policy

ISSUER = "http://127.0.0.1:18080/realms/child-protection"
PAGES = {
    "intake": [
        "/operator/",
        "/operator/index.html",
        "/operator/receipt.html",
        "/operator/operator.js",
        "/operator/config.json",
    ],
    "referral": [
        "/pages/",
        "/pages/workbench.html",
        "/pages/committee.html",
        "/pages/centre.html",
        "/pages/common.js",
        "/pages/config.json",
        "/pages/sw.js",
        "/pages/manifest.webmanifest",
    ],
    "notification": [],
}
EVERY_SERVICE = [
    "/docs",
    "/asyncapi.json",
    "/docs/assets/swagger-ui-bundle.js",
    "/assets/signin.js",
    "/openapi.json",
    "/health/live",
]
STATIC_HTML = sorted((REPO_ROOT / "services").glob("*/static/*.html"))


@pytest.fixture(scope="module")
def swagger_ui() -> Path:
    """Swagger UI's files, fetched and checked by the project's own script."""
    script = REPO_ROOT / "deploy" / "local" / "fetch-swagger-ui.sh"
    return Path(subprocess.run(["bash", str(script)], check=True, capture_output=True, text=True).stdout.strip())


@pytest.fixture(scope="module")
def apps(swagger_ui, monkeypatch_module) -> Iterator[dict[str, FastAPI]]:
    monkeypatch_module.setenv("OIDC_ISSUER", ISSUER)
    common = {"database_url": "postgresql://nobody@127.0.0.1:1/none", "http_port": 1}
    yield {
        "intake": intake_app(IntakeSettings(**common, referral_url="http://127.0.0.1:9002")),
        "referral": referral_app(
            ReferralSettings(**common, notification_url="http://127.0.0.1:9003", intake_url="http://127.0.0.1:9001")
        ),
        "notification": notification_app(NotificationSettings(**common)),
    }


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.parametrize("service", sorted(PAGES))
def test_every_page_and_file_carries_the_security_headers(apps, service):
    client = TestClient(apps[service])  # not started: pages, files and docs need no database
    for path in PAGES[service] + EVERY_SERVICE:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["x-frame-options"] == "DENY", path
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"] == "no-referrer", path
        policy = dict(part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))
        assert policy["script-src"] == "'self'", path
        assert policy["frame-ancestors"] == "'none'", path
        assert "http://127.0.0.1:18080" in policy["connect-src"].split(), path


def test_the_pages_may_call_the_services_they_read_from_and_the_issuer_only(apps):
    connect = {
        service: dict(
            p.strip().split(" ", 1) for p in TestClient(app).get("/docs").headers["content-security-policy"].split(";")
        )["connect-src"]
        for service, app in apps.items()
    }
    assert connect == {
        "intake": "'self' http://127.0.0.1:18080 http://127.0.0.1:9002",
        "referral": "'self' http://127.0.0.1:18080 http://127.0.0.1:9001 http://127.0.0.1:9003",
        "notification": "'self' http://127.0.0.1:18080",
    }
    assert "connect-src 'self';" in content_security_policy(["", "not a url"])


def test_the_page_config_names_the_issuer_and_the_pages_client(apps):
    for service, path in (("intake", "/operator/config.json"), ("referral", "/pages/config.json")):
        config = TestClient(apps[service]).get(path).json()
        assert (config["issuer"], config["client_id"]) == (ISSUER, "referral-pages")


@pytest.mark.parametrize("service", sorted(PAGES))
def test_docs_are_served_locally(apps, service):
    client = TestClient(apps[service])
    page = client.get("/docs")
    assert page.headers["content-type"].startswith("text/html")
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text), "nothing from outside"
    for asset in re.findall(r"(?:src|href)=\"([^\"]+)\"", page.text):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc").status_code == 404  # ReDoc would load from a CDN


class Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems += [f"<{tag} {name}=...>" for name, _ in attrs if name.startswith("on")]
        self.problems += [f"<{tag} style=...>" for name, _ in attrs if name == "style"]
        self.problems += [f"<{tag} href=javascript:>" for _, value in attrs if (value or "").startswith("javascript:")]
        if tag == "style":
            self.problems.append("<style> block")
        if tag == "script":
            self._in_script = True
            if not dict(attrs).get("src"):
                self.problems.append("<script> without src")
            elif re.match(r"(https?:)?//", dict(attrs)["src"] or ""):
                self.problems.append("<script> from outside")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("inline script")


@pytest.mark.parametrize("page", STATIC_HTML, ids=lambda page: f"{page.parent.parent.name}/{page.name}")
def test_no_page_has_inline_script_or_style(page):
    parser = Scripts()
    parser.feed(page.read_text(encoding="utf-8"))
    assert parser.problems == []
    assert 'id="token"' not in page.read_text(encoding="utf-8"), "no page asks for a token"


def test_the_pages_are_found():
    assert {page.name for page in STATIC_HTML} >= {"index.html", "receipt.html", "workbench.html", "committee.html"}


def test_no_page_prompts_alerts_or_confirms():
    scripts = sorted((REPO_ROOT / "services").glob("*/static/*.js")) + [REPO_ROOT / "shared" / "static" / "signin.js"]
    found = [
        f"{js.name}: {m.group()}" for js in scripts for m in re.finditer(r"\b(prompt|alert|confirm)\(", js.read_text())
    ]
    assert found == [], "a form, not a browser dialog"


def test_the_workbench_installs_as_an_app(apps):
    manifest = TestClient(apps["referral"])
    answer = manifest.get("/pages/manifest.webmanifest")
    assert answer.headers["content-type"].startswith("application/manifest+json")
    app = answer.json()
    assert (app["display"], app["start_url"], app["lang"]) == ("standalone", "workbench.html", "zh-CN")
    assert {icon["sizes"] for icon in app["icons"]} >= {"192x192", "512x512"}
    for icon in app["icons"]:
        assert manifest.get(f"/pages/{icon['src']}").status_code == 200, icon["src"]
