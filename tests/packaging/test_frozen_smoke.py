"""The frozen app: build (or reuse) the PyInstaller bundle, start it offscreen on a fresh profile,
wait for its main window, let it quit, and fail on a non-zero exit or unexpected error output."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "packaging" / "build"
SHOWN_MARKER = "agencydesk: main window shown"
# Lines Qt's offscreen platform prints on its own; anything else on stderr is a failure.
HARMLESS_STDERR = ("This plugin does not support propagateSizeHints()",)

pytestmark = pytest.mark.slow


def build_or_reuse_bundle() -> Path:
    done = subprocess.run(  # noqa: S603  (our own build script)
        [sys.executable, str(BUILD), "--no-measure"], cwd=ROOT, capture_output=True, text=True,
        timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    path = Path(done.stdout.strip().splitlines()[-1])  # the build's last line is the executable
    assert path.is_file()
    assert os.access(path, os.X_OK)
    return path


def check_desktop_integration(executable: Path) -> None:
    bundle = executable.parent
    app_id = "com.agencydesk.AgencyDesk"
    desktop = (bundle / "share" / "applications" / f"{app_id}.desktop").read_text()
    assert "Exec=agencydesk" in desktop
    assert f"Icon={app_id}" in desktop
    for size in (16, 32, 48, 128, 256, 512):
        assert (
            bundle / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{app_id}.png"
        ).is_file()
    assert (bundle / "share" / "metainfo" / f"{app_id}.metainfo.xml").is_file()
    assert (bundle / "_internal" / "resources" / "icons" / "lucide" / "LICENSE").is_file()


def check_version_without_a_display(executable: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run(  # noqa: S603
        [str(executable), "--version"], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("agencydesk ")


def check_opens_its_main_window_and_quits_cleanly(executable: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "AGENCYDESK_QUIT_AFTER_SHOWN": "1"}
    done = subprocess.run(  # noqa: S603
        [str(executable), "--profile", str(profile)],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    unexpected = [
        line for line in done.stderr.splitlines() if line.strip() and line not in HARMLESS_STDERR
    ]
    assert done.returncode == 0, done.stderr[-4000:]
    assert SHOWN_MARKER in done.stdout, done.stdout[-2000:]
    assert unexpected == []
    assert (profile / "logs" / "agencydesk.log").is_file()  # it logged into the profile


def check_second_start_raises_the_first_and_exits_zero(executable: Path, tmp_path: Path) -> None:
    from agencydesk.ui.chrome.single_instance import server_name

    profile = tmp_path / "profile"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("AGENCYDESK_QUIT_AFTER_SHOWN", None)
    socket_file = Path(tempfile.gettempdir()) / server_name(profile)
    log_file = profile / "logs" / "agencydesk.log"
    first = subprocess.Popen(  # noqa: S603
        [str(executable), "--profile", str(profile)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (socket_file.exists() and log_file.exists()) and time.monotonic() < deadline:
            assert first.poll() is None, "the first instance ended early"
            time.sleep(0.1)  # a separate process: nothing to wait on but its socket file
        assert socket_file.exists()
        second = subprocess.run(  # noqa: S603
            [str(executable), "--profile", str(profile)],
            capture_output=True, text=True, timeout=60, env=env,
        )  # fmt: skip
        assert second.returncode == 0, second.stderr[-2000:]
        deadline = time.monotonic() + 30
        while "bringing the window forward" not in log_file.read_text():
            assert time.monotonic() < deadline, log_file.read_text()[-2000:]
            time.sleep(0.1)
        assert first.poll() is None  # still running: the second start did not replace it
    finally:
        first.terminate()
        first.communicate(timeout=30)  # reaps it and closes its stderr pipe


def check_metadata_for_the_about_dialog(executable: Path) -> None:
    from agencydesk.ui.chrome.licences import runtime_distributions

    def normalise(name: str) -> str:
        return name.lower().replace("-", "_").replace(".", "_")

    internal = executable.parent / "_internal"
    found = [*internal.glob("*.dist-info"), *internal.glob("*.egg-info")]  # ours: egg-info
    bundled = {normalise(path.name.split("-")[0].removesuffix(".egg")) for path in found}
    wanted = {normalise(name) for name in ["agencydesk", *runtime_distributions()]}
    assert wanted - bundled == set(), sorted(bundled)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle is built here")
def test_frozen_bundle_builds_starts_and_behaves(tmp_path: Path) -> None:
    # One test rather than five sharing a fixture: under `pytest -n 2` the five could land on
    # both workers, and the second would sit idle waiting for the first one's build.
    executable = build_or_reuse_bundle()
    check_desktop_integration(executable)
    check_metadata_for_the_about_dialog(executable)
    check_version_without_a_display(executable)
    (tmp_path / "first").mkdir()
    check_opens_its_main_window_and_quits_cleanly(executable, tmp_path / "first")
    (tmp_path / "second").mkdir()
    check_second_start_raises_the_first_and_exits_zero(executable, tmp_path / "second")
