"""Where AgencyDesk's bundled resources (icons, licences) are, from source and when frozen.

The one place that knows the layout: from a source checkout (or an editable install) they are in
the repository's ``resources/`` folder; in a PyInstaller bundle the spec copies that folder to
``resources/`` inside the bundle, which PyInstaller exposes as ``sys._MEIPASS`` (the ``_internal``
folder of a one-folder build, ``Contents/Resources`` of a macOS .app). No Qt here, so headless
code may use it too.
"""

from __future__ import annotations

import sys
from pathlib import Path

RESOURCES_DIR_NAME = "resources"
APP_ICON_NAME = "agencydesk"


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def resources_root() -> Path:
    """The folder holding ``icons/`` and the rest of the bundled resources."""
    if is_frozen():
        return Path(sys._MEIPASS) / RESOURCES_DIR_NAME  # type: ignore[attr-defined]
    return Path(__file__).resolve().parents[1] / RESOURCES_DIR_NAME


def resource_path(*parts: str) -> Path:
    """The path of one resource, e.g. ``resource_path("icons", "lucide", "users.svg")``.

    Raises FileNotFoundError naming the path, so a missing file in a bundle is found at once
    rather than turning into an invisible blank icon.
    """
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"AgencyDesk resource {'/'.join(parts)} is missing at {path}")
    return path


def app_icon_svg() -> Path:
    return resource_path("icons", "app", f"{APP_ICON_NAME}.svg")


def app_icon_png(size: int) -> Path:
    """The rasterised app icon of one of the generated sizes (16, 24, 32, 48, 64, 128, 256, 512)."""
    return resource_path("icons", "app", f"{APP_ICON_NAME}-{size}.png")
