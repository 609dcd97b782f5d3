"""Keycloak, the identity provider, run from the official distribution as a plain process: built once in the
cache (`kc.sh build`, PostgreSQL and health), then started `--optimized` on its own ports, its database in the
project's PostgreSQL, importing the realm in deploy/keycloak at its first start."""

import contextlib
import fcntl
import os
import secrets
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from deploy.local.process import REPO_ROOT, port_open, read_pid, stop_pid, wait_until

REALM = "child-protection"
REALM_FILE = REPO_ROOT / "deploy" / "keycloak" / f"{REALM}-realm.json"
# Fixed in the built server (kc.sh build); changing them here rebuilds it once.
BUILD_OPTIONS = ("--db=postgres", "--health-enabled=true", "--metrics-enabled=true")
ADMIN_USER = "admin"


@dataclass
class LocalKeycloak:
    home: Path  # this instance's log, pid and bootstrap admin password; the server itself is in the cache
    database_url: str = ""  # postgresql://user[:password]@host:port/keycloak
    port: int = 18080
    management_port: int = 18081  # health and metrics

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"{self.url}/realms/{REALM}"

    @property
    def pid_file(self) -> Path:
        return self.home / "keycloak.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "keycloak.log"

    def admin_password(self) -> str:
        """The bootstrap admin's (master realm) password, made at the first start and kept in `home`, readable
        by its owner only."""
        path = self.home / "bootstrap-admin-password"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(24))
        return path.read_text().strip()

    def start(self, timeout: float = 300) -> str:
        """Starts Keycloak unless it runs, waits until it is ready and returns the realm's issuer URL."""
        self.launch()
        return self.wait_started(timeout)

    def launch(self) -> None:
        """Starts the process without waiting: its first start takes minutes, which other work can use."""
        if self.running():
            return
        distribution = prepare_distribution()
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as out:
            process = subprocess.Popen(
                [str(distribution / "bin" / "kc.sh"), *self.start_options()],
                env=self._environment(),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # kc.sh and its java: one process group, stopped together
            )
        self.pid_file.write_text(str(process.pid))

    def wait_started(self, timeout: float = 300) -> str:
        wait_until(
            self.ready,
            timeout,
            f"Keycloak on port {self.port} (log: {self.log_file})",
            gave_up=lambda: read_pid(self.pid_file) is None,
        )
        return self.issuer

    def start_options(self) -> list[str]:
        jdbc_url, _, _ = jdbc(self.database_url)
        return [
            "start",
            "--optimized",
            "--import-realm",
            "--http-enabled=true",
            "--http-host=127.0.0.1",
            f"--http-port={self.port}",
            f"--http-management-port={self.management_port}",
            "--hostname-strict=false",  # local only: the issuer follows the host the caller used
            "--cache=local",  # one node: no cluster discovery
            f"--db-url={jdbc_url}",
            "--log-level=INFO,io.smallrye.health:WARN",  # not every readiness poll while it starts
        ]

    def _environment(self) -> dict[str, str]:
        _, username, password = jdbc(self.database_url)
        environment = dict(os.environ) | {
            "KC_DB_USERNAME": username,
            "KC_BOOTSTRAP_ADMIN_USERNAME": ADMIN_USER,
            "KC_BOOTSTRAP_ADMIN_PASSWORD": self.admin_password(),
        }
        if password:
            environment["KC_DB_PASSWORD"] = password
        return environment

    def ready(self) -> bool:
        if not port_open(self.management_port):
            return False
        try:
            return httpx.get(f"http://127.0.0.1:{self.management_port}/health/ready", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def running(self) -> bool:
        return read_pid(self.pid_file) is not None and port_open(self.port)

    def stop(self, timeout: float = 60) -> None:
        """Stops kc.sh and the server it runs (their whole process group), killing what does not stop in time."""
        pid = read_pid(self.pid_file)
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            with contextlib.suppress(TimeoutError):
                wait_until(lambda: read_pid(self.pid_file) is None, timeout, f"Keycloak {pid} to stop")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        stop_pid(self.pid_file, timeout=10)


def jdbc(database_url: str) -> tuple[str, str, str]:
    """A postgresql:// URL as Keycloak takes it: the JDBC URL, the user and the password."""
    parts = urlsplit(database_url)
    address = f"{parts.hostname}:{parts.port or 5432}"
    return f"jdbc:postgresql://{address}{parts.path}", unquote(parts.username or ""), unquote(parts.password or "")


def prepare_distribution() -> Path:
    """Fetches and unpacks the pinned distribution, builds it with BUILD_OPTIONS unless it was, and puts the
    realm where --import-realm reads it. Under a lock: runs and tests may start at the same time."""
    script = REPO_ROOT / "deploy" / "local" / "fetch-keycloak.sh"
    result = subprocess.run(["bash", str(script)], check=True, stdout=subprocess.PIPE, text=True)
    distribution = Path(result.stdout.strip().splitlines()[-1])
    with open(distribution.parent / f"{distribution.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = distribution / ".built"
        wanted = " ".join(BUILD_OPTIONS)
        if not built.exists() or built.read_text() != wanted:
            build = [str(distribution / "bin" / "kc.sh"), "build", *BUILD_OPTIONS]
            result = subprocess.run(build, capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"kc.sh build failed: {(result.stdout + result.stderr)[-2000:]}")
            built.write_text(wanted)
        imports = distribution / "data" / "import"
        imports.mkdir(parents=True, exist_ok=True)
        partial = imports / f".{REALM_FILE.name}.partial"
        partial.write_bytes(REALM_FILE.read_bytes())
        partial.replace(imports / REALM_FILE.name)
    return distribution
