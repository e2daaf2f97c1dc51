"""Header names people and vendors actually use, per field of each tab.

Headers are compared after ``normalise_header`` (lower-case letters and digits only, '#' read as
'number'), so "First Name", "first_name", "FirstName" and "Firstname" are one entry. Earlier
entries win when two columns could fill the same field. Vendor column names cite the digests in
/work/shared/vendor-notes/.
"""

from __future__ import annotations

import re

from agencydesk.domain import RecordKind

FULL_NAME_FIELD = "full_name"  # fields.FULL_NAME (fields imports nothing from here)

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_header(header: str) -> str:
    text = header.strip().lstrip("\ufeff").lower().replace("#", "number")
    return _NOT_ALNUM.sub("", text)


# AgencyZoom lead/customer fields: firstname, lastname, email, phone, streetAddress, city, state,
# zip, xDate, premium, quoted, leadSourceName, workflowName, workflowStageName, tagNames, birthday,
# asCustomerDate, businessName (agencyzoom.md L311-L377). Lofty: firstName, lastName, emails,
# phones, streetAddress, zipCode, birthday, tags (lofty.md L313). LeadExec client fields FirstName,
# LastName, Email, PrimaryPhone, Address, PostalCode, Company (leadexec.md L246, L302). ConeCRM
# contact firstName, lastName, companyName, postalCode, province (conecrm.md L238, L21).
_PERSON: dict[str, tuple[str, ...]] = {
    "first_name": ("first name", "firstname", "first", "given name", "fname", "forename",
                   "contact first name", "contactfirstname"),
    "last_name": ("last name", "lastname", "last", "surname", "family name", "lname",
                  "contact last name", "contactlastname"),
    "business_name": ("business name", "businessname", "company", "company name", "companyname",
                      "business", "organization", "organisation", "dba", "account name"),
    FULL_NAME_FIELD: ("full name", "name", "fullname", "contact name", "contactname",
                      "customer name", "client name", "lead name", "insured name", "insured",
                      "named insured", "prospect"),
    "email": ("email", "email address", "e-mail", "emailaddress", "emails", "mail",
              "primary email", "e-mail address", "email 1"),
    "phone": ("phone", "phone number", "cell", "cell phone", "mobile", "mobile phone",
              "primaryphone", "primary phone", "phones", "phonenumber", "telephone", "tel",
              "home phone", "work phone", "phone 1", "contact phone"),
    "street": ("street", "street address", "streetaddress", "address", "address 1",
               "address line 1", "address1", "mailing address"),
    "city": ("city", "town"),
    "state": ("state", "st", "province", "region", "state province"),
    "zip_code": ("zip", "zip code", "zipcode", "postal code", "postalcode", "postcode", "zip5"),
    "producer": ("producer", "agent", "agent name", "agentname", "assigned to", "assignedto",
                 "assigned agent", "owner", "salesperson", "sales rep", "servicing agent",
                 "assignedUser"),
    "tags": ("tags", "tag", "tagnames", "tag names", "labels"),
}  # fmt: skip

