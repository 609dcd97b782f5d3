"""A PostgreSQL cluster from Debian's packages, kept in a project-local folder on its own port."""

import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from deploy.local.process import REPO_ROOT, port_open, wait_until

# PostgreSQL refuses to run as root; as root the cluster belongs to this user.
SERVICE_USER = "postgres"


@dataclass
class LocalPostgres:
    home: Path
    port: int = 15432
    # A certificate and its private key (PEM): TLS on, and connections over TCP accepted only with it.
    tls: tuple[Path, Path] | None = None

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    def start(self, timeout: float = 60) -> str:
        bindir = install_postgres()
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "socket").mkdir(exist_ok=True)
        self._hand_over_to_service_user()
        if not (self.data_dir / "PG_VERSION").exists():
            self._run(
                bindir / "initdb",
                "-D",
                self.data_dir,
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            )
        if not port_open(self.port):
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 "
                f"-c unix_socket_directories={self.home / 'socket'} -c max_connections=200"
            ) + self._tls_options()
            self._run(
                bindir / "pg_ctl",
                "-D",
                self.data_dir,
                "-l",
                self.home / "postgres.log",
                "-o",
                options,
                "-w",
                "-t",
                str(int(timeout)),
                "start",
            )
        wait_until(lambda: port_open(self.port), timeout, f"PostgreSQL on port {self.port}")
        return self.admin_url

    def stop(self) -> None:
        if not (self.data_dir / "postmaster.pid").exists():
            return
        self._run(install_postgres() / "pg_ctl", "-D", self.data_dir, "-m", "fast", "-w", "stop", check=False)

    def _tls_options(self) -> str:
        if self.tls is None:
            return ""
        folder = self.home / "tls"
        folder.mkdir(exist_ok=True)
        for source, name in zip(self.tls, ("server.crt", "server.key"), strict=True):
            shutil.copyfile(source, folder / name)
            (folder / name).chmod(0o600)  # PostgreSQL refuses a key others may read
        (self.data_dir / "pg_hba.conf").write_text("local all all trust\nhostssl all all 127.0.0.1/32 trust\n")
        self._hand_over_to_service_user(folder, *folder.iterdir(), self.data_dir / "pg_hba.conf")
        return f" -c ssl=on -c ssl_cert_file={folder / 'server.crt'} -c ssl_key_file={folder / 'server.key'}"

    def _hand_over_to_service_user(self, *paths: Path) -> None:
        if os.geteuid() != 0:
            return
        user = pwd.getpwnam(SERVICE_USER)
        for path in paths or (self.home, self.home / "socket"):
            os.chown(path, user.pw_uid, user.pw_gid)

    def _run(self, *command: object, check: bool = True) -> None:
        args = [str(part) for part in command]
        if os.geteuid() == 0:
            args = [shutil.which("runuser") or "runuser", "-u", SERVICE_USER, "--", *args]
        result = subprocess.run(args, capture_output=True, text=True, cwd="/")
        if check and result.returncode != 0:
            raise RuntimeError(f"{Path(str(command[0])).name} failed: {result.stderr.strip()}")


def install_postgres() -> Path:
    script = REPO_ROOT / "deploy/local/install-postgres.sh"
    result = subprocess.run(["bash", str(script)], check=True, stdout=subprocess.PIPE, text=True)
    return Path(result.stdout.strip().splitlines()[-1])
