"""The shape of the code, checked: layers that point downward, small modules, division codes read in one place."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "referral", "notification")
LAYERS = ("domain", "application", "adapters", "entrypoints")
LONGEST_MODULE = 200
# A division code cut to a level by hand (`code[:6]`); shared.domain.divisions does it for everyone.
SLICED_CODE = re.compile(r"\[:(2|4|6|9|12)\]")


def python_modules(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def test_import_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_every_service_has_the_four_layers():
    for service in SERVICES:
        for layer in LAYERS:
            assert (ROOT / "services" / service / layer / "__init__.py").is_file(), f"{service}/{layer}"


def test_no_module_is_longer_than_the_limit():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in python_modules("services", "shared")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE
    }
    assert too_long == {}


def test_division_codes_are_cut_to_a_level_only_in_shared():
    sliced = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in python_modules("services")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SLICED_CODE.search(line) and "code" in line
    ]
    assert sliced == []
