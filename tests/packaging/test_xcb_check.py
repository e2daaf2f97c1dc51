"""A Linux desktop without Qt's xcb libraries is told which ones and the apt command, instead of
Qt's generic "could not load the Qt platform plugin" and an abort."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agencydesk.app import EXIT_NO_DISPLAY_LIBRARIES
from agencydesk.ui.chrome.xcb_check import (
    check_xcb,
    debian_package,
    missing_libraries,
    not_found,
    uses_xcb,
    xcb_plugin,
)

# What ldd says about PySide6 6.12's libqxcb.so on a minimal Debian 12 (measured on this machine
# before libxcb-icccm4 and libxcb-keysyms1 were installed).
MINIMAL_DEBIAN_LDD = """\
\tlinux-vdso.so.1 (0x00007ffd5a7e5000)
\tlibQt6XcbQpa.so.6 => /opt/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x1)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x2)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x3)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x4)
"""
LOADER_ERROR = "libxcb-icccm.so.4: cannot open shared object file: No such file or directory"


def test_ldds_report_gives_each_missing_library_once() -> None:
    assert not_found(MINIMAL_DEBIAN_LDD) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxcb-render-util.so.0", "libxcb-render-util0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
    ],
)
def test_debian_package_names(soname: str, package: str) -> None:
    assert debian_package(soname) == package


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux", False),
        ({"DISPLAY": ":0"}, "darwin", False),
        ({}, "win32", False),
    ],
)
def test_only_an_x11_start_is_checked(env: dict[str, str], platform: str, expected: bool) -> None:
    assert uses_xcb(env, platform) is expected


def test_the_message_names_the_libraries_and_the_apt_command() -> None:
    plugin = xcb_plugin({})
    assert plugin is not None  # PySide6 ships it on Linux
    message = check_xcb(
        {"QT_QPA_PLATFORM": "xcb"},
        ldd=lambda _plugin: MINIMAL_DEBIAN_LDD,
        loader=lambda _plugin: LOADER_ERROR,
    )
    assert message is not None
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in message
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in message


def test_without_ldd_the_loaders_error_names_the_first_missing_library() -> None:
    plugin = xcb_plugin({})
    assert plugin is not None
    found = missing_libraries(plugin, ldd=lambda _p: None, loader=lambda _p: LOADER_ERROR)
    assert found == ["libxcb-icccm.so.4"]


def test_a_plugin_that_loads_means_nothing_is_missing() -> None:
    plugin = xcb_plugin({})
    assert plugin is not None
    assert (
        missing_libraries(plugin, ldd=lambda _p: MINIMAL_DEBIAN_LDD, loader=lambda _p: None) == []
    )


@pytest.mark.skipif(shutil.which("ldd") is None, reason="needs the system's ldd")
def test_a_plugin_separated_from_its_qt_libraries_is_caught_for_real(tmp_path: Path) -> None:
    """The real plugin, copied away from the Qt libraries it finds through its RUNPATH: the real
    loader fails and the real ldd lists them; those are ours, so the advice is to reinstall.
    (In a fresh process: one that has Qt's libraries loaded already would find them.)"""
    plugins = _plugin_copy(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", "from agencydesk.ui.chrome.xcb_check import check_xcb\n"
         "print(check_xcb())"],
        env={**os.environ, "QT_QPA_PLATFORM": "xcb", "QT_PLUGIN_PATH": str(plugins)},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert "libQt6XcbQpa.so.6" in done.stdout
    assert "reinstall AgencyDesk" in done.stdout


def _plugin_copy(tmp_path: Path) -> Path:
    """A plugin folder holding a copy of the real xcb plugin, away from its Qt libraries."""
    real = xcb_plugin({})
    assert real is not None
    plugins = tmp_path / "plugins"
    (plugins / "platforms").mkdir(parents=True)
    shutil.copy2(real, plugins / "platforms" / "libqxcb.so")
    return plugins


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is Linux here")
def test_the_app_stops_before_qt_with_the_message_and_exit_code(tmp_path: Path) -> None:
    """`agencydesk` on a desktop whose xcb libraries are missing (ldd says so) prints the advice
    and exits 4, without Qt's own abort."""
    plugins = _plugin_copy(tmp_path)  # fails to load (see above)
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "ldd").write_text(f"#!/bin/sh\ncat <<'EOF'\n{MINIMAL_DEBIAN_LDD}EOF\n")
    (fake_bin / "ldd").chmod(0o755)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "QT_PLUGIN_PATH": str(plugins),
        "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}",
    }
    done = subprocess.run(  # noqa: S603 (our own interpreter and package)
        [sys.executable, "-m", "agencydesk", "--profile", str(tmp_path / "profile")],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == EXIT_NO_DISPLAY_LIBRARIES, done.stderr
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in done.stderr
    assert "Qt platform plugin" not in done.stderr
    assert not (tmp_path / "profile").exists()  # stopped before anything else
