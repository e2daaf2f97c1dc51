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

# Subjects and the lines they make sense for ({line} is filled from them).
_AUTO_HOME = ("Personal Auto", "Homeowners", "Renters", "Umbrella")
EMAIL_SUBJECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Your {line} renewal", (*_AUTO_HOME, "Flood")),
    ("Quote for {line}", (*_AUTO_HOME, "Flood", "Life")),
    ("Proof of insurance request", ()),
    ("Question about my {line} policy", (*_AUTO_HOME, "Life")),
    ("Claim follow-up", ()),
    ("Adding a driver", ()),
    ("Mortgagee change for {line}", ("Homeowners", "Flood")),
    ("Payment reminder", ()),
    ("Documents you asked for", ()),
    ("Bundle and save", ()),
)
INBOUND_LINES = (
    "Hi, can you send me my proof of insurance?",
    "My renewal premium went up, is there anything we can do?",
    "We just bought a new car and need to add it to the policy.",
    "Can you call me tomorrow morning about the quote?",
    "I got a letter from the carrier about an inspection.",
    "Our mortgage company needs the declarations page.",
    "Thanks for the quote, we'd like to move forward.",
    "Is flood covered under my homeowners policy?",
    "My daughter just got her license, what happens to our rate?",
    "Please cancel the old policy once the new one starts.",
)
OUTBOUND_LINES = (
    "Happy to help, I've attached your ID cards.",
    "I re-shopped your policy with three carriers; details below.",
    "Your renewal is coming up, let's review coverage before it renews.",
    "Got it, I'll get the vehicle added today and send updated cards.",
    "Just checking in: did you have any questions about the quote?",
    "The carrier confirmed the change; you'll see it on your next bill.",
    "I sent the declarations page to your lender this morning.",
    "Flood is a separate policy; I can quote it for you.",
)
SMS_LINES = (
    "Got it, thanks!",
    "Can you call me back?",
    "Just sent the photos of the car",
    "What time works for a quick call?",
    "Payment went through",
    "Reminder: your policy renews next week",
    "Your new ID cards are in your email",
    "Sounds good, see you then",
)
# The second paragraph of a demo email and a task's comments: what an agency writes, never
# placeholder text (issue 12).
FOLLOW_UPS = (
    "Let me know if you have any questions.",
    "The new premium takes effect on the renewal date.",
    "Please send a photo of the odometer when you get a chance.",
    "I can go over the options by phone whenever suits you.",
    "The carrier needs the signed application back by Friday.",
    "Your payment is set up on autopay with the carrier.",
    "I attached the quote comparison for the three carriers.",
    "We can add the new driver as soon as we have the license number.",
    "The claim number is in the carrier's email; keep it handy.",
    "Your ID cards are attached; the carrier mails printed ones too.",
    "The lender asked for the declarations page with the new mortgagee.",
    "Bundling home and auto would save about twelve percent.",
    "The inspection is routine; the carrier will call to schedule it.",
    "I left a voicemail as well.",
    "Prefers a call after 5 pm.",
    "Waiting on the prior carrier's loss runs.",
    "Quote sent; follow up if no answer in two days.",
    "Ask about the umbrella policy at the review.",
    "Check the roof age before re-shopping the homeowners.",
    "Payment is two weeks late; the carrier sent a notice.",
)
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
