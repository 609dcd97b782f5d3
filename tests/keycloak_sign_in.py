"""Signing in to the local Keycloak as the pages do (authorization code with PKCE, S256), driven by a plain
HTTP client through Keycloak's own login form; and the demo users as the README lists them."""

import base64
import hashlib
import html
import re
import secrets
from dataclasses import dataclass
from typing import Any

import httpx

from deploy.local.keycloak import LocalKeycloak
from deploy.local.keycloak_demo import PAGES_CLIENT
from deploy.local.process import REPO_ROOT

PAGE = "http://127.0.0.1:8002/pages/workbench.html"  # one of the pages' registered redirect URIs
DEMO_ROW = re.compile(r"^\| `(demo-[a-z]+)` \| `([^`]+)` \| (\w+) \| `?([0-9]*)`? \|", re.M)


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    scope: str


def demo_users() -> list[DemoUser]:
    """The demo users' table in the README's sign-in section: the only place their passwords are written."""
    return [DemoUser(*row) for row in DEMO_ROW.findall((REPO_ROOT / "README.md").read_text(encoding="utf-8"))]


class SignInRefused(Exception):
    pass


def sign_in(keycloak: LocalKeycloak, username: str, password: str, redirect_uri: str = PAGE) -> dict[str, Any]:
    """The token response a page gets after its user signs in: access, refresh and ID tokens."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    endpoint = f"{keycloak.issuer}/protocol/openid-connect"
    query = {
        "response_type": "code",
        "client_id": PAGES_CLIENT,
        "redirect_uri": redirect_uri,
        "scope": "openid",
        "state": secrets.token_urlsafe(16),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    with httpx.Client(timeout=30) as client:
        page = client.get(f"{endpoint}/auth", params=query, follow_redirects=True)
        form = re.search(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"', page.text)
        if form is None:
            raise SignInRefused(f"no login form ({page.status_code})")
        # Keycloak marks its cookies Secure; browsers send them to http://127.0.0.1, httpx does not by itself.
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in client.cookies.jar)
        answer = client.post(
            html.unescape(form.group(1)),
            data={"username": username, "password": password, "credentialId": ""},
            headers={"Cookie": cookies},
        )
        location = answer.headers.get("location", "")
        code = re.search(r"[?&]code=([^&]+)", location)
        if answer.status_code != 302 or not location.startswith(redirect_uri) or code is None:
            raise SignInRefused(f"login answered {answer.status_code}")
        if f"state={query['state']}" not in location:
            raise SignInRefused("the state came back changed")
        tokens = client.post(
            f"{endpoint}/token",
            data={
                "grant_type": "authorization_code",
                "code": code.group(1),
                "redirect_uri": redirect_uri,
                "client_id": PAGES_CLIENT,
                "code_verifier": verifier,
            },
        )
        tokens.raise_for_status()
        return tokens.json()
