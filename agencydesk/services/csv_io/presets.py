"""Named column mappings ("AgencyZoom lead export", "Carrier renewals") saved in the profile, so
the same kind of file maps itself next week, in the dialog and with ``import --preset NAME``.

Stored as JSON beside the cache (``csv_presets.json``, owner-only like everything in the profile):
{kind: {name: {header: field}}}.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from agencydesk.domain import RecordKind

PRESETS_FILE = "csv_presets.json"


class PresetStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_profile(cls, profile_dir: Path) -> PresetStore:
        return cls(profile_dir / PRESETS_FILE)

    def _load(self) -> dict[str, dict[str, dict[str, str]]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {}  # an unreadable presets file must not stop an import; it is rewritten
        return data if isinstance(data, dict) else {}

    def names(self, kind: RecordKind) -> list[str]:
        return sorted(self._load().get(kind.value, {}))

    def get(self, kind: RecordKind, name: str) -> dict[str, str] | None:
        preset = self._load().get(kind.value, {}).get(name)
        return dict(preset) if isinstance(preset, dict) else None

    def save(self, kind: RecordKind, name: str, mapping: dict[str, str]) -> None:
        data = self._load()
        data.setdefault(kind.value, {})[name] = dict(mapping)
        self._write(data)

    def delete(self, kind: RecordKind, name: str) -> None:
        data = self._load()
        data.get(kind.value, {}).pop(name, None)
        self._write(data)

    def _write(self, data: dict[str, dict[str, dict[str, str]]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, sort_keys=True)
        os.replace(temp, self.path)
