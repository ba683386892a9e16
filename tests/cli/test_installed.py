"""The package as a user installs it: a wheel built from the checkout, installed into a
fresh virtual environment, run from a folder outside the checkout. The configuration's
defaults must travel inside the package; a ``config/`` in the working directory wins."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo_verkoopregels.csv"
CUSTOMERS = ROOT / "data" / "demo_klanten.csv"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The ``portfolio`` command of a fresh environment with only the built wheel in it.
    Its dependencies are borrowed from the test's own environment by a path file (that
    environment's path files, among them the checkout's editable install, are not read)."""
    where = tmp_path_factory.mktemp("installed")
    wheels = where / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    source = where / "source"  # what a wheel is built from; the build leaves the checkout be
    for part in ("portfolio", "config"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / part, source / part)
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", wheels, source],
        check=True,
        cwd=where,
    )
    env_dir = where / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next(wheels.glob("portfolio-*.whl"))
    packed = set(zipfile.ZipFile(wheel).namelist())
    for module in (ROOT / "portfolio").rglob("*.py"):
        assert str(module.relative_to(ROOT)) in packed, f"{module} is not in the wheel"
    subprocess.run([*pip, "--python", python, "install", "--no-deps", wheel], check=True)
    return env_dir / "bin" / "portfolio"


def _summary(command: Path, cwd: Path, *extra: str) -> dict:
    shutil.copy(DEMO, cwd / DEMO.name)
    shutil.copy(CUSTOMERS, cwd / CUSTOMERS.name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PORTFOLIO_CONFIG_DIR")}
    done = subprocess.run(
        [command, "summary", DEMO.name, "--customers", CUSTOMERS.name, "--json", *extra],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_installed_package_runs_outside_the_checkout_with_its_packaged_defaults(
    installed, tmp_path
):
    where = subprocess.run(
        [installed.parent / "python", "-c", "import portfolio; print(portfolio.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in where  # the wheel's copy, not the checkout's
    installed_summary = _summary(installed, tmp_path)
    (tmp_path / "checkout").mkdir()
    checkout = _summary(Path(sys.executable).with_name("portfolio"), tmp_path / "checkout")
    assert installed_summary == checkout
    assert installed_summary["customers"] > 0


def test_a_config_folder_in_the_working_directory_overrides_a_packaged_default(installed, tmp_path):
    before = _summary(installed, tmp_path)
    (tmp_path / "config").mkdir()
    thresholds = ROOT / "config" / "thresholds.yaml"
    text = thresholds.read_text(encoding="utf-8")
    assert "  months: 12" in text
    (tmp_path / "config" / "thresholds.yaml").write_text(
        text.replace("  months: 12", "  months: 3")
    )
    after = _summary(installed, tmp_path)
    assert (before["period_start"], after["period_start"]) == ("2025-01-01", "2025-10-01")
    assert after["period_end"] == before["period_end"]
