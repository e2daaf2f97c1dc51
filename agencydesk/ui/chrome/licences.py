"""The libraries AgencyDesk ships with and their licences, read from installed metadata.

No Qt here: the PyInstaller spec uses ``runtime_distributions`` to copy exactly these
distributions' metadata into the bundle, and the About dialog lists them from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

ROOT_DISTRIBUTION = "agencydesk"

# Bundled with the app but not Python distributions (or not only).
EXTRA_COMPONENTS = (
    ("Qt", "6 (through PySide6)", "LGPL-3.0-only", "https://www.qt.io/licensing/"),
    ("Lucide icons", "1.62.0", "ISC", "https://lucide.dev/license"),
)


@dataclass(frozen=True, slots=True)
class Licence:
    """One bundled component: name, version and its licence (SPDX or the classifier's words)."""

    name: str
    version: str
    licence: str
    url: str = ""


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str | None:
    """The distribution a ``Requires-Dist`` line names, or None for an extra-only requirement."""
    spec, _, marker = requirement.partition(";")
    if "extra" in marker:
        return None  # optional features (test tools, packaging) are not shipped
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    return match.group(1) if match else None


def runtime_distributions(root: str = ROOT_DISTRIBUTION) -> list[str]:
    """Every installed distribution ``root`` needs at run time, recursively, sorted by name."""
    seen: dict[str, str] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        dist = metadata.distribution(name)
        for requirement in dist.requires or []:
            child = _requirement_name(requirement)
            if child and _normalise(child) not in seen:
                try:
                    seen[_normalise(child)] = str(metadata.distribution(child).metadata["Name"])
                except metadata.PackageNotFoundError:
                    seen[_normalise(child)] = ""  # for another platform or Python: not shipped
                    continue
                pending.append(child)
    return sorted((name for name in seen.values() if name), key=str.lower)


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    """One metadata field, or "" when the distribution does not give it."""
    value = meta.get_all(name)
    return str(value[0]) if value else ""


def licence_of(dist: metadata.Distribution) -> str:
    """SPDX ``License-Expression`` when given, else the OSI classifier, else ``License``."""
    meta = dist.metadata
    expression = _field(meta, "License-Expression")
    if expression:
        return str(expression)
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return ", ".join(c.split(" :: ")[-1] for c in classifiers)
    text = _field(meta, "License").strip()
    # Some projects paste the whole licence text into this field: keep its first line.
    return text.splitlines()[0][:80] if text else "see the project"


def _homepage(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    if _field(meta, "Home-page"):
        return _field(meta, "Home-page")
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() in {"homepage", "home", "source", "repository", "documentation"}:
            return url.strip()
    return ""


def bundled_licences() -> list[Licence]:
    """What the About dialog lists: AgencyDesk's run-time libraries, then Qt and the icon set."""
    found: list[Licence] = []
    for name in runtime_distributions():
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found.append(
            Licence(str(dist.metadata["Name"]), dist.version, licence_of(dist), _homepage(dist))
        )
    found.extend(Licence(*component) for component in EXTRA_COMPONENTS)
    return found
