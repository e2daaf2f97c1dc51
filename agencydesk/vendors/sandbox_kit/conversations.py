"""What an agency's emails and texts say, for the demo book and the sandboxes' seeds: quotes,
renewals, claims, payments, ID cards, vehicle and mortgagee changes. Each conversation is a
script that reads in order (the customer asks, the agent answers), so a thread's messages belong
together and its subject fits them; emails carry a greeting and a signature, texts do not.

Times are the caller's: ``spaced_times`` lays a conversation out backwards from its last
message, so none is ever later than the "now" it is given.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

CARRIERS = ("Progressive", "Travelers", "Safeco", "Nationwide", "Hartford", "Allstate")
VEHICLES = ("2022 Honda CR-V", "2019 Toyota Camry", "2023 Ford F-150", "2021 Subaru Outback")
LENDERS = ("Wells Fargo", "Chase", "Navy Federal", "USAA", "Rocket Mortgage")


@dataclass(frozen=True, slots=True)
class Script:
    """One conversation: its subject and, in order, who speaks ("in": the customer) and what
    they say, as an email (``email``) and as a text (``text``)."""

    subject: str
    lines: tuple[tuple[bool, str, str], ...]  # (inbound, email text, text message)


SCRIPTS: tuple[Script, ...] = (
    Script(
        "Your {line} renewal",
        (
            (
                False,
                "Your {line} policy renews on {date}. The renewal premium is {amount} a year, "
                "a little higher than last year. I can re-shop it with two other carriers "
                "before then if you'd like.",
                "Hi {first}, it's {agent} at the agency. Your {line} policy renews {date} at "
                "{amount}/yr. Want me to re-shop it?",
            ),
            (
                True,
                "Yes please, shop it. We'd like to keep the same coverage and deductible.",
                "Yes please! Same coverage.",
            ),
            (
                False,
                "Will do. I'll send you the options by Friday so you have time to decide.",
                "Will do, I'll text you the options by Friday.",
            ),
            (
                True,
                "Thanks, we'll go with whichever saves the most.",
                "Thanks!",
            ),
        ),
    ),
    Script(
        "Quote for {line}",
        (
            (
                True,
                "Could you quote {line} for us? Our current policy ends next month and the "
                "price keeps going up.",
                "Hi, can you quote {line} for us? Current policy ends next month.",
            ),
            (
                False,
                "Thanks for reaching out. Your {line} quote with {carrier} is {amount} a year "
                "with a $1,000 deductible. Happy to walk through it on a call.",
                "Your {line} quote with {carrier}: {amount}/yr, $1,000 deductible. Call anytime "
                "to go over it.",
            ),
            (
                True,
                "That looks good. What do you need from us to start it?",
                "Looks good, what do you need from us?",
            ),
            (
                False,
                "Just a signature on the application: I've sent it to you for e-signature.",
                "Just a signature, e-sign link is in your email.",
            ),
        ),
    ),
    Script(
        "Claim follow-up",
        (
            (
                True,
                "Someone backed into my car in a parking lot yesterday. What should I do?",
                "Someone backed into my car yesterday, what do I do?",
            ),
            (
                False,
                "Sorry to hear it. I've opened claim {claim} with {carrier}; an adjuster will "
                "call you within two business days. Photos of the damage help: reply with them.",
                "Sorry! Claim {claim} is open with {carrier}, adjuster calls in 1-2 days. Send "
                "photos of the damage here.",
            ),
            (
                True,
                "Photos attached. Thanks for the quick help.",
                "Sent the photos",
            ),
            (
                False,
                "Got them and forwarded them to the adjuster.",
                "Got them, forwarded to the adjuster.",
            ),
        ),
    ),
    Script(
        "Payment reminder",
        (
            (
                False,
                "{carrier} let us know the {line} payment of {amount} due {date} has not come "
                "through yet. You can pay online or by phone with them to avoid a lapse.",
                "Reminder: your {line} payment of {amount} is due {date}. Pay online with "
                "{carrier} to avoid a lapse.",
            ),
            (
                True,
                "Oops, thanks for the heads up. I just paid it.",
                "Payment went through",
            ),
            (
                False,
                "Perfect, thank you! You're all set.",
                "Perfect, you're all set!",
            ),
        ),
    ),
    Script(
        "Proof of insurance request",
        (
            (
                True,
                "Can you send me my proof of insurance? The dealership needs it today.",
                "Can you send my insurance card? Dealership needs it today.",
            ),
            (
                False,
                "Your ID cards are attached. Let me know if the dealership needs anything else.",
                "Your new ID cards are in your email.",
            ),
            (True, "Got it, thanks!", "Got it, thanks!"),
        ),
    ),
    Script(
        "Adding a vehicle",
        (
            (
                True,
                "We just bought a {vehicle} and need to add it to the policy.",
                "Just bought a {vehicle}, need to add it.",
            ),
            (
                False,
                "Congratulations! Send me the VIN and the lender's name and I'll add it today.",
                "Congrats! Text me the VIN and lender and I'll add it today.",
            ),
            (
                True,
                "The VIN is on the bill of sale, attached. It's financed through {lender}.",
                "Just sent the photo of the VIN. Financed with {lender}.",
            ),
            (
                False,
                "Done: it's on the policy as of today and the new premium is {amount} a year. "
                "New ID cards are attached.",
                "Done, it's on the policy. New premium {amount}/yr.",
            ),
        ),
    ),
    Script(
        "Mortgagee change for Homeowners",
        (
            (
                True,
                "We refinanced with {lender}; the new lender needs to be on the homeowners policy.",
                "We refinanced with {lender}, need to update the homeowners policy.",
            ),
            (
                False,
                "Please send me the new mortgagee clause and loan number and I'll update it "
                "with {carrier}.",
                "Send me the mortgagee clause and loan number and I'll update it.",
            ),
            (
                True,
                "Clause and loan number attached.",
                "Just emailed them to you",
            ),
            (
                False,
                "Updated, and the new declarations page has gone to {lender}.",
                "Updated! Dec page sent to {lender}.",
            ),
        ),
    ),
    Script(
        "Can you call me?",
        (
            (
                True,
                "Can you call me tomorrow morning about adding my teenage son to the auto policy?",
                "Can you call me back? Question about adding my son to the auto policy",
            ),
            (
                False,
                "Of course. I'll call you at 9:30; if that doesn't work, reply with a better time.",
                "Sure, I'll call at 9:30 tomorrow. What time works if not?",
            ),
            (True, "9:30 works. Talk then.", "Sounds good, see you then"),
        ),
    ),
)


def fill(text: str, rng: random.Random, names: dict[str, str], line: str) -> str:
    values = {
        "line": line,
        "carrier": rng.choice(CARRIERS),
        "vehicle": rng.choice(VEHICLES),
        "lender": rng.choice(LENDERS),
        "amount": f"${rng.randint(48, 320) * 10:,}",
        "date": f"the {rng.choice(('1st', '5th', '12th', '15th', '20th', '28th'))}",
        "claim": f"{rng.randint(10, 99)}-{rng.randint(100000, 999999)}",
        **names,
    }
    return text.format(**values)


def conversation(
    rng: random.Random,
    *,
    customer: str,
    agent: str,
    line: str,
    text: bool,
    most: int = 4,
) -> tuple[str, list[tuple[bool, str]]]:
    """A subject ('' for a text) and up to ``most`` messages (inbound, body), in order."""
    script = rng.choice(SCRIPTS)
    names = {"first": customer, "agent": agent}
    picked = {k: fill(f"{{{k}}}", rng, names, line) for k in ("carrier", "amount", "lender")}
    names.update(picked)  # one carrier, amount, lender for the whole conversation
    messages: list[tuple[bool, str]] = []
    for inbound, email_text, text_text in script.lines[: max(1, most)]:
        body = fill(text_text if text else email_text, rng, names, line)
        if not text:
            hello, sign = (agent, customer) if inbound else (customer, agent)
            body = f"Hi {hello},\n\n{body}\n\nThanks,\n{sign}"
        messages.append((inbound, body))
    subject = "" if text else fill(script.subject, rng, names, line)
    return subject, messages


def spaced_times(rng: random.Random, last: datetime, count: int) -> list[datetime]:
    """``count`` times, oldest first, ending at ``last``: replies come hours to a day apart."""
    times = [last]
    for _ in range(count - 1):
        times.append(times[-1] - timedelta(minutes=rng.randint(20, 26 * 60)))
    return sorted(times)
