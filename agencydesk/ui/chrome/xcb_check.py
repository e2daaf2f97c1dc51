"""Before Qt starts on X11: are the system libraries its xcb platform plugin needs there?

Qt's own message for a missing one is "Could not load the Qt platform plugin "xcb" ... Reinstalling
the application may fix this problem", then an abort; on Qt 6.5+ it even names libxcb-cursor0 when
another library is the one missing (a minimal Debian lacks libxcb-icccm4 and libxcb-keysyms1 too).
This loads the plugin first (what Qt does next anyway, so it costs nothing when all is there);
when that fails, ``ldd`` lists every library missing (without ``ldd``, the loader's error names
the first), and the message names them with the command that installs them. No Qt is imported.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

PLUGIN = Path("platforms", "libqxcb.so")
# Debian names a library's package after its soname (libxcb-icccm.so.4 -> libxcb-icccm4); these
# are the exceptions Qt can need.
DEBIAN_PACKAGES = {"libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0"}
OUR_OWN = ("libQt6", "libpyside6", "libshiboken6", "libicu")  # shipped with PySide6, not apt's

Ldd = Callable[[Path], str | None]
Load = Callable[[Path], str | None]


def uses_xcb(env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will start on X11 (xcb): on Linux, when QT_QPA_PLATFORM asks for it first, or
    when nothing is asked and the session is not a Wayland one."""
    if not platform.startswith("linux"):
        return False
    asked = env.get("QT_QPA_PLATFORM", "").strip()
    if asked:
        return asked.split(";")[0].split(":")[0].strip() == "xcb"
    return not (env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland")


def xcb_plugin(env: Mapping[str, str] = os.environ) -> Path | None:
    """The xcb plugin Qt will load: the first in QT_PLUGIN_PATH, else PySide6's own (in a frozen
    bundle too); None where there is none."""
    folders = [Path(folder) for folder in env.get("QT_PLUGIN_PATH", "").split(os.pathsep) if folder]
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.origin is not None:
        folders.append(Path(spec.origin).parent / "Qt" / "plugins")
    return next((folder / PLUGIN for folder in folders if (folder / PLUGIN).is_file()), None)


def load(library: Path) -> str | None:
    """Load ``library`` as Qt will; the loader's error, or None when it loaded."""
    try:
        ctypes.CDLL(str(library), mode=os.RTLD_LAZY)  # as QLibrary does: no symbol resolved yet
    except OSError as error:
        return str(error)
    return None


def run_ldd(library: Path) -> str | None:
    """``ldd``'s report on ``library``, or None when this system has no ldd."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603 (the system's ldd on a file of our own package)
            [ldd, str(library)], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout


def not_found(ldd_output: str) -> list[str]:
    """The sonames ``ldd`` could not find ("libxcb-icccm.so.4 => not found")."""
    missing = {
        line.split("=>")[0].strip() for line in ldd_output.splitlines() if "=> not found" in line
    }
    return sorted(missing)


def missing_libraries(plugin: Path, ldd: Ldd = run_ldd, loader: Load = load) -> list[str]:
    """The libraries ``plugin`` needs and this system cannot find; [] when it loads."""
    error = loader(plugin)
    if error is None:
        return []
    report = ldd(plugin)
    listed = not_found(report) if report is not None else []
    if listed:
        return listed
    # "libxcb-icccm.so.4: cannot open shared object file: No such file or directory"
    first = error.split(":")[0].strip()
    return [first] if ".so" in first and "/" not in first else []


def debian_package(soname: str) -> str:
    """libxcb-icccm.so.4 -> libxcb-icccm4; libxkbcommon-x11.so.0 -> libxkbcommon-x11-0."""
    if soname in DEBIAN_PACKAGES:
        return DEBIAN_PACKAGES[soname]
    name, _, version = soname.partition(".so.")
    name = name.lower()
    return f"{name}-{version}" if name[-1:].isdigit() else f"{name}{version}"


def explain(missing: list[str]) -> str:
    """What to tell the user: what is missing, and how to get it."""
    ours = [name for name in missing if name.startswith(OUR_OWN)]
    system = [name for name in missing if name not in ours]
    lines = ["AgencyDesk cannot open its window: Qt's X11 support (the xcb platform plugin)"]
    if system:
        packages = " ".join(dict.fromkeys(debian_package(name) for name in system))
        lines += [
            f"needs system libraries this computer does not have: {', '.join(system)}.",
            "On Debian or Ubuntu, install them with:",
            f"    sudo apt install {packages}",
            "(on other systems, install the packages that provide these files).",
        ]
    if ours:
        lines.append(f"is missing files of its own ({', '.join(ours)}): reinstall AgencyDesk.")
    return "\n".join(lines)


def check_xcb(
    env: Mapping[str, str] = os.environ, ldd: Ldd = run_ldd, loader: Load = load
) -> str | None:
    """The message for the user when Qt would fail to start on X11 for want of a library;
    None when it will start (or will not use X11)."""
    if not uses_xcb(env):
        return None
    plugin = xcb_plugin(env)
    if plugin is None:
        return None
    missing = missing_libraries(plugin, ldd, loader)
    return explain(missing) if missing else None
