"""Small HTML builders for the detail pane (a QTextBrowser): field tables and related lists.

Links use the ``agencydesk://KIND/ID`` scheme; the window turns a click into a jump to that record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from datetime import date
from html import escape

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtGui import QTextFormat as Fmt
from PySide6.QtWidgets import QTextBrowser

from agencydesk.domain import Record, RecordKind
from agencydesk.domain.formats import format_date
from agencydesk.domain.validation import format_money, format_phone

LINK_SCHEME = "agencydesk"


def _mix(a: QColor, b: QColor, share_of_b: float) -> str:
    """``a`` moved ``share_of_b`` of the way towards ``b``, as #rrggbb."""
    ours, theirs = (a.red(), a.green(), a.blue()), (b.red(), b.green(), b.blue())
    mixed = [round(x + (y - x) * share_of_b) for x, y in zip(ours, theirs, strict=True)]
    return QColor(*mixed).name()


@dataclass(frozen=True)
class DetailColours:
    """The pane's colours, all from a palette, so dark themes get light text and light links.

    Greys are the text colour moved towards the background (a platform's PlaceholderText is often
    half-transparent text, which rich text cannot draw), about 5:1 contrast in either theme.
    """

    link: str
    heading: str  # h3: a muted text tinted with the link colour
    muted: str  # labels, subtitles, message meta
    faint: str  # "none" placeholders
    message: str  # a message's background
    outgoing: str  # an outgoing message's background, tinted with the link colour

    @classmethod
    def of(cls, palette: QPalette) -> DetailColours:
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        link = palette.color(QPalette.ColorRole.Link)
        muted = _mix(text, base, 0.4)
        return cls(
            link=link.name(),
            heading=_mix(QColor(muted), link, 0.35),
            muted=muted,
            faint=_mix(text, base, 0.55),
            message=palette.color(QPalette.ColorRole.AlternateBase).name(),
            outgoing=_mix(base, link, 0.12),
        )


def recolour(browser: QTextBrowser, old: DetailColours, new: DetailColours) -> None:
    """Swap ``old`` colours for ``new`` ones in the shown document, keeping text and scroll."""
    swap = {QColor(a).rgb(): QColor(b) for a, b in zip(astuple(old), astuple(new), strict=True)}
    document = browser.document()
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    block = document.begin()
    while block.isValid():
        block_format = block.blockFormat()
        background = block_format.background().color().rgb()
        if block_format.hasProperty(Fmt.Property.BackgroundBrush) and background in swap:
            block_format.setBackground(swap[background])
            QTextCursor(block).setBlockFormat(block_format)
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            change = QTextCharFormat()
            for prop, setter in (
                (Fmt.Property.ForegroundBrush, change.setForeground),
                (Fmt.Property.BackgroundBrush, change.setBackground),
            ):
                brush = fragment.charFormat().brushProperty(prop)
                if fragment.charFormat().hasProperty(prop) and brush.color().rgb() in swap:
                    setter(swap[brush.color().rgb()])
            if change.propertyCount():
                cursor.setPosition(fragment.position())
                cursor.setPosition(
                    fragment.position() + fragment.length(), cursor.MoveMode.KeepAnchor
                )
                cursor.mergeCharFormat(change)
            fragments += 1
        block = block.next()
    cursor.endEditBlock()


class _PaletteFollower(QObject):
    """Recolours a browser's detail HTML when the application palette changes (theme switch)."""

    def __init__(self, browser: QTextBrowser) -> None:
        super().__init__(browser)
        self._browser = browser
        self._colours = DetailColours.of(QGuiApplication.palette())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            colours = DetailColours.of(QGuiApplication.palette())
            if colours != self._colours:
                recolour(self._browser, self._colours, colours)
                self._colours = colours
        return False


