"""packaging/build builds with the Python that runs it, not with a fixed .venv/bin/python."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "packaging" / "build"


def run_build(python: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own build script)
        [python, str(BUILD), *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_the_build_runs_on_the_interpreter_it_is_given() -> None:
    done = run_build(sys.executable, "--help")  # this interpreter has PyInstaller (test extra)
    assert done.returncode == 0, done.stderr
    assert "--no-measure" in done.stdout


def test_a_python_without_pyinstaller_is_named_with_the_command_that_fixes_it(
    tmp_path: Path,
) -> None:
    venv.create(tmp_path / "bare", with_pip=False)  # no PyInstaller, whatever .venv has
    bare = str(tmp_path / "bare" / "bin" / "python")
    done = run_build(bare, "--help")
    assert done.returncode != 0
    assert f"PyInstaller is missing from {bare}" in done.stderr
    assert f"{bare} -m pip install -e '.[packaging]'" in done.stderr
