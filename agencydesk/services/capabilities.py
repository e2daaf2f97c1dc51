"""Which actions a record allows, from its vendor's capability table: an action the vendor's API
cannot do is disabled with a tooltip that says so ("AgencyZoom's API cannot send email").

The main window asks ``CapabilityGate.allowed(kind, record)`` (or ``why_not(action, …)``) and
gets '' for an allowed action, else the reason for the tooltip. Local records allow everything.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Literal

from agencydesk.domain import Record, RecordKind
from agencydesk.vendors.catalog import VENDOR_INFO
from agencydesk.vendors.connector import Capabilities

log = logging.getLogger(__name__)

Action = Literal["new", "open", "edit", "delete", "complete", "reply"]
ACTIONS: tuple[Action, ...] = ("new", "open", "edit", "delete", "complete", "reply")
# Our action -> the capability it needs (and of which kind, for a reply: a new message).
_NEEDS = {
    "new": "create",
    "open": "show",
    "edit": "update",
    "delete": "delete",
    "complete": "update",
    "reply": "create",
}
_VERBS = {"create": "create", "show": "show", "update": "change", "delete": "delete"}
_PLURAL = {
    RecordKind.LEAD: "leads",
    RecordKind.CUSTOMER: "customers",
    RecordKind.POLICY: "policies",
    RecordKind.THREAD: "conversations",
    RecordKind.MESSAGE: "messages",
    RecordKind.TASK: "tasks",
    RecordKind.NOTE: "notes",
}


@dataclass(frozen=True, slots=True)
class AllowedActions:
    reasons: dict[str, str]  # action -> '' when allowed, else why not

    def allows(self, action: Action) -> bool:
        return not self.reasons.get(action, "")

    def why_not(self, action: Action) -> str:
        return self.reasons.get(action, "")


def load_capabilities(vendor: str) -> Capabilities | None:
    """``CAPABILITIES`` of ``agencydesk.vendors.<vendor>.capabilities``; None if not written."""
    name = f"agencydesk.vendors.{vendor}.capabilities"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and name.startswith(error.name):  # the module (or its package) is missing
            return None
        raise
    found: Capabilities | None = getattr(module, "CAPABILITIES", None)
    return found


class CapabilityGate:
    def __init__(self) -> None:
        self._cache: dict[str, Capabilities | None] = {}

    def capabilities(self, vendor: str) -> Capabilities | None:
        if vendor not in self._cache:
            self._cache[vendor] = load_capabilities(vendor)
        return self._cache[vendor]

    def why_not(self, action: Action, kind: RecordKind, record: Record | None) -> str:
        """'' when ``action`` on ``record`` (of ``kind``; None: a new one) is allowed."""
        if record is None or record.provenance.is_local:
            return ""  # new records are made on this device; local ones are ours
        vendor = record.provenance.vendor
        info = VENDOR_INFO.get(vendor)
        name = info.display_name if info else vendor
        table = self.capabilities(vendor)
        if table is None:
            return f"{name} records are read-only here: its connector is not installed."
        target = RecordKind.MESSAGE if action == "reply" else kind
        capability = table.get(target)
        need = _NEEDS[action]
        allowed = capability is not None and capability.allows(need)  # type: ignore[arg-type]
        if allowed and action == "complete" and capability is not None and not capability.complete:
            allowed = False  # it can change a task, but not its status
        if allowed:
            return ""
        if capability is not None and capability.why_not:
            return capability.why_not
        if action == "reply":
            return f"{name}'s API cannot send messages: reply in {name}."
        return f"{name}'s API cannot {_VERBS[need]} {_PLURAL.get(target, target.value)}."

    def allowed(self, kind: RecordKind, record: Record | None) -> AllowedActions:
        return AllowedActions({a: self.why_not(a, kind, record) for a in ACTIONS})
