"""./run-demo and ./run-tests install into .venv only when pyproject.toml changed
(scripts/ensure-venv), run against a scratch project whose .venv/bin/python records pip calls."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FAKE_PYTHON = f"""#!/usr/bin/env bash
# Runs Python for the stamp's hash; records pip installs instead of running them.
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "$*" >> "$(dirname "$0")/pip.log"; exit 0; fi
exec {sys.executable} "$@"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "ensure-venv", tmp_path / "scripts" / "ensure-venv")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON, encoding="utf-8")
    python.chmod(0o755)
    return tmp_path


def ensure(project: Path, extra: str = "") -> list[str]:
    """Run scripts/ensure-venv; the pip installs it made so far."""
    env = {key: value for key, value in os.environ.items() if key != "FORCE_INSTALL"}
    subprocess.run(  # noqa: S603 (our own script)
        [str(project / "scripts" / "ensure-venv"), *([extra] if extra else [])],
        cwd=project, env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    log = project / ".venv" / "bin" / "pip.log"
    return log.read_text().splitlines() if log.exists() else []


def test_installs_once_then_again_only_when_pyproject_changes(project: Path) -> None:
    assert ensure(project) == ["-m pip install -q --disable-pip-version-check -e ."]
    assert len(ensure(project)) == 1  # the next launch: no pip at all
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'dependencies = ["httpx"]\n')
    assert len(ensure(project)) == 2
    assert len(ensure(project)) == 2


def test_the_test_extra_covers_the_demo_but_not_the_other_way(project: Path) -> None:
    assert ensure(project) == ["-m pip install -q --disable-pip-version-check -e ."]
    assert ensure(project, "test")[-1].endswith("-e .[test]")  # the tests need more
    assert len(ensure(project, "test")) == 2
    assert len(ensure(project)) == 2  # ./run-demo after ./run-tests: already there
