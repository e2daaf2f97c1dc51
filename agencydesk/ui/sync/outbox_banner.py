"""The detail pane's line for a change the vendor did not take: "Not sent to Lofty (Mark done):
Lofty's API cannot mark a task done… — Discard · Edit… · Retry", each a link
(``agencydesk-outbox://VERB/ENTRY_ID``) the window hands to the Outbox actions. An action that is
not possible is shown greyed with its reason instead of a link. Qt-free HTML, like detail_html."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from agencydesk.services.outbox_review import OutboxItem
from agencydesk.store.ledger_types import OutboxState

OUTBOX_SCHEME = "agencydesk-outbox"
NOT_SENT_RED = "#c62828"


def _first_sentence(text: str) -> str:
    head = text.split(". ")[0].rstrip(".")
    return head[:1].lower() + head[1:]


def _action(item: OutboxItem, verb: str, label: str, why_not: str) -> str:
    if why_not:
        return f'<span class="none">{escape(label)} ({escape(_first_sentence(why_not))})</span>'
    return f'<a href="{OUTBOX_SCHEME}://{verb}/{item.entry.id}">{escape(label)}</a>'


def banner(items: Sequence[OutboxItem]) -> str:
    """The lines for the changes that wait for the user ('' when none)."""
    lines = []
    for item in items:
        if not item.needs_user:
            continue
        made = item.state in ("May have been made", "May have been sent")
        head = (
            f"Maybe sent to {item.vendor}" if made else f"Not sent to {item.vendor}"
        ) + f" ({item.what})"
        actions = " · ".join(
            (
                _action(item, "discard", "Discard", item.why_no_discard),
                _action(item, "edit", "Edit…", item.why_no_edit),
                _action(item, "retry", "Retry", item.why_no_retry),
            )
        )
        lines.append(
            f'<p style="margin: 6px 0 2px 0"><b style="color: {NOT_SENT_RED}">{escape(head)}:</b> '
            f"{escape(item.message)}<br>{actions}</p>"
        )
    return "".join(lines)


def with_outbox_banner(html: str, items: Sequence[OutboxItem]) -> str:
    """``html`` (a detail pane) with the banner right under its heading; its "Waiting to send"
    line says "Not sent" while a change of the record waits for the user."""
    shown = banner(items)
    if not shown:
        return html
    for item in items:
        if item.needs_user and item.entry.state is not OutboxState.CONFLICT:
            html = html.replace(f"Waiting to send to {item.vendor}", f"Not sent to {item.vendor}")
    end = html.find("</h2>")
    if end < 0:
        return shown + html
    end += len("</h2>")
    if html.startswith('<div class="sub">', end):
        end = html.index("</div>", end) + len("</div>")
    return html[:end] + shown + html[end:]
