"""What a US independent agency's book looks like: carriers, lines, terms, premiums, pipeline
stages, lead sources and the words producers write. Plain data, used by the demo generator."""

from __future__ import annotations

from dataclasses import dataclass

from agencydesk.domain import LeadStatus


@dataclass(frozen=True, slots=True)
class Line:
    name: str
    prefix: str  # policy number prefix
    term_months: tuple[int, ...]  # the terms carriers write it on
    premium_dollars: tuple[int, int]  # typical annual range
    carriers: tuple[str, ...]
    commercial: bool = False


PERSONAL_LINES = (
    Line(
        "Personal Auto",
        "PA",
        (6, 12),
        (900, 3200),
        (
            "Progressive",
            "State Farm",
            "Allstate",
            "Safeco",
            "Travelers",
            "Nationwide",
            "Liberty Mutual",
            "Erie",
        ),
    ),
    Line(
        "Homeowners",
        "HO",
        (12,),
        (1100, 4800),
        (
            "State Farm",
            "Travelers",
            "Safeco",
            "Allstate",
            "Chubb",
            "Nationwide",
            "Erie",
            "Liberty Mutual",
        ),
    ),
    Line(
        "Renters",
        "RN",
        (12,),
        (120, 350),
        ("Progressive", "State Farm", "Allstate", "Safeco", "Liberty Mutual"),
    ),
    Line(
        "Umbrella", "UM", (12,), (250, 900), ("Travelers", "Chubb", "Safeco", "Erie", "Nationwide")
    ),
    Line("Life", "LF", (12,), (300, 2400), ("State Farm", "Nationwide", "Erie", "Allstate")),
    Line("Flood", "FL", (12,), (450, 2200), ("Travelers", "Allstate", "Chubb")),
)

COMMERCIAL_LINES = (
    Line(
        "Commercial Auto",
        "CA",
        (12,),
        (3500, 18000),
        ("Progressive", "Travelers", "The Hartford", "Nationwide", "Liberty Mutual"),
        commercial=True,
    ),
    Line(
        "BOP",
        "BOP",
        (12,),
        (900, 6500),
        ("The Hartford", "Travelers", "Chubb", "Nationwide", "Erie"),
        commercial=True,
    ),
    Line(
        "Workers Comp",
        "WC",
        (12,),
        (1500, 22000),
        ("The Hartford", "Travelers", "Liberty Mutual", "Chubb"),
        commercial=True,
    ),
    Line(
        "General Liability",
        "GL",
        (12,),
        (600, 7500),
        ("The Hartford", "Travelers", "Nationwide", "Erie", "Chubb"),
        commercial=True,
    ),
)

PRODUCERS = ("Maria Alvarez", "James Carter", "Priya Shah", "Tom Becker", "Keisha Morgan")

PIPELINE = "New Business"
# stage -> (normalised status, share of leads in it)
STAGES: tuple[tuple[str, LeadStatus, int], ...] = (
    ("New", LeadStatus.NEW, 24),
    ("Contacted", LeadStatus.CONTACTED, 22),
    ("Quoted", LeadStatus.QUOTED, 18),
    ("Negotiating", LeadStatus.QUOTED, 8),
    ("Won", LeadStatus.WON, 12),
    ("Lost", LeadStatus.LOST, 16),
)
LEAD_SOURCES: tuple[tuple[str, int], ...] = (
    ("Web", 26),
    ("Referral", 20),
    ("Zillow", 8),
    ("EverQuote", 12),
    ("Google Ads", 10),
    ("Facebook", 7),
    ("Call-in", 9),
    ("Walk-in", 4),
    ("Realtor Partner", 4),
)
LEAD_TAGS = ("auto", "home", "bundle", "commercial", "hot", "spanish", "renewal-shopper")

AREA_CODES = ("512", "737", "210", "214", "469", "713", "281", "817", "303", "720", "602", "480")
EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com")

TASK_LINES = ("Personal Auto", "Homeowners", "Renters", "Umbrella", "Flood")
TASK_TEMPLATES = (
    ("call", "Call {name} about {line} renewal"),
    ("email", "Send {line} quote to {name}"),
    ("todo", "Request loss runs for {name}"),
    ("call", "Follow up with {name} on quote"),
    ("meeting", "Annual review with {name}"),
    ("todo", "Update mortgagee for {name}"),
    ("email", "Email ID cards to {name}"),
    ("todo", "Re-shop {line} for {name}"),
    ("call", "Welcome call: {name}"),
)
# Tasks about no one in particular.
AGENCY_TASKS = (
    ("meeting", "Weekly sales meeting"),
    ("todo", "Review renewal report"),
    ("call", "Call back new web leads"),
    ("todo", "Reconcile carrier commission statement"),
    ("email", "Send monthly newsletter"),
)
TASK_COMMENTS = (
    "Renewal is up 12%; re-shop with two carriers first.",
    "Needs the VIN before we can add the car.",
    "Lender asked for the declarations page by Friday.",
    "Waiting on the signed application.",
    "Left a voicemail; try again after 5 PM.",
    "Bring the umbrella quote to the review.",
)
NOTE_LINES = (
    "Prefers text over phone calls.",
    "Spouse handles the auto policies.",
    "Asked about bundling home and auto.",
    "Has a teen driver starting next year.",
    "Not happy with the last rate increase.",
    "Referred by a current client.",
    "Wants to review umbrella limits at renewal.",
    "Business expanding: may need a second location on the BOP.",
    "Spanish speaker; call in the evening.",
    "Left voicemail, will try again Friday.",
)
