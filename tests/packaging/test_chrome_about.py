"""About: our version and the licence of every library we ship, from installed metadata."""

from __future__ import annotations

from agencydesk import __version__
from agencydesk.ui.chrome.about import AboutDialog
from agencydesk.ui.chrome.licences import bundled_licences, runtime_distributions


def test_runtime_distributions_are_the_dependency_closure_without_test_tools() -> None:
    names = {name.lower().replace("_", "-") for name in runtime_distributions()}
    assert {"pyside6-essentials", "httpx", "qasync", "keyring", "sqlalchemy"} <= names
    assert "httpcore" in names  # pulled in by httpx, found recursively
    assert not {"pytest", "pytest-qt", "ruff", "mypy", "pyinstaller"} & names


def test_about_lists_version_and_licences(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert __version__ in dialog.version_label.text()
    rows = {name: licence for name, _version, licence in dialog.licence_rows()}
    assert rows["httpx"].startswith("BSD")
    assert "LGPL-3.0" in rows["PySide6_Essentials"]
    assert rows["Lucide icons"] == "ISC"
    assert all(licence for licence in rows.values())
    assert len(rows) == len(bundled_licences())
