"""Render the application icon from its SVG: PNG 16…512, a Windows .ico and a macOS .icns.

Run from the repository root: ``.venv/bin/python packaging/make_icons.py``. Qt's own SVG renderer
draws each size (so no extra imaging library is needed); the .ico and .icns containers are written
here because both simply hold PNG images behind a small index: ICO with PNG entries is read by
Windows Vista and later, ICNS ``icp4``…``ic10`` PNG entries by macOS 10.7 and later.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_ICON_DIR = ROOT / "resources" / "icons" / "app"
SVG = APP_ICON_DIR / "agencydesk.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that carry PNG data, by pixel size (Apple's IconFamily.h).
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
              (b"ic09", 512), (b"ic10", 1024))  # fmt: skip


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent ``size``×``size`` canvas, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6's stubs ask for bytes, but only a str format is accepted at run time.
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon holding one PNG per size (ICONDIR, ICONDIRENTRY × n, then the images)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in the one-byte width/height fields
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns_bytes(pngs: dict[bytes, bytes]) -> bytes:
    """A macOS icon family: ``icns`` + total length, then (type, length, PNG) elements."""
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in pngs.items())
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    rendered = {size: render_png(SVG, size) for size in {*PNG_SIZES, 1024}}
    for size in PNG_SIZES:
        (APP_ICON_DIR / f"agencydesk-{size}.png").write_bytes(rendered[size])
    (APP_ICON_DIR / "agencydesk.ico").write_bytes(ico_bytes({s: rendered[s] for s in ICO_SIZES}))
    (APP_ICON_DIR / "agencydesk.icns").write_bytes(
        icns_bytes({kind: rendered[size] for kind, size in ICNS_TYPES})
    )
    print(f"wrote {len(PNG_SIZES)} PNGs, agencydesk.ico and agencydesk.icns to {APP_ICON_DIR}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
