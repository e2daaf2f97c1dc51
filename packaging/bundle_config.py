"""What goes into the AgencyDesk bundle, shared by the spec and packaging/build.

Kept out of the spec so it can be read, linted and tested like any module.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

APP_NAME = "AgencyDesk"
EXE_NAME = "agencydesk"
APP_ID = "com.agencydesk.AgencyDesk"
COMPANY = "AgencyDesk"

# Qt modules and tools AgencyDesk never imports. PyInstaller's PySide6 hooks only collect what is
# imported, but a stray import (a library probing for QtQml, say) would drag in hundreds of MB.
# AgencyDesk uses QtCore, QtGui, QtWidgets, QtNetwork (single instance) and QtSvg (icons).
EXCLUDED_QT = [
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner",
    "QtGraphs", "QtHelp", "QtHttpServer", "QtLabsStyleKit", "QtLocation", "QtMultimedia",
    "QtMultimediaWidgets", "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf",
    "QtPdfWidgets", "QtPositioning", "QtPrintSupport", "QtQml", "QtQmlFeatures", "QtQuick",
    "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects",
    "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql",
    "QtStateMachine", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel",
    "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView",
    "QtXml",
]  # fmt: skip
EXCLUDED_MODULES = [
    *(f"PySide6.{name}" for name in EXCLUDED_QT),
    # Development tools that are installed in the venv but never imported by the app.
    "tkinter", "_tkinter", "pytest", "_pytest", "pytestqt", "xdist", "mypy", "ruff",
    "PyInstaller", "IPython", "numpy", "pydoc_data",
]  # fmt: skip


def faker_foreign_locales() -> list[str]:
    """Faker's locale modules other than English. The demo book and the sandboxes make people
    with ``Faker("en_US")`` only (services/demo/people.py, vendors/sandbox_kit/people_build.py);
    the other ~85 locales are 1,500 modules, 11 MB and a good part of the build's analysis time."""
    try:
        import faker.providers
    except ImportError:
        return []
    providers = Path(faker.providers.__file__).parent
    # Each provider package holds one sub-package per locale (``person/de_DE``, ``lorem/la``…).
    return sorted(
        f"faker.providers.{provider.name}.{locale.name}"
        for provider in providers.iterdir()
        if provider.is_dir() and provider.name != "__pycache__"
        for locale in provider.iterdir()
        if locale.is_dir() and locale.name != "__pycache__" and not locale.name.startswith("en")
    )


EXCLUDED_MODULES += faker_foreign_locales()


def is_foreign_faker_locale_file(bundle_path: str) -> bool:
    """``faker/providers/person/de_DE/__init__.py`` and the like (any locale but English)."""
    parts = Path(bundle_path).parts
    return (
        len(parts) >= 5
        and parts[:2] == ("faker", "providers")
        and parts[3] != "__pycache__"
        and not parts[3].startswith("en")
    )


_MIGRATION_PARTS = {"migrations", "versions", "alembic"}


def is_runtime_migration_file(path: str) -> bool:
    """True for Python files Alembic loads from disk (env.py and version scripts)."""
    return bool(_MIGRATION_PARTS.intersection(Path(path).parts))


def app_version() -> str:
    from importlib.metadata import version

    return version("agencydesk")


def windows_file_version(version: str) -> tuple[int, int, int, int]:
    """'0.1.0', '1.2.3rc1' or '1.2.3.dev4+g5' as the four numbers a Windows version resource
    needs."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:4]]
    return (*numbers, 0, 0, 0, 0)[:4]  # type: ignore[return-value]


def write_windows_version_file(path: Path) -> str:
    """Write the VSVersionInfo text PyInstaller embeds in AgencyDesk.exe; returns its path."""
    version = app_version()
    numbers = windows_file_version(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": f"{APP_NAME}, a workstation for insurance agencies",
        "FileVersion": version,
        "InternalName": EXE_NAME,
        "OriginalFilename": f"{APP_NAME}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version,
        "LegalCopyright": f"© {COMPANY}",
    }
    string_structs = ",\n".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [{string_structs}])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])]),
  ],
)
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def licence_distributions() -> list[str]:
    """agencydesk and every distribution it needs at run time (the About dialog lists them)."""
    from agencydesk.ui.chrome.licences import runtime_distributions

    return ["agencydesk", *runtime_distributions()]


LICENCE_DISTRIBUTIONS = licence_distributions()
