"""Fixed reference data: the lead types an insurance lead seller runs, their fields, the client
fields, US states, and the places the shared population lives in (for the zip look-ups)."""

from __future__ import annotations

# Lead types (L4177): uid, Descriptor, TypeUID (industry), Population line names they take.
LEAD_TYPES = (
    (101, "Auto Insurance", 1, ("Personal Auto", "Motorcycle")),
    (102, "Home Insurance", 1, ("Homeowners", "Renters", "Umbrella")),
    (103, "Life Insurance", 2, ("Term Life", "Whole Life")),
    (104, "Health Insurance", 2, ("Medicare Supplement", "Dental")),
    (
        105,
        "Commercial Insurance",
        1,
        ("Commercial Auto", "General Liability", "Workers Compensation"),
    ),
)

# Lead fields every type has: Descriptor, FieldDataType, SpecialBit (L4315-L4336), required.
COMMON_LEAD_FIELDS = (
    ("FirstName", "Varchar", "FirstName", True),
    ("LastName", "Varchar", "LastName", True),
    ("Email", "Varchar", "Email", True),
    ("PrimaryPhone", "Varchar", "PrimaryPhone", True),
    ("Address", "Varchar", "Address", False),
    ("City", "Varchar", "City", False),
    ("State", "Varchar", "State", True),
    ("Zip", "Varchar", "Zip", True),
    ("DateOfBirth", "DateTime", "No_SpecialBit", False),
)
# Per lead type: Descriptor, FieldDataType, enumerations (Descriptor values) or ().
TYPE_LEAD_FIELDS: dict[int, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    101: (
        ("VehicleYear", "Int", ()),
        ("VehicleMake", "Varchar", ()),
        ("CurrentInsurer", "Varchar", ("Progressive", "StateFarm", "Allstate", "GEICO", "None")),
    ),
    102: (("HomeValue", "Money", ()), ("YearBuilt", "Int", ())),
    103: (("CoverageAmount", "Money", ()), ("Smoker", "Bit", ("Yes", "No"))),
    104: (("HouseholdSize", "Int", ()),),
    105: (("BusinessName", "Varchar", ()), ("Employees", "Int", ())),
}
VEHICLE_MAKES = ("Toyota", "Honda", "Ford", "Chevrolet", "Nissan", "Subaru", "Hyundai", "Kia")
CATEGORIES = ("Exclusive", "Shared", "Aged")

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE_PATTERN = r"^\d{10}$"
# Client fields (L553-L650): uid, Descriptor, DataType, SpecialBit, Required, Validation,
# FormatError, isState, enumerations (Descriptors "may not contain spaces", L584).
CLIENT_FIELDS: tuple[tuple[int, str, str, str, bool, str, str, bool, tuple[str, ...]], ...] = (
    (301, "Company", "Varchar", "Company", True, "", "", False, ()),
    (302, "FirstName", "Varchar", "FirstName", False, "", "", False, ()),
    (303, "LastName", "Varchar", "LastName", False, "", "", False, ()),
    (304, "Email", "Varchar", "Email", True, EMAIL_PATTERN, "Email is not valid", False, ()),
    (
        305,
        "PrimaryPhone",
        "Varchar",
        "PrimaryPhone",
        False,
        PHONE_PATTERN,
        "Phone must be 10 digits",
        False,
        (),
    ),
    (306, "Address", "Varchar", "Address", False, "", "", False, ()),
    (307, "City", "Varchar", "City", False, "", "", False, ()),
    (308, "State", "Varchar", "State", False, r"^[A-Z]{2}$", "Use a 2-letter state", True, ()),
    (309, "Zip", "Varchar", "Zip", False, r"^\d{5}$", "Zip must be 5 digits", False, ()),
    (310, "WebSite", "Varchar", "WebSite", False, "", "", False, ()),
    (311, "LicenseNumber", "Varchar", "NoSpecialBit", False, "", "", False, ()),
    (
        312,
        "PreferredContact",
        "Varchar",
        "NoSpecialBit",
        False,
        "",
        "",
        False,
        ("Email", "Phone", "Text"),
    ),
)

