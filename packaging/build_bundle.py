"""Build (or reuse) the Linux one-folder bundle, add the desktop integration files, print figures.

Called by ``packaging/build``. The last line printed is the executable's path, so scripts and the
smoke test can do ``exe=$(packaging/build | tail -n1)``.
"""

from __future__ import annotations

import argparse
import fcntl  # the Linux build only; Windows and macOS run PyInstaller directly
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bundle_config import APP_ID, APP_NAME, EXE_NAME, ROOT

DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
STAMP = ROOT / "build" / "agencydesk-bundle.stamp"
LOCK = ROOT / "build" / "agencydesk-bundle.lock"
BUNDLE = DIST / APP_NAME
EXECUTABLE = BUNDLE / EXE_NAME
LINUX = Path(__file__).resolve().parent / "linux"
APP_ICONS = ROOT / "resources" / "icons" / "app"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# What the app prints (with AGENCYDESK_QUIT_AFTER_SHOWN=1) once its main window is on screen.
SHOWN_MARKER = b"agencydesk: main window shown"
LAUNCH_TIMEOUT_S = 30.0


def say(text: object) -> None:
    print(text, flush=True)  # noqa: T201  (a command-line tool: stdout is its output)


def input_fingerprint() -> str:
    """A hash of everything that ends up in the bundle: our sources, resources, this folder, and
    the versions of Python, PyInstaller and PySide6 in the build environment."""
    digest = hashlib.sha256()
    for top in ("agencydesk", "resources", "packaging"):
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    digest.update((ROOT / "pyproject.toml").read_bytes())
    from importlib.metadata import version

    for dist in ("pyinstaller", "PySide6-Essentials"):
        digest.update(f"{dist}={version(dist)}".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def run_pyinstaller() -> None:
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(DIST), "--workpath", str(WORK),
        str(ROOT / "packaging" / "agencydesk.spec"),
    ]  # fmt: skip
    # PyInstaller's chatter goes to stderr: stdout is for the figures and the executable's path.
    subprocess.run(command, check=True, cwd=ROOT, stdout=sys.stderr)  # noqa: S603  (our own argv)


def add_desktop_integration() -> None:
    """A freedesktop prefix inside the bundle (share/applications, icons, metainfo) and an
    installer script that registers the bundle for the current user, wherever it was unpacked."""
    share = BUNDLE / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    (share / "metainfo").mkdir(parents=True, exist_ok=True)
    shutil.copy2(LINUX / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    shutil.copy2(LINUX / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml")
    hicolor = share / "icons" / "hicolor"
    for size in ICON_SIZES:
        target = hicolor / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(APP_ICONS / f"agencydesk-{size}.png", target / f"{APP_ID}.png")
    (hicolor / "scalable" / "apps").mkdir(parents=True, exist_ok=True)
    shutil.copy2(APP_ICONS / "agencydesk.svg", hicolor / "scalable" / "apps" / f"{APP_ID}.svg")
    installer = BUNDLE / "install-desktop-entry.sh"
    shutil.copy2(LINUX / "install-desktop-entry.sh", installer)
    installer.chmod(0o755)


def size_on_disk(folder: Path) -> int:
    """Bytes allocated on disk (like ``du``), not the sum of apparent sizes."""
    return sum(p.lstat().st_blocks * 512 for p in folder.rglob("*")) + folder.stat().st_blocks * 512


def launch_to_window_seconds(profile: Path) -> float | None:
    """Seconds from starting the executable (offscreen, on ``profile``) to its main window shown;
    None if it never said so, failed, or took longer than LAUNCH_TIMEOUT_S (then it is killed)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "AGENCYDESK_QUIT_AFTER_SHOWN": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603  (the bundle we just built)
        [str(EXECUTABLE), "--profile", str(profile)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    shown: list[float] = []

    def watch_stdout() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if SHOWN_MARKER in line and not shown:
                shown.append(time.perf_counter() - started)

    reader = threading.Thread(target=watch_stdout, daemon=True)
    reader.start()
    try:
        process.wait(timeout=LAUNCH_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None
    reader.join(timeout=5)
    return shown[0] if shown and process.returncode == 0 else None


def report_launch_times(runs: int = 3) -> None:
    """The first start on a new profile (creates the cache, shows the welcome) and later starts
    on the same profile, which is what a user sees every morning."""
    with tempfile.TemporaryDirectory(prefix="agencydesk-launch-") as tmp:
        profile = Path(tmp) / "profile"
        first = launch_to_window_seconds(profile)
        again = [t for t in (launch_to_window_seconds(profile) for _ in range(runs)) if t]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    if first is None or not again:
        say("launch to window shown: not measured (the executable never reported its window)")
        return
    say(
        f"launch to window shown: {statistics.median(again):.2f} s (median of {len(again)} starts"
        f" on an existing profile), {first:.2f} s on a new profile; target < 2 s"
        f" (load average {load:.1f} on {os.cpu_count()} cores)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="packaging/build", description=__doc__)
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    parser.add_argument("--no-measure", action="store_true", help="skip the launch-time figure")
    args = parser.parse_args()

    STAMP.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("w") as lock:
        # Two builds at once (pytest -n 2 runs the smoke tests in two workers) would write the
        # same folders: the second waits here, then finds the bundle fresh and reuses it.
        fcntl.flock(lock, fcntl.LOCK_EX)
        fingerprint = input_fingerprint()
        cached = EXECUTABLE.exists() and STAMP.exists() and STAMP.read_text() == fingerprint
        if cached and not args.force:
            say(f"build: reusing the bundle in {BUNDLE} (nothing changed since it was built)")
        else:
            started = time.perf_counter()
            STAMP.unlink(missing_ok=True)
            run_pyinstaller()
            add_desktop_integration()
            STAMP.write_text(fingerprint)
            say(f"build: built {BUNDLE} in {time.perf_counter() - started:.0f} s")

    say(f"bundle size on disk: {size_on_disk(BUNDLE) / 1e6:.1f} MB (target < 250 MB)")
    if not args.no_measure:
        report_launch_times()
    say(EXECUTABLE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