def follow_palette(browser: QTextBrowser) -> None:
    """Keep the detail HTML shown in ``browser`` in the palette's colours across theme changes.

    HTML set later is built in the then-current colours by ``style()``; what is already shown is
    recoloured in place (a read-only pane: no undo history to spoil).
    """
    browser.installEventFilter(_PaletteFollower(browser))


def style(palette: QPalette | None = None) -> str:
    """The pane's stylesheet in the colours of ``palette`` (the application's by default).

    Qt's rich text fixes colours when the HTML is parsed, so they are taken from the palette
    here, at build time, and ``follow_palette`` swaps them in place when the theme changes.
    """
    c = DetailColours.of(palette or QGuiApplication.palette())
    return f"""
<style>
 h2 {{ margin: 0 0 2px 0; font-size: 15pt; }}
 h3 {{ margin: 12px 0 4px 0; font-size: 10.5pt; color: {c.heading}; }}
 .sub {{ color: {c.muted}; margin-bottom: 6px; }}
 td.k {{ color: {c.muted}; padding-right: 12px; white-space: nowrap; }}
 td {{ padding: 1px 4px 1px 0; vertical-align: top; }}
 .none {{ color: {c.faint}; font-style: italic; }}
 .msg {{ margin: 6px 0; padding: 6px 8px; background: {c.message}; }}
 .out {{ background: {c.outgoing}; }}
 .meta {{ color: {c.muted}; font-size: 8.5pt; }}
 a {{ color: {c.link}; text-decoration: none; }}
</style>
"""


def text(value: object) -> str:
    """A field value as the user reads it: dates US style, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, date):  # datetimes too: date and time, local (domain/formats.py)
        return format_date(value)
    if isinstance(value, tuple):
        return ", ".join(str(part) for part in value)
    return str(value)


def address(street: str, city: str, state: str, zip_code: str) -> str:
    """ "7058 Hines Throughway, Dallas, TX 75265": a US address as it is written on an
    envelope (no comma between the state and the ZIP code)."""
    region = " ".join(part for part in (state, zip_code) if part)
    return ", ".join(part for part in (street, city, region) if part)


def money(cents: int | None) -> str:
    return format_money(cents)


def phone(e164: str) -> str:
    return format_phone(e164)


def link(kind: RecordKind, record_id: int | None, label: str) -> str:
    if record_id is None:
        return escape(label)
    return f'<a href="{LINK_SCHEME}://{kind.value}/{record_id}">{escape(label or "(no name)")}</a>'


def heading(title: str, subtitle: str = "") -> str:
    """``subtitle``'s empty parts are dropped: "Customer · " with no producer is "Customer"."""
    subtitle = " · ".join(part for part in subtitle.split(" · ") if part.strip())
    sub = f'<div class="sub">{escape(subtitle)}</div>' if subtitle else ""
    return f"{style()}<h2>{escape(title or '(no name)')}</h2>{sub}"


def fields(pairs: Iterable[tuple[str, str]]) -> str:
    """A two-column table of label/value; empty values are left out. Values are escaped."""
    rows = "".join(
        f'<tr><td class="k">{escape(label)}</td><td>{escape(value)}</td></tr>'
        for label, value in pairs
        if value
    )
    return f"<table>{rows}</table>" if rows else ""


def section(title: str, rows: Sequence[str], empty: str = "none") -> str:
    """A titled list of already-escaped HTML lines."""
    body = "<br>".join(rows) if rows else f'<span class="none">{escape(empty)}</span>'
    count = f" ({len(rows):,})" if rows else ""
    return f"<h3>{escape(title)}{count}</h3><div>{body}</div>"


def provenance(record: Record) -> str:
    """ "Saved on this device only", or the account and "Synced with AgencyZoom" / "Waiting to
    send to AgencyZoom" / a conflict to resolve."""
    from agencydesk.ui.sync.record_state import sync_state_text

    if record.provenance.is_local:
        return sync_state_text(record)
    return f"{record.provenance.account} · {sync_state_text(record)}"
