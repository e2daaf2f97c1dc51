"""Suite-wide fixtures: offscreen Qt, a temporary profile, an in-memory keyring."""

from __future__ import annotations

import gc
import itertools
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

# The app's qasync loop fixture (``loop``) for GUI tests whose widgets start coroutines.
pytest_plugins = ["tests.qasync_loop"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# tmp_path and tmp_path_factory folders go to a RAM folder where the machine has one (Linux's
# /dev/shm, a tmpfs), unless PYTEST_DEBUG_TEMPROOT (pytest's own setting) says otherwise. Most
# tests open a SQLite cache there, and closing one syncs it to disk: about 15 ms of waiting a
# cache on an ext4 disk, nothing on tmpfs. Only passed tests' folders are removed
# (tmp_path_retention_policy), so what stays in memory is what a failure left to look at.
_RAM_FOLDER = Path("/dev/shm")  # noqa: S108 - as /tmp: pytest makes pytest-of-<user> 0700, its own
# A container's /dev/shm is often 64 MB, less than the benchmark-sized books some tests write:
# the RAM folder is used only when it has room to spare.
_RAM_FOLDER_ROOM = 4 * 1024**3


def _ram_folder_fits() -> bool:
    if not (_RAM_FOLDER.is_dir() and os.access(_RAM_FOLDER, os.W_OK | os.X_OK)):
        return False
    return shutil.disk_usage(_RAM_FOLDER).free >= _RAM_FOLDER_ROOM


if _ram_folder_fits():
    os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", str(_RAM_FOLDER))


class MemoryKeyring(KeyringBackend):
    """A keyring that lives only as long as the test: secrets never touch the real OS store."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)

    def by_label(self, label: str) -> dict[str, str]:
        """The entries of an account label, by keyring service (one per profile)."""
        return {service: text for (service, user), text in self.secrets.items() if user == label}

    def only(self, label: str) -> str:
        """The one stored entry of ``label`` (the test has one profile)."""
        [text] = self.by_label(label).values()
        return text


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    """A fresh, empty profile directory (never the real home directory)."""
    path = tmp_path / "profile"
    path.mkdir(mode=0o700)
    return path


@pytest.fixture(scope="session")
def empty_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly migrated, empty cache, made once per test process: tests copy it
    (``tests/book_files.py``) instead of migrating again (0.25 s a book, 0.04 s a copy)."""
    from agencydesk.store.book import Book

    path = tmp_path_factory.mktemp("template") / "cache.sqlite3"
    Book.open(path).close()
    return path


SANDBOX_TESTS = Path(__file__).parent / "sandboxes"
GUI_TESTS = Path(__file__).parent / "ui"
# The team book's tests: each runs against the real PostgreSQL server the suite starts.
TEAM_TESTS = Path(__file__).parent / "hub"

# Folders whose every test carries these markers (pytest_collection_modifyitems below gives them).
_MARKED_FOLDERS = {
    GUI_TESTS: frozenset({"gui"}),
    SANDBOX_TESTS: frozenset({"sandbox_internal"}),
    TEAM_TESTS: frozenset({"postgres", "system"}),
}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Skip importing a folder none of whose tests the ``-m`` expression can select (e.g. the
    GUI and sandbox folders for ``-m "not gui and not sandbox_internal"``): the same tests run,
    without every worker importing and assertion-rewriting some 70 modules it would deselect.
    The folder's tests are then not counted as deselected."""
    guaranteed = _MARKED_FOLDERS.get(collection_path)
    if guaranteed is None or not config.option.markexpr:
        return None
    return True if _never_selected(config.option.markexpr, guaranteed) else None


def _never_selected(expression: str, guaranteed: frozenset[str]) -> bool:
    """Whether ``expression`` is false for every test carrying the ``guaranteed`` markers,
    whatever other markers it has. Unsure (marker arguments, pytest's parser changed): False."""
    if re.search(r"\b(?!not\b)[\w.:/+-]+\s*\(", expression):  # e.g. -m "slow(reason=x)"
        return False
    try:
        from _pytest.mark.expression import Expression

        compiled = Expression.compile(expression)
    except Exception:  # any doubt means collect as usual
        return False
    others = sorted(set(re.findall(r"[\w.:/+-]+", expression)) - {"and", "or", "not"} - guaranteed)
    for values in itertools.product((False, True), repeat=len(others)):
        markers = dict(zip(others, values, strict=True)) | dict.fromkeys(guaranteed, True)
        if compiled.evaluate(lambda name, /, _m=markers, **_kwargs: _m.get(name, False)):
            return False
    return True


def pytest_collection_finish(session: pytest.Session) -> None:
    """In a run that can select no GUI test (the logic tests), the garbage collector leaves
    alone what collection made (modules, test items: gc.freeze) and runs less often. The
    sandboxes and books a test builds are hundreds of thousands of objects, and at Python's
    default thresholds collecting them took a fifth of tests/vendors' CPU (4.7 of 23 s; 2.2 s
    after). GUI runs keep the defaults: there a collection must not move to another thread,
    see tests/qasync_loop.py."""
    expression = session.config.option.markexpr
    if expression and _never_selected(expression, _MARKED_FOLDERS[GUI_TESTS]):
        gc.freeze()
        gc.set_threshold(50_000, 20, 100)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses ``qtbot`` (or lives under tests/ui) is a GUI test; every test in
    tests/sandboxes/ checks a vendor sandbox itself (a third of the logic tests' time); every
    test in tests/hub/ is a system test (a real PostgreSQL server). So
    ``-m "not gui and not slow and not sandbox_internal and not system"`` runs the app's logic
    tests alone."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures:
            item.add_marker(pytest.mark.gui)
        for folder, markers in _MARKED_FOLDERS.items():
            if item.path.is_relative_to(folder):
                have = {mark.name for mark in item.iter_markers()}
                for name in sorted(markers - have):
                    item.add_marker(getattr(pytest.mark, name))
