"""What a CSR logs on a lead, customer, policy or thread: a note, or a call, email or text that
happened outside AgencyDesk (the agency's phone, mailbox or messaging app).

A call carries its outcome and length. The outcomes are the six Lofty's API knows
(LogTypeRequest ``callingOutcome``, lofty-api.txt L4589), the one vendor that takes an outcome;
the labels are the words a CSR uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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


@dataclass(frozen=True, slots=True)
class Activity:
    kind: ActivityKind
    text: str
    direction: Direction = Direction.OUTBOUND  # calls, emails and texts: who reached out
    outcome: CallOutcome | None = None  # calls only
    minutes: int | None = None  # calls only: how long it lasted

    def problem(self) -> str:
        """'' when it can be saved, else what to fix (naming the field)."""
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
        if self.minutes is None:
            return text
        length = f"({self.minutes} min call)"
        return f"{text}\n{length}" if text else length
