"""The README's run command, as a newcomer uses it: it brings the system up, the README's example
produces a referral and a deadline, and stopping it leaves no process behind."""

import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.local.process import REPO_ROOT, free_port
from tests.artifacts import ARTIFACTS

PORTS = {"8001": "INTAKE_HTTP_PORT", "8002": "REFERRAL_HTTP_PORT", "8003": "NOTIFICATION_HTTP_PORT"}
PORTS_BY_SERVICE = {"intake": "8001", "referral": "8002", "notification": "8003"}


@pytest.fixture
def run_environment() -> Iterator[dict[str, str]]:
    environment = dict(os.environ)
    environment |= {name: str(free_port()) for name in PORTS.values()}
    environment |= {
        "RUN_STATE_DIR": str(REPO_ROOT / ".run" / f"run-test-{os.getpid()}"),
        "RUN_KAFKA_PORT": str(free_port()),
        "RUN_KAFKA_CONTROLLER_PORT": str(free_port()),
        "RUN_POSTGRES_PORT": str(free_port()),
        "RUN_MAIL_PORT": str(free_port()),
        "RUN_TRACE_PORT": str(free_port()),
        "RUN_KEYCLOAK_PORT": str(free_port()),
        "RUN_KEYCLOAK_MANAGEMENT_PORT": str(free_port()),
    }
    yield environment
    subprocess.run(["./run", "down"], cwd=REPO_ROOT, env=environment, capture_output=True, timeout=180)
    state = Path(environment["RUN_STATE_DIR"])
    shutil.copytree(state / "logs", ARTIFACTS / "run-command-logs", dirs_exist_ok=True)  # for the privacy sweep
    shutil.rmtree(state, ignore_errors=True)


def readme_example(environment: dict[str, str]) -> str:
    readme = (REPO_ROOT / "README.md").read_text()
    block = re.search(r"<!-- example:start -->\n```sh\n(.*?)```", readme, re.S).group(1)
    for port, variable in PORTS.items():
        block = block.replace(f"127.0.0.1:{port}", f"127.0.0.1:{environment[variable]}")
    return block


def pids_of(state: Path) -> list[int]:
    """The pid files of the services and the mail catcher, the broker's, Keycloak's, and the postmaster's first
    line."""
    files = [
        *state.glob("*.pid"),
        state / "kafka" / "kafka.pid",
        state / "keycloak" / "keycloak.pid",
        state / "postgres" / "data" / "postmaster.pid",
    ]
    return [int(path.read_text().split()[0]) for path in files if path.exists()]


def wait_for_mail(folder: Path, seconds: float = 30) -> list[Path]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if folder.exists() and (mails := list(folder.iterdir())):
            return mails
        time.sleep(0.5)
    return []


def one_trace_spans_the_services(state: Path, seconds: float = 30) -> bool:
    """Whether some trace the catcher holds has spans of all three services, and a service's log names it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        spans = [json.loads(line) for line in _lines(state / "traces" / "spans.jsonl")]
        services_of: dict[str, set[str]] = {}
        for span in spans:
            services_of.setdefault(span["trace_id"], set()).add(span["service"])
        logged = {
            json.loads(line).get("trace_id")
            for name in PORTS_BY_SERVICE
            for line in _lines(state / "logs" / f"{name}.log")
        }
        if any(found == set(PORTS_BY_SERVICE) and trace in logged for trace, found in services_of.items()):
            return True
        time.sleep(1)
    return False


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.startswith("{")] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_run_brings_the_system_up_the_example_works_and_ctrl_c_stops_everything(run_environment):
    state = Path(run_environment["RUN_STATE_DIR"])
    run = subprocess.Popen(
        ["./run"],
        cwd=REPO_ROOT,
        env=run_environment,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output: list[str] = []
    try:
        for line in run.stdout:
            output.append(line)
            if "Press Ctrl-C to stop." in line:
                break
        assert "The system is up." in "".join(output), "".join(output)
        assert f"http://127.0.0.1:{run_environment['RUN_KEYCLOAK_PORT']}/admin/" in "".join(output)
        pids = pids_of(state)
        assert len(pids) == 8  # the three services, the mail and trace catchers, Kafka, Keycloak, PostgreSQL

        example = subprocess.run(
            ["bash", "-c", readme_example(run_environment)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
        )
        assert "晋中市昔阳县大寨镇未成年人保护工作站" in example.stdout, example.stderr
        assert '"stage":"acknowledge"' in example.stdout
        assert '"state":"routed"' in example.stdout  # intake's own view of where the report went
        assert '"kind":"assigned","referral_id"' in example.stdout  # the station's notification
        assert wait_for_mail(state / "mail" / "new"), "no notification e-mail reached the mail catcher"
        assert one_trace_spans_the_services(state), "no trace of the example's report reached the trace catcher"
    finally:
        run.send_signal(signal.SIGINT)
        run.wait(timeout=120)
    assert [pid for pid in pids if alive(pid)] == []


@pytest.fixture
def running_elsewhere(run_environment) -> Iterator[dict[str, str]]:
    """A Kafka and a PostgreSQL already running (started by the project's launcher in a state folder of its
    own), as an operator's would be: their settings, and the pids of their processes."""
    launcher = [".venv/bin/python", "-m", "deploy.local"]
    options = ["--state", run_environment["RUN_STATE_DIR"] + "-elsewhere", "--no-keycloak"]
    options += ["--kafka-port", str(free_port()), "--kafka-controller-port", str(free_port())]
    options += ["--postgres-port", str(free_port())]
    up = subprocess.run(
        [*launcher, "up", *options], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    settings = dict(line.split("=", 1) for line in up.stdout.splitlines() if "=" in line)
    try:
        yield settings
    finally:
        subprocess.run([*launcher, "down", *options], cwd=REPO_ROOT, capture_output=True, timeout=180)
        shutil.rmtree(options[1], ignore_errors=True)


def test_run_detach_on_a_kafka_and_postgresql_that_already_run_then_down_leaves_them_running(
    run_environment, running_elsewhere
):
    run_environment["RUN_KEYCLOAK"] = "0"  # started and stopped by the test above; its first start takes minutes
    run_environment["RUN_KAFKA_BOOTSTRAP_SERVERS"] = running_elsewhere["KAFKA_BOOTSTRAP_SERVERS"]
    run_environment["RUN_DATABASE_URL"] = running_elsewhere["DATABASE_URL"]
    state = Path(run_environment["RUN_STATE_DIR"])
    elsewhere = pids_of(Path(run_environment["RUN_STATE_DIR"] + "-elsewhere"))
    up = subprocess.run(
        ["./run", "--detach"], cwd=REPO_ROOT, env=run_environment, capture_output=True, text=True, timeout=300
    )
    pids = pids_of(state)
    down = subprocess.run(
        ["./run", "down"], cwd=REPO_ROOT, env=run_environment, capture_output=True, text=True, timeout=180
    )
    assert up.returncode == 0, up.stdout + up.stderr
    assert "Stop it with: ./run down" in up.stdout
    assert running_elsewhere["KAFKA_BOOTSTRAP_SERVERS"] in up.stdout
    assert len(pids) == 5  # the three services, the mail and trace catchers: no Kafka or PostgreSQL of its own
    assert not (state / "kafka").exists() and not (state / "postgres").exists()
    assert down.returncode == 0, down.stderr
    assert [pid for pid in pids if alive(pid)] == []
    assert len(elsewhere) == 2 and all(alive(pid) for pid in elsewhere)
