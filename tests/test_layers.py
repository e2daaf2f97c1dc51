"""Imports only go one way: domain <- vendors <- store <- sync, services <- ui, cli <- app.py.

Every module of the package belongs to a layer (a subpackage, or app.py, profile.py, __main__.py)
and may import only the layers listed for it. Caught: ``import agencydesk.x``, ``from agencydesk.x
import y``, ``from agencydesk import x``, relative imports, and module names given to
``importlib.import_module``, which are caught as any string (or f-string's literal start) that is
a dotted ``agencydesk.`` module path, and attribute chains on ``agencydesk`` itself. ui/ and cli/
import nothing of vendors/: what they need of the vendors comes through services/.
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
    "ui": {"domain", "store", "sync", "services", "profile", "resources", "ui"},
    "cli": {"domain", "store", "sync", "services", "profile", "cli", "app"},
    "app": {"domain", "vendors", "store", "sync", "services", "profile", "resources", "ui", "app"},
    "__main__": {"cli"},
}

# The widgets and the CLI import nothing of vendors/ (not its generic modules, not client_kit's
# errors): what they need of the vendors (names, credentials, error types) comes through
# services/ (services/vendor_catalog.py), so vendor code can move without touching a widget.
# No allow-list: ALLOWED has no "vendors" for ui or cli, and test_layer_imports_only_lower_layers
# fails on any such import, even one named at run time (importlib).


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
        elif isinstance(node, ast.Attribute) and _dotted(node).startswith("agencydesk."):
            found.add(_dotted(node))  # `import agencydesk` then agencydesk.vendors.catalog.X
        elif isinstance(node, ast.JoinedStr) and node.values:
            head = node.values[0]  # f"agencydesk.vendors.{vendor}.capabilities"
            if isinstance(head, ast.Constant) and _MODULE_PATH.fullmatch(str(head.value)[:-1]):
                found.add(str(head.value).rstrip(".") + ".*")
        elif isinstance(node, ast.Constant) and _MODULE_PATH.fullmatch(str(node.value)):
            found.add(str(node.value))  # a module's name, kept for import_module
    return frozenset(name for name in found if name.startswith("agencydesk."))


_MODULE_PATH = re.compile(r"agencydesk(\.[A-Za-z_]\w*)+")


def _dotted(node: ast.expr) -> str:
    """``a.b.c`` for an attribute chain on a plain name, else ''."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else ""


def _layers(modules: frozenset[str]) -> set[str]:
    layers = set()
    for module in modules:
        parts = module.split(".")
        if len(parts) > 1 and parts[1] != "*":
            layers.add(parts[1])
    return layers & set(ALLOWED)


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
    sources = (  # every way a widget could reach vendors/, each a wrong-way import there
        "from agencydesk.vendors.client_kit import errors\n",
        "from agencydesk.vendors.catalog import VENDOR_INFO\n",
        "from agencydesk.vendors import connector\n",
        "from agencydesk import vendors\n",
        "import agencydesk.vendors.sandbox_kit.registry\n",
        "import agencydesk\nNAMES = agencydesk.vendors.catalog.VENDOR_INFO\n",
    )
    for number, source in enumerate(sources):
        name = f"ui/sync/via_{number}.py"  # a new file each time: what a file imports is cached
        found = _layers(_imports_of(source, tmp_path, name))
        assert "vendors" in found - ALLOWED["ui"], source
    allowed = _imports_of(
        "from agencydesk.services.vendor_catalog import VENDOR_INFO\n"
        "from agencydesk import APP_NAME\n",
        tmp_path,
        "ui/sync/allowed.py",
    )
    assert _layers(allowed) == {"services"}
