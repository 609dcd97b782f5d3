"""The image installs requirements-runtime.lock: the same pins and hashes as requirements.lock, without the test
tools; and it runs as a user of its own, not root."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", re.MULTILINE)
TEST_TOOLS = {"pytest", "pytest-asyncio", "testcontainers", "ruff", "hypothesis", "playwright", "schemathesis"}


def pins(lock: str) -> dict[str, str]:
    return {name.lower(): version for name, version in PIN.findall((ROOT / lock).read_text(encoding="utf-8"))}


def hashes(lock: str, name: str) -> set[str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    block = re.search(rf"^{re.escape(name)}==\S+ \\\n((?:    --hash=\S+(?: \\)?\n)+)", text, re.MULTILINE | re.I)
    assert block, f"{name} in {lock}"
    return set(re.findall(r"--hash=(\S+)", block.group(1)))


def test_the_runtime_lock_pins_what_the_full_lock_pins_and_no_test_tool():
    runtime, full = pins("requirements-runtime.lock"), pins("requirements.lock")
    assert runtime and set(runtime) <= set(full)
    assert {name: full[name] for name in runtime} == runtime
    assert not TEST_TOOLS & set(runtime)
    for name in runtime:
        assert hashes("requirements-runtime.lock", name) == hashes("requirements.lock", name), name


def test_the_image_installs_the_runtime_lock_and_runs_as_its_own_user():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "-r requirements-runtime.lock" in dockerfile and "-r requirements.lock" not in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