SYNONYMS: dict[RecordKind, dict[str, tuple[str, ...]]] = {
    RecordKind.LEAD: {
        **_PERSON,
        "status": ("status", "lead status"),
        "pipeline": ("pipeline", "workflow", "workflowname", "workflow name"),
        "stage": ("stage", "workflowstagename", "pipeline stage", "lead stage", "stage name"),
        "source": ("lead source", "source", "leadsourcename", "lead source name", "referral source",
                   "leadsource", "vendor", "campaign"),
        "x_date": ("x-date", "xdate", "x date", "exp date", "expiration date", "expiration",
                   "current expiration", "renewal date", "policy expiration",
                   "nextexpirationdate", "next expiration date"),
        "quoted_premium_cents": ("quoted premium", "premium", "premium ($)", "quoted", "quote",
                                 "quote amount", "quoteamount", "totalquotepremium",
                                 "current premium"),
    },
    RecordKind.CUSTOMER: {
        **_PERSON,
        "birth_date": ("date of birth", "dob", "birthday", "birth date", "birthdate"),
        "household": ("household", "household id", "household name", "family"),
        "customer_since": ("customer since", "client since", "since", "ascustomerdate",
                           "as customer date", "customer date"),
    },
    # AgencyZoom policy: insuredName, policyNumber, policyTypeName, premium, effectiveDate,
    # expiryDate (agencyzoom.md L396-L414). AgencyBloc: policyNumber/PolicyNumber,
    # carrier/CarrierName, policyCoverageType/CoverageTypeDescript, policyStatus/StatusDescript,
    # effectiveDate, renewalDate, Premium, HolderName, AgentName (agencybloc.md L104-L186).
    RecordKind.POLICY: {
        "policy_number": ("policy number", "policynumber", "policy no", "policy num",
                          "pol number", "pol no", "policy", "policy id number"),
        "insured_name": ("insured name", "insuredname", "insured", "named insured", "holdername",
                         "holder name", "name"),
        # Our export's Customer column: the customer the policy is linked to (links.py).
        "related_name": ("customer", "client", "customer name", "client name", "account",
                         "account name"),
        "carrier": ("carrier", "carriername", "carrier name", "insurance company", "company",
                    "writing company", "insurer"),
        "line_of_business": ("line of business", "lob", "line", "policy type", "policytype",
                             "policytypename", "policycoveragetype", "coveragetypedescript",
                             "coverage type", "coverage", "product", "product line"),
        "premium_cents": ("premium", "premium ($)", "annual premium", "written premium",
                          "total premium", "premium amount"),
        "effective_date": ("effective date", "effectivedate", "effective", "eff date",
                           "eff", "start date", "inception date", "inception"),
        "expiration_date": ("expiration date", "expiration", "exp date", "expirydate",
                            "expiry date", "expiry", "x-date", "xdate", "renewal date",
                            "renewaldate", "end date", "termdate", "term date"),
        "status": ("status", "policy status", "policystatus", "statusdescript"),
        "producer": ("producer", "agent", "agent name", "agentname", "servicing agent",
                     "assigned to", "owner"),
    },
    # AgencyZoom task: title, dueDatetime, comments, status 0/1 (agencyzoom.md L289-L291).
    # Lofty TaskRequest: type, content, deadline (lofty.md L352).
    RecordKind.TASK: {
        "title": ("title", "task", "subject", "task name", "name", "content"),
        "task_kind": ("type", "task type", "kind", "tasktype", "activity type"),
        "status": ("status", "task status", "state"),
        "due_date": ("due date", "due", "duedate", "deadline", "due by", "duedatetime",
                     "due datetime"),
        "due_time": ("due time", "time", "duetime"),
        "assignee": ("assignee", "assigned to", "assignedto", "owner", "assigned user",
                     "assigneduser", "producer", "agent"),
        "comments": ("comments", "notes", "note", "details", "description", "body"),
        # Our export's Customer column (the tab shows it as "For"): a customer's or lead's name.
        "related_name": ("customer", "for", "customer lead", "customer or lead", "client",
                         "lead", "contact", "related to", "regarding"),
    },
}  # fmt: skip


def header_lookup(kind: RecordKind) -> dict[str, tuple[int, str]]:
    """normalised header -> (rank, field); the lowest rank wins a field contested by columns."""
    lookup: dict[str, tuple[int, str]] = {}
    for name, words in SYNONYMS.get(kind, {}).items():
        for rank, word in enumerate(words):
            key = normalise_header(word)
            if key not in lookup or rank < lookup[key][0]:
                lookup[key] = (rank, name)
    return lookup


def known_headers() -> set[str]:
    return {key for kind in SYNONYMS for key in header_lookup(kind)}
