"""Imports only go one way: domain <- vendors, store <- sync, services <- ui; nothing imports ui."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "agencydesk"

# Which of our own subpackages each layer may import.
ALLOWED: dict[str, set[str]] = {
    "domain": {"domain"},
    "vendors": {"domain", "vendors"},
    "store": {"domain", "store"},
    "sync": {"domain", "vendors", "store", "sync"},
    "services": {"domain", "vendors", "store", "sync", "services"},
    "ui": {"domain", "vendors", "store", "sync", "services", "ui"},
}


def _our_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    layers: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "agencydesk" and len(parts) > 1:
                layers.add(parts[1])
    return layers


def _layer_files() -> list[tuple[str, Path]]:
    return [(layer, path) for layer in ALLOWED for path in sorted((PACKAGE / layer).rglob("*.py"))]


@pytest.mark.parametrize(
    ("layer", "path"), _layer_files(), ids=lambda v: str(v).split("agencydesk/")[-1]
)
def test_layer_imports_only_lower_layers(layer: str, path: Path) -> None:
    forbidden = {
        imported
        for imported in _our_imports(path)
        if imported in ALLOWED and imported not in ALLOWED[layer]
    }
    assert not forbidden, f"{path.relative_to(PACKAGE)} ({layer}) imports {sorted(forbidden)}"


def test_nothing_outside_the_composition_root_imports_ui() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "ui" in _our_imports(path)
        and path.relative_to(PACKAGE).parts[0] not in {"ui", "app.py", "__main__.py", "cli"}
    ]
    assert not offenders, f"only ui/ and the composition root may import ui: {offenders}"
