"""Imports only go one way: domain <- vendors <- store <- sync, services <- ui, cli <- app.py.

Every module of the package belongs to a layer (a subpackage, or app.py, profile.py, __main__.py)
and may import only the layers listed for it. Caught: ``import agencydesk.x``, ``from agencydesk.x
import y``, ``from agencydesk import x``, relative imports, and module names given to
``importlib.import_module``, which are caught as any string (or f-string's literal start) that is
a dotted ``agencydesk.`` module path.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "agencydesk"

# Which of our own layers each layer may import. profile.py (where a user's files live) and
# resources.py (bundled files, frozen or not) need nothing of ours; app.py is the composition
# root and the only module outside ui/ that may import ui; the CLI is the GUI's sibling: it
# calls the same services, never the widgets.
ALLOWED: dict[str, set[str]] = {
    "domain": {"domain"},
    "vendors": {"domain", "vendors"},
    "store": {"domain", "store"},
    "sync": {"domain", "vendors", "store", "sync"},
    "services": {"domain", "vendors", "store", "sync", "services"},
    "profile": set(),
    "resources": set(),
    "ui": {"domain", "vendors", "store", "sync", "services", "profile", "resources", "ui"},
    "cli": {"domain", "vendors", "store", "sync", "services", "profile", "cli", "app"},
    "app": {"domain", "vendors", "store", "sync", "services", "profile", "resources", "ui", "app"},
    "__main__": {"cli"},
}

# What of vendors/ the widgets and the CLI may use: the generic modules in vendors/ itself
# (connector, catalog, value_maps, write_risk...) and client_kit's error tree. A package in
# vendors/ (a vendor's own, vendors/<name>/, its client or sandbox; the client and sandbox kits)
# is reached through services, so vendor quirks stay in the vendor's folder.
VENDOR_PACKAGES = frozenset(
    path.name for path in (PACKAGE / "vendors").iterdir() if (path / "__init__.py").is_file()
)
SHARED_FROM_PACKAGES = ("agencydesk.vendors.client_kit.errors",)

# Imports of vendor internals that ui/ and cli/ still make (issue 9 moves these use-cases into
# services/). A ratchet: a new one fails, and an entry that is no longer true must be removed.
KNOWN_VENDOR_IMPORTS: dict[str, set[str]] = {
    "ui/sync/wiring.py": {"agencydesk.vendors.sandbox_kit"},  # the demo's sandboxes
}


def layer_of(path: Path) -> str:
    first = path.relative_to(PACKAGE).parts[0]
    return first.removesuffix(".py")


@functools.cache  # every file is read by several tests
def imported_modules(path: Path, root: Path = PACKAGE) -> frozenset[str]:
    """Every ``agencydesk...`` name ``path`` (in the package at ``root``) imports: modules, and
    for ``from m import x`` also ``m.x`` (x may be a module); a dynamic one ends in ``.*``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ["agencydesk", *path.relative_to(root).parent.parts]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from agencydesk import ui` imports agencydesk.ui; `from a.b import C` imports a.b
            found.update(f"{base}.{alias.name}" for alias in node.names)
            found.add(base)
        elif isinstance(node, ast.JoinedStr) and node.values:
            head = node.values[0]  # f"agencydesk.vendors.{vendor}.capabilities"
            if isinstance(head, ast.Constant) and _MODULE_PATH.fullmatch(str(head.value)[:-1]):
                found.add(str(head.value).rstrip(".") + ".*")
        elif isinstance(node, ast.Constant) and _MODULE_PATH.fullmatch(str(node.value)):
            found.add(str(node.value))  # a module's name, kept for import_module
    return frozenset(name for name in found if name.startswith("agencydesk."))


_MODULE_PATH = re.compile(r"agencydesk(\.[A-Za-z_]\w*)+")


def _layers(modules: frozenset[str]) -> set[str]:
    layers = set()
    for module in modules:
        parts = module.split(".")
        if len(parts) > 1 and parts[1] != "*":
            layers.add(parts[1])
    return layers & set(ALLOWED)


def vendor_internals(modules: frozenset[str]) -> set[str]:
    """The packages of vendors/ that ``modules`` reach into: a vendor's own
    (``agencydesk.vendors.lofty``), the sandbox kit, a client_kit module other than errors; a
    module named at run time (``agencydesk.vendors.*``) counts as one."""
    internals = set()
    for module in modules:
        parts = module.split(".")
        if parts[:2] != ["agencydesk", "vendors"] or len(parts) < 3:
            continue
        if parts[2] not in VENDOR_PACKAGES and parts[2] != "*":
            continue  # a generic module of vendors/ (or a name it defines)
        if module.startswith(SHARED_FROM_PACKAGES) or module == "agencydesk.vendors.client_kit":
            continue  # (`from agencydesk.vendors.client_kit import errors` names the package)
        depth = 4 if parts[2] == "client_kit" else 3
        internals.add(".".join(parts[:depth]))
    return internals


def _files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _id(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def test_every_module_belongs_to_a_layer() -> None:
    strays = [_id(p) for p in _files() if p.parent != PACKAGE and layer_of(p) not in ALLOWED]
    strays += [_id(p) for p in PACKAGE.glob("*.py") if p.stem not in {*ALLOWED, "__init__"}]
    assert not strays, f"add these to a layer in tests/test_layers.py: {strays}"


@pytest.mark.parametrize("path", [p for p in _files() if p.parent != PACKAGE or p.stem in ALLOWED],
                         ids=_id)  # fmt: skip
def test_layer_imports_only_lower_layers(path: Path) -> None:
    layer = layer_of(path)
    forbidden = _layers(imported_modules(path)) - ALLOWED[layer]
    assert not forbidden, f"{_id(path)} ({layer}) imports {sorted(forbidden)}"


@pytest.mark.parametrize("path", [p for p in _files() if layer_of(p) in {"ui", "cli"}], ids=_id)
def test_widgets_and_cli_reach_vendors_only_through_the_generic_contract(path: Path) -> None:
    internals = vendor_internals(imported_modules(path)) - KNOWN_VENDOR_IMPORTS.get(
        _id(path), set()
    )
    assert not internals, (
        f"{_id(path)} imports a vendor's own package {sorted(internals)}: go through services/ "
        "(of vendors/, ui/ and cli/ share its generic modules and client_kit.errors)"
    )


@pytest.mark.parametrize("name", sorted(KNOWN_VENDOR_IMPORTS))
def test_known_vendor_imports_are_still_there(name: str) -> None:
    """When a use-case moves to services/, its entry in KNOWN_VENDOR_IMPORTS goes too."""
    path = PACKAGE / name
    still = vendor_internals(imported_modules(path)) if path.exists() else set()
    gone = KNOWN_VENDOR_IMPORTS[name] - still
    assert not gone, f"{name} no longer imports {sorted(gone)}: remove it from KNOWN_VENDOR_IMPORTS"


def test_nothing_outside_the_composition_root_imports_ui() -> None:
    offenders = [
        _id(path)
        for path in _files()
        if "ui" in _layers(imported_modules(path)) and layer_of(path) not in {"ui", "app"}
    ]
    assert not offenders, f"only ui/ and app.py may import ui: {offenders}"


def _imports_of(source: str, tmp_path: Path, name: str = "ui/sync/x.py") -> frozenset[str]:
    """``imported_modules`` of ``source`` written at ``name`` in a scratch package."""
    path = tmp_path / "agencydesk" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return imported_modules(path, tmp_path / "agencydesk")


def test_the_checker_sees_every_form_of_import(tmp_path: Path) -> None:
    seen = _imports_of(
        "import importlib\n"
        "from agencydesk import ui\n"
        "from ... import store\n"
        "from ..tabs import base\n"
        "import agencydesk.services.csv_io as csv_io\n"
        "def f(vendor):\n"
        "    from agencydesk.vendors.lofty.client import LoftyClient\n"
        "    importlib.import_module(f'agencydesk.vendors.{vendor}.capabilities')\n"
        "    importlib.import_module('agencydesk.sync.engine')\n",
        tmp_path,
    )
    assert _layers(seen) == {"ui", "store", "services", "vendors", "sync"}
    assert "agencydesk.ui.tabs.base" in seen
    assert vendor_internals(seen) == {"agencydesk.vendors.lofty", "agencydesk.vendors.*"}
    allowed = _imports_of(
        "from agencydesk.vendors.client_kit import errors\n"
        "from agencydesk.vendors.catalog import VENDOR_INFO\n"
        "from agencydesk.vendors.connector import Connector\n"
        "from agencydesk import APP_NAME\n",
        tmp_path,
        "ui/sync/allowed.py",  # a new file each time: what a file imports is cached
    )
    assert vendor_internals(allowed) == set()
    assert _layers(allowed) == {"vendors"}
    kit = _imports_of(
        "from agencydesk.vendors.client_kit.base import VendorHttp\n", tmp_path, "ui/kit.py"
    )
    assert vendor_internals(kit) == {"agencydesk.vendors.client_kit.base"}
