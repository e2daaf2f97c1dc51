"""The version the app shows and keys its caches with is the one the package is built with."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import agencydesk

ROOT = Path(__file__).resolve().parent.parent


def test_the_written_out_version_is_pyproject_s() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert agencydesk.__version__ == project["version"]
    assert agencydesk.__version__ == version("agencydesk")  # as installed