US_STATES = (
    ("Alabama", "AL"),
    ("Alaska", "AK"),
    ("Arizona", "AZ"),
    ("Arkansas", "AR"),
    ("California", "CA"),
    ("Colorado", "CO"),
    ("Connecticut", "CT"),
    ("Delaware", "DE"),
    ("District of Columbia", "DC"),
    ("Florida", "FL"),
    ("Georgia", "GA"),
    ("Hawaii", "HI"),
    ("Idaho", "ID"),
    ("Illinois", "IL"),
    ("Indiana", "IN"),
    ("Iowa", "IA"),
    ("Kansas", "KS"),
    ("Kentucky", "KY"),
    ("Louisiana", "LA"),
    ("Maine", "ME"),
    ("Maryland", "MD"),
    ("Massachusetts", "MA"),
    ("Michigan", "MI"),
    ("Minnesota", "MN"),
    ("Mississippi", "MS"),
    ("Missouri", "MO"),
    ("Montana", "MT"),
    ("Nebraska", "NE"),
    ("Nevada", "NV"),
    ("New Hampshire", "NH"),
    ("New Jersey", "NJ"),
    ("New Mexico", "NM"),
    ("New York", "NY"),
    ("North Carolina", "NC"),
    ("North Dakota", "ND"),
    ("Ohio", "OH"),
    ("Oklahoma", "OK"),
    ("Oregon", "OR"),
    ("Pennsylvania", "PA"),
    ("Rhode Island", "RI"),
    ("South Carolina", "SC"),
    ("South Dakota", "SD"),
    ("Tennessee", "TN"),
    ("Texas", "TX"),
    ("Utah", "UT"),
    ("Vermont", "VT"),
    ("Virginia", "VA"),
    ("Washington", "WA"),
    ("West Virginia", "WV"),
    ("Wisconsin", "WI"),
    ("Wyoming", "WY"),
)

# The population's cities (sandbox_kit/people.py): zip prefix, county, county FIPS, time zone,
# latitude, longitude. Each city gets zips prefix+00..99 scattered around its centre.
PLACES = {
    ("Austin", "TX"): ("787", "Travis", "48453", "Central", 30.27, -97.74),
    ("Dallas", "TX"): ("752", "Dallas", "48113", "Central", 32.78, -96.80),
    ("Houston", "TX"): ("770", "Harris", "48201", "Central", 29.76, -95.37),
    ("Chicago", "IL"): ("606", "Cook", "17031", "Central", 41.88, -87.63),
    ("Naperville", "IL"): ("605", "DuPage", "17043", "Central", 41.75, -88.15),
    ("Columbus", "OH"): ("432", "Franklin", "39049", "Eastern", 39.96, -83.00),
    ("Cleveland", "OH"): ("441", "Cuyahoga", "39035", "Eastern", 41.50, -81.69),
    ("Atlanta", "GA"): ("303", "Fulton", "13121", "Eastern", 33.75, -84.39),
    ("Savannah", "GA"): ("314", "Chatham", "13051", "Eastern", 32.08, -81.09),
    ("Phoenix", "AZ"): ("850", "Maricopa", "04013", "Mountain", 33.45, -112.07),
    ("Tucson", "AZ"): ("857", "Pima", "04019", "Mountain", 32.22, -110.97),
    ("Denver", "CO"): ("802", "Denver", "08031", "Mountain", 39.74, -104.99),
    ("Nashville", "TN"): ("372", "Davidson", "47037", "Central", 36.16, -86.78),
    ("Charlotte", "NC"): ("282", "Mecklenburg", "37119", "Eastern", 35.23, -80.84),
    ("Raleigh", "NC"): ("276", "Wake", "37183", "Eastern", 35.78, -78.64),
    ("Tampa", "FL"): ("336", "Hillsborough", "12057", "Eastern", 27.95, -82.46),
    ("Orlando", "FL"): ("328", "Orange", "12095", "Eastern", 28.54, -81.38),
    ("Minneapolis", "MN"): ("554", "Hennepin", "27053", "Central", 44.98, -93.27),
    ("Kansas City", "MO"): ("641", "Jackson", "29095", "Central", 39.10, -94.58),
    ("Omaha", "NE"): ("681", "Douglas", "31055", "Central", 41.26, -95.93),
    ("Indianapolis", "IN"): ("462", "Marion", "18097", "Eastern", 39.77, -86.16),
    ("Richmond", "VA"): ("232", "Richmond City", "51760", "Eastern", 37.54, -77.44),
    ("Pittsburgh", "PA"): ("152", "Allegheny", "42003", "Eastern", 40.44, -79.99),
    ("Madison", "WI"): ("537", "Dane", "55025", "Central", 43.07, -89.40),
}

AGENCY_WORDS = ("Insurance Agency", "Insurance Group", "Insurance Partners", "Agency", "Brokers")
SOURCE_NAMES = (
    "QuoteWizard Partners",
    "SmartFinancial Media",
    "InsureLeads Direct",
    "MediaAlpha Exchange",
    "Summit Web Forms",
    "CoverageCompare",
    "PolicyScout",
    "RateHunters",
)
BROWSERS = (("Chrome", "Windows"), ("Safari", "iOS"), ("Chrome", "Android"), ("Edge", "Windows"))
SEARCH_TERMS = ("cheap car insurance", "home insurance quote", "term life rates", "")
