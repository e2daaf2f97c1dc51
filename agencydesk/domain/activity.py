"""What a CSR logs on a lead, customer, policy or thread: a note, or a call, email or text that
happened outside AgencyDesk (the agency's phone, mailbox or messaging app).

A call carries its outcome and length. The outcomes are the six Lofty's API knows
(LogTypeRequest ``callingOutcome``, lofty-api.txt L4589), the one vendor that takes an outcome;
the labels are the words a CSR uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from agencydesk.domain.formats import format_moment
from agencydesk.domain.values import Channel, Direction


class ActivityKind(StrEnum):
    NOTE = "note"
    CALL = "call"
    EMAIL = "email"
    TEXT = "text"


class CallOutcome(StrEnum):
    TALKED = "Talked"
    VOICEMAIL = "VoiceMessage"
    NO_ANSWER = "NoAnswer"
    BAD_NUMBER = "BadNumber"
    DNC_NUMBER = "DNCNumber"
    DNC_CONTACT = "DNCContact"


OUTCOME_LABELS: dict[CallOutcome, str] = {
    CallOutcome.TALKED: "Talked",
    CallOutcome.VOICEMAIL: "Left a voicemail",
    CallOutcome.NO_ANSWER: "No answer",
    CallOutcome.BAD_NUMBER: "Wrong or bad number",
    CallOutcome.DNC_NUMBER: "Number is on the do-not-call list",
    CallOutcome.DNC_CONTACT: "Asked not to be called",
}

KIND_LABELS: dict[ActivityKind, str] = {
    ActivityKind.NOTE: "Note",
    ActivityKind.CALL: "Call",
    ActivityKind.EMAIL: "Email",
    ActivityKind.TEXT: "Text",
}

#: The thread channel a logged call, email or text belongs to.
CHANNELS: dict[ActivityKind, Channel] = {
    ActivityKind.CALL: Channel.CALL,
    ActivityKind.EMAIL: Channel.EMAIL,
    ActivityKind.TEXT: Channel.SMS,
}

MAX_MINUTES = 24 * 60  # a call longer than a day is a typo
# A "when it happened" this far past the clock is still now: the dialog's default was read a
# moment before Save, and computers' clocks differ by a little.
FUTURE_SLACK = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class Activity:
    kind: ActivityKind
    text: str
    direction: Direction = Direction.OUTBOUND  # calls, emails and texts: who reached out
    outcome: CallOutcome | None = None  # calls only
    minutes: int | None = None  # calls only: how long it lasted
    # Calls, emails and texts logged after the fact: when it happened (aware, UTC); None: now.
    # No vendor's API takes a time with a note or a logged call (AgencyZoom {note}, Lofty
    # NoteRequest and LogTypeRequest: vendor-notes agencyzoom.md §5.5, lofty.md §4.6), so the
    # time is kept here (the entry's own time) and written into the text the vendor gets.
    occurred_at: datetime | None = None

    def problem(self, now: datetime | None = None) -> str:
        """'' when it can be saved, else what to fix (naming the field)."""
        current = now or datetime.now(UTC)
        if self.occurred_at is not None and self.occurred_at > current + FUTURE_SLACK:
            return "When: that is still to come. Log it once it has happened (now at the latest)."
        if self.kind is ActivityKind.NOTE and not self.text.strip():
            return "Write the note first."
        if self.kind is ActivityKind.CALL:
            if self.outcome is None:
                return "Choose how the call went (Outcome)."
            if self.minutes is not None and not 0 <= self.minutes <= MAX_MINUTES:
                return f"Duration must be between 0 and {MAX_MINUTES} minutes."
        elif not self.text.strip():
            return f"Write what the {self.kind.value} said."
        return ""

    def headline(self) -> str:
        """One line that says what happened: "Outbound call · Talked · 12 min"."""
        if self.kind is ActivityKind.NOTE:
            return "Note"
        parts = [f"{self.direction.value.capitalize()} {self.kind.value}"]
        if self.outcome is not None:
            parts.append(OUTCOME_LABELS[self.outcome])
        if self.minutes is not None:
            parts.append(f"{self.minutes} min")
        if self.occurred_at is not None:
            parts.append(format_moment(self.occurred_at))
        return " · ".join(parts)

    def as_note(self) -> str:
        """The whole activity as the text of a note, for a vendor that keeps only notes: the
        headline first (a call's outcome and length would be lost otherwise), then the text."""
        text = self.text.strip()
        if self.kind is ActivityKind.NOTE:
            return text
        return f"{self.headline()}\n{text}" if text else self.headline()

    def as_log(self) -> str:
        """The text of a logged call, email or text, for a vendor that keeps those apart (its
        direction and outcome travel in fields of their own; a length has none)."""
        text = self.text.strip()
        about = []
        if self.minutes is not None:
            about.append(f"{self.minutes} min call")
        if self.occurred_at is not None:  # LogTypeRequest has no time of its own (L4585)
            about.append(f"on {format_moment(self.occurred_at)}")
        if not about:
            return text
        trailer = f"({', '.join(about)})"
        return f"{text}\n{trailer}" if text else trailer
