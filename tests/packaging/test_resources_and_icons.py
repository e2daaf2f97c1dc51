"""Resources resolve from source and frozen; every icon the UI names exists and renders."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from agencydesk import resources
from agencydesk.resources import app_icon_png, resource_path, resources_root
from agencydesk.ui.chrome.icons import ACTION_ICONS, TAB_ICONS, action_icon, app_icon, tab_icon

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
from make_icons import ICO_SIZES, PNG_SIZES  # noqa: E402


def test_from_source_resources_are_the_repository_folder() -> None:
    assert resources_root() == ROOT / "resources"
    assert resource_path("icons", "lucide", "LICENSE").read_text().startswith("ISC License")


def test_when_frozen_resources_are_inside_the_bundle(monkeypatch, tmp_path: Path) -> None:
    (tmp_path / "resources" / "icons").mkdir(parents=True)
    (tmp_path / "resources" / "icons" / "x.svg").write_text("<svg/>")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.is_frozen()
    assert resource_path("icons", "x.svg") == tmp_path / "resources" / "icons" / "x.svg"


def test_a_missing_resource_names_its_path() -> None:
    with pytest.raises(FileNotFoundError, match=r"icons/nope\.svg"):
        resource_path("icons", "nope.svg")


@pytest.mark.parametrize("size", PNG_SIZES)
def test_app_icon_png_has_its_size(size: int) -> None:
    image = QImage(str(app_icon_png(size)))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def test_ico_and_icns_hold_every_size() -> None:
    ico = resource_path("icons", "app", "agencydesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(ICO_SIZES))
    widths = [ico[6 + 16 * i] or 256 for i in range(count)]
    assert widths == sorted(ICO_SIZES)
    icns = resource_path("icons", "app", "agencydesk.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert b"ic09" in icns  # 512 px, what Finder shows in the Applications folder


def test_every_tab_and_action_icon_renders(qapp) -> None:
    assert app_icon().availableSizes()
    for tab in TAB_ICONS:
        assert not tab_icon(tab).pixmap(24, 24).toImage().isNull()
    for action in ACTION_ICONS:
        image = action_icon(action).pixmap(24, 24).toImage()
        # Something is drawn: at least one pixel is not transparent.
        assert any(image.pixelColor(x, y).alpha() for x in range(24) for y in range(24)), action
