"""Every documented writable field of the seeded leads, customers and tasks, with realistic
values, including those no read endpoint returns (``streetAddressLine2``, ``dba``,
``otherCsrs``, ``assignmentGroupId``, ``contactName``, a task's ``type`` and ``invitees``…): a
write that erases one of them must show in the sandbox's stored record (issue 15).

Its own random stream, so the rest of the seeded book stays as it was."""

from __future__ import annotations

import random
from datetime import timedelta

from agencydesk.vendors.agencyzoom.sandbox.state import AgencyZoomState

_UNITS = ("Apt 4B", "Suite 210", "Unit 12", "Apt 3", "Floor 2", "#105")
_NICKNAMES = ("Sam", "Liz", "Bob", "Kate", "Jim", "Ally", "Chris", "Pat")
_MIDDLE = ("A.", "J.", "Marie", "Lee", "R.", "Ann", "T.")
_ENTITIES = ("LLC", "S-Corp", "C-Corp", "Partnership", "Sole Proprietor")
_TIMES = ("Morning", "Afternoon", "Evening")
_REFERRERS = ("Dana Whitfield", "Church bulletin", "Neighbor", "Google ad")


def fill_writable_fields(st: AgencyZoomState, rng: random.Random) -> None:
    employees = sorted(st.employees)
    csrs = sorted(e.id for e in st.employees.values() if e.is_csr) or employees
    groups = [g.id for g in st.lookups.assign_groups]
    classes = st.lookups.classifications
    for lead in st.leads.values():
        d = lead.data
        first = (d.firstname or "x").lower()
        d.middlename = rng.choice(_MIDDLE)
        d.nickname = rng.choice(_NICKNAMES)
        d.secondaryEmail = f"{first}.{lead.id}@homemail.example"
        d.secondaryPhone = f"+1555{rng.randint(1000000, 9999999)}"
        d.notes = "Prefers text messages; spouse handles the home policy."
        d.contactDate = lead.created.strftime("%Y-%m-%d")
        d.assignmentGroupId = groups[1 if lead.lead_type == "commercial" else 0] if groups else None
        d.csrId = rng.choice(csrs)
        d.streetAddressLine2 = rng.choice(_UNITS)
        d.departmentCode = "SALES"
        d.groupCode = "CL" if lead.lead_type == "commercial" else "PL"
        d.customFields = [
            {"fieldName": "cf1", "fieldValue": rng.choice(_TIMES)},
            {"fieldName": "cf2", "fieldValue": rng.choice(_REFERRERS)},
        ]
        d.maritalStatus = rng.choice((1, 2))
        renewal = lead.created + timedelta(days=rng.randint(30, 330))
        d.xDate = d.xDate or renewal.strftime("%Y-%m-%d")
        d.nextExpirationDate = renewal.strftime("%m/%d/%y")
        d.otherProducers = [p for p in rng.sample(employees, 1) if p != d.assignTo]
        d.otherCsrs = [c for c in rng.sample(csrs, 1) if c != d.csrId] or [csrs[0]]
        if d.tagNames is None and rng.random() < 0.5:  # many leads carry no tag at all
            d.tagNames = rng.choice(("referral", "renewal;bundle", "spanish speaker"))
        if lead.lead_type == "commercial":
            i, _code, label = rng.choice(classes)
            d.dba = f"{d.lastname} & Sons"
            d.fein = f"{rng.randint(10, 99)}-{rng.randint(1000000, 9999999)}"
            d.businessEntity = rng.choice(_ENTITIES)
            d.businessClassification, d.businessClassificationId = label, i
            d.yearBusinessStarted = rng.randint(1975, 2020)
            d.payroll = rng.randint(80, 2500) * 1000
    for customer in st.customers.values():
        c = customer.data
        c.secondaryEmail = f"{(c.firstname or 'x').lower()}.{customer.id}@homemail.example"
        c.secondaryPhone = f"+1555{rng.randint(1000000, 9999999)}"
        c.contactFirstname, c.contactLastname = c.firstname, c.lastname
        c.contactMiddlename = rng.choice(_MIDDLE)
        c.createDate = customer.created.strftime("%Y-%m-%d %H:%M:%S")
        c.tagNames = rng.choice(("vip", "bundle;auto", "renewal"))
        c.customFields = [{"fieldName": "cf1", "fieldValue": rng.choice(_TIMES)}]
    for task in st.tasks.values():
        t = task.data
        t.comments = t.comments or "Confirm the new vehicle's VIN before the call."
        t.invitees = [f"csr{rng.randint(1, 9)}@agency.example"]
    for policy in st.policies.values():
        p = policy.data
        p.brokerFee = rng.choice((0, 2500, 5000))
        p.priorCarrierName = rng.choice(("GEICO", "Farmers", "USAA"))
        p.priorPolicyNumber = f"PR-{rng.randint(100000, 999999)}"
        p.priorExpiryDate = p.effectiveDate
        p.departmentCode, p.groupCode = "SERV", "PL"
        p.tagNames = rng.choice(("renewal", "bundle", "audit due"))
