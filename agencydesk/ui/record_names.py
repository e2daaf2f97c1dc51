"""How a record is named in titles, confirmations and status messages (the rule lives in the
domain, so a service's error message names a record the way the window does)."""

from __future__ import annotations

from agencydesk.domain.record_names import title_of

__all__ = ["title_of"]
