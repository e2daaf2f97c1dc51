"""What the AgencyBloc Policies document leaves open and this sandbox decided (one place).

Line numbers refer to ../shared/vendor-docs/agencybloc-policies-api.txt. "Public help pages"
means AgencyBloc's "Making API Requests" article, quoted in the digest as [EXTERNAL].
"""

from __future__ import annotations

ASSUMPTIONS: list[str] = [
    "Authentication is not in the document; per the public help pages every call carries `sid` "
    "and `key` in the form-encoded body. Missing or wrong credentials answer HTTP 401 with the "
    "documented Exception envelope (L187), Title 'Unauthorized'.",
    "Only `application/x-www-form-urlencoded` bodies are read (help pages: 'you do not POST "
    "JSON'). "
    "A JSON or multipart body is read as an empty form, so it fails authentication (401).",
    "Query-string parameters are ignored (documented, L9/L134), including `sid`/`key`.",
    "A parameter repeated in the body: the first value is used.",
    "The Exception envelope's HTTP status equals its `Status` string: 400 for missing/invalid "
    "parameters, 401 for credentials, 404 for an unknown policyID, 429 for the rate limit.",
    "The document states no rate limit; the sandbox allows `options.default_rate_per_minute` "
    "calls per minute per sid (window scaled by `options.rate_scale`) and answers 429 with the "
    "Exception envelope and a Retry-After header.",
    "Dates in are MM/DD/YYYY (L38 example 01/01/2013, month first per the help pages); any other "
    "format is refused with 400 naming the parameter. Dates out are 'YYYY-MM-DDT00:00:00' (L129).",
    "Numbers (premium, renewalIncrease, lives, payFrequency) are plain digits with an optional "
    "dot and decimals, the one form our client sends; '$1,234' or '1.234,50' is a 400 naming the "
    "parameter (the document gives no number format).",
    "Fields with no value come back as JSON null in search and detail (the examples show only "
    "filled records). AdditionalAgent1-5 are always null: no documented parameter sets them.",
    "`AgentNumID` (undocumented meaning) is 1 when a servicing agent is set, else null; "
    "`CommissionFreq` and `ClientID` are always 0 (no parameter sets them).",
    "Detail omits addresses (L116 promises them; the L117-L129 example has none).",
    "Dropdown values (policyStatus, policyCoverageType, projectCode) match existing values "
    "ignoring case and surrounding spaces (SQL Server's default collation); anything else is "
    "created as a new value with a new lookup id (L3).",
    "`carrier` must name an existing carrier (matched ignoring case); an unknown carrier is a 400. "
    "A carrier is an entity, not a user-defined dropdown, so L3 does not apply to it.",
    "`entityID` + `entityTypeID` must name an existing Group/Individual, else 400.",
    "An agent or account manager that does not match (unknown ID or names not exactly equal) is "
    "silently left unassigned (L53, L64); an unknown ID is treated like a non-matching name.",
    "`accountManager` is documented for create only (L57-L58) and is ignored on update.",
    "Custom fields whose name (after `custom_`) does not exist are silently ignored; new "
    "checkbox-list options are added (L3). Values come back in `customFields` as one string "
    "inside `Value`, joined with `||` as sent (L129).",
    "On update an empty value clears an optional field; an empty carrier or dropdown value is "
    "left unchanged. All values are validated before any change, so a bad date changes nothing.",
    "Search filters match exactly, ignoring case; date filters are inclusive; `updatedDTM` "
    "compares the policy's last change (sandbox clock, UTC) with midnight UTC of the given date. "
    "Results are ordered by policyID. A negative `limit` is a 400.",
    "There is no token to expire: `expire_tokens()` regenerates the account's API key (as an "
    "admin would), so the old key gets 401; `sandbox.credentials['key']` is updated in place.",
    "Seeded ids: policies from 100001, Individuals 200000+person id, Groups 300001+, "
    "agents 4101+, users 701+, carriers 1201+, lookups 3001+.",
]

# What AgencyDesk's client depends on that the document leaves open (each decided above, or in
# the help pages only), with the client code that relies on it: (what, module:function). A guess
# written into both the client and the sandbox passes every test, so each is named here to be
# checked against the real AMS+ first (issue 15). tests/sandboxes/test_client_reliance.py checks
# every function exists.
CLIENT_RELIES_ON: tuple[tuple[str, str], ...] = (
    (
        "sid and key in the form-encoded body of every call (help pages, not the document)",
        "agencydesk.vendors.agencybloc.client:AgencyBlocClient._post",
    ),
    (
        "the Exception envelope's HTTP status says what failed: 401 credentials, 404 unknown "
        "policyID, other 4xx bad parameters (the document lists no codes, L185)",
        "agencydesk.vendors.agencybloc.client:_classify",
    ),
    (
        "an update leaves every parameter it does not send as it was (the update parameters are "
        "'ADDITIONAL POST PARAMETERS You may also POST', L139; nothing says what is left out)",
        "agencydesk.vendors.agencybloc.push:AgencyBlocPusher._update",
    ),
    (
        "an empty value on update clears an optional field (a cleared date or premium is sent "
        "as '')",
        "agencydesk.vendors.agencybloc.mapping:write_params",
    ),
    (
        "dates are month first, 01/31/2013 (L38's example 01/01/2013 is ambiguous)",
        "agencydesk.vendors.agencybloc.mapping:form_date",
    ),
    (
        "premium is a plain decimal with a dot and two places ('1234.50'; the document gives "
        "no number format)",
        "agencydesk.vendors.agencybloc.mapping:form_premium",
    ),
    (
        "detail dates read as ISO local date-times; the year-1111 placeholders of L129 mean no "
        "date",
        "agencydesk.vendors.agencybloc.mapping:_date",
    ),
    (
        "policyStatus and policyCoverageType values are sent exactly as the vendor spelled them "
        "in search rows and details, so none is created (L3) whatever the vendor's matching",
        "agencydesk.vendors.agencybloc.mapping:Dropdowns.exact",
    ),
    (
        "the create/update envelope's policyID is the new policy's id as digits (L72: a string)",
        "agencydesk.vendors.agencybloc.client:AgencyBlocClient._written",
    ),
)
