"""Before an edit is queued: would the vendor clear fields AgencyDesk cannot read (issue 15)?
The check itself is each vendor's (``agencydesk.vendors.<vendor>.write_risk.fields_at_risk``,
the ``ChecksWriteRisk`` shape); this module finds it and words the warning the same way for every
vendor, for the UI and for headless paths alike."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from agencydesk.domain import Record, RecordKind
from agencydesk.vendors.catalog import VENDOR_INFO
from agencydesk.vendors.connector import CONFIRMED_LOSS

FieldsAtRisk = Callable[[RecordKind, Record | None, Mapping[str, Any]], list[str]]


def load_fields_at_risk(vendor: str) -> FieldsAtRisk | None:
    """The vendor's check, or None when its writes never clear what they are not sent."""
    name = f"agencydesk.vendors.{vendor}.write_risk"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and name.startswith(error.name):
            return None
        raise
    found: FieldsAtRisk | None = getattr(module, "fields_at_risk", None)
    return found


def fields_at_risk(record: Record, changes: Mapping[str, Any]) -> list[str]:
    """What sending ``changes`` to ``record``'s vendor would clear ([] for local records)."""
    if record.provenance.is_local:
        return []
    check = load_fields_at_risk(record.provenance.vendor)
    return check(record.kind, record, changes) if check is not None else []


def unconfirmed(at_risk: list[str], changes: Mapping[str, Any]) -> list[str]:
    """The fields at risk the user has not agreed to lose (``CONFIRMED_LOSS`` in ``changes``)."""
    agreed = changes.get(CONFIRMED_LOSS) or []
    return [label for label in at_risk if label not in agreed]


def clears_warning(vendor: str, kind: RecordKind, labels: list[str]) -> str:
    """ "AgencyZoom's API would clear Address line 2, DBA and Other CSRs on this lead, and does
    not let AgencyDesk read them" """
    info = VENDOR_INFO.get(vendor)
    name = info.display_name if info else vendor
    return (
        f"{name}'s API would clear {join_labels(labels)} on this {kind.value}, "
        "and does not let AgencyDesk read them"
    )


def join_labels(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
