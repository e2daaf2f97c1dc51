"""Fixtures for the chrome tests: the profile's preferences, and no logging handler left behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agencydesk.ui.chrome.logging_setup import teardown_logging
from agencydesk.ui.chrome.preferences import Preferences, open_profile_settings


@pytest.fixture
def preferences(qapp, profile_dir: Path) -> Preferences:
    return Preferences(open_profile_settings(profile_dir))


@pytest.fixture
def logs_dir(profile_dir: Path) -> Iterator[Path]:
    path = profile_dir / "logs"
    yield path
    teardown_logging(path)
