"""What the LeadExec document leaves open and this sandbox decided, in one place."""

from __future__ import annotations

ASSUMPTIONS: list[str] = [
    # Auth and limits
    "Token errors (L11-L46 show only success): 400 with the documented shape "
    '{"access_token": null, "token_type": null, "expires_in": 0, "error": CODE}, CODE one of '
    "invalid_request (missing field, or a body that is not JSON: the document sends JSON, L26), "
    "unsupported_grant_type, invalid_client.",
    "A missing, unknown or expired Bearer token: 401 with ASP.NET's "
    '{"Message": "Authorization has been denied for this request."} and '
    'WWW-Authenticate: Bearer error="invalid_token".',
    "The maxes endpoint's table names the header api_key (L2245) while its example sends "
    "Authorization: Bearer (L2259): both headers are accepted on every route.",
    "No rate limit is documented: options.default_rate_per_minute requests per minute per API "
    "client_id (window divided by options.rate_scale); over it, 429 "
    '{"Message": "Too many requests. Retry after N s."} with Retry-After. The token endpoint '
    "is not limited.",
    # Errors and shapes
    'No error model is documented: failures answer ASP.NET Web API style {"Message": text} — '
    "400 for a missing/invalid field (the text names the field), 404 for an unknown id or route, "
    "405 for a wrong method, 415 for a body that is not application/json.",
    "Lead DELETE and /remove answer errors in their own {success, message} shape (404); "
    "PUT /v1/leadsources/campaigns answers {success: false, message, identifier: 0} (400).",
    "JSON answers are 'application/json; charset=utf-8' (ASP.NET Web API's default).",
    "The '200 OK' answers (L539, L1190, L1263, L2698, L3299, L3527) are an empty body.",
    'runautomation answers {"Result": "Record has been scheduled for automation"} as its '
    "table names a Result property (L1139); scheduleautomation a bare JSON string (L1167).",
    "The client list sends Status as the ClientStatus ordinal (New=0 … Closed=9), as its example "
    "shows (L196); login sends the name (L803).",
    "Example forms win over table types: LeadType AccountUID and InQC integers, lead source "
    "State an integer StateUID (strings like 'TX' accepted on write), order item "
    "ClientAccountUID null for 'any account', lead field LeadTypeUID an integer.",
    "Lead Source Campaign Details answers a one-element array (its example shows an array, L3912).",
    "Active client list: LastSentDate is null for a client that never received a lead; Agent is "
    "null when no matching account has an agent (the example shows null).",
    "Deprecated client fields: DateLocked is null, IsLocked false, Image and OutLookUID empty.",
    # Dates
    "Pacific Time fields (DateAdded, DeliveryDetails.DateAdded, DateRan, EnterDate/ExitDate) are "
    "Pacific wall time written with a trailing Z, as the examples do; Pacific fields sent to the "
    "sandbox are read the same way. Unstated bases (ScanDate, DateSent, DateReceived) are UTC.",
    "Dates have .NET-style trimmed milliseconds (2024-07-10T04:10:07.55Z); order dates have none "
    "(YYYY-MM-DDTHH:MM:SSZ, L2484).",
    # Behaviour
    "0 creates for clients, groups, delivery accounts, delivery methods, orders, order items, list "
    "items, lead sources, campaigns, criteria, field settings, mappings, delivery days and rules; "
    "a non-zero id that does not exist is a 404 (top level) or 400 (nested).",
    "Client upsert: the document does not say whether an update keeps or clears the Info fields "
    "and FieldData it leaves out, so an update must carry every Info field of the list row "
    "(UserUID, TimeOffset, TimeZoneName, Notes, ResellerUID, GroupUID, Username, "
    "OverrideReassign, DeliveryAccountAutomationType; Password may be left out and is kept) and a "
    "value for every client field the client holds, else 400 naming what is missing (the one "
    "form leadexec/mapping.py:info_from_row and field_data send). FieldData values are checked "
    "against "
    "each client field's Validation regex and enumerations; a new client needs every Required "
    "client field (Company, Email). A changed value moves the old one to PastValues.",
    "The client username check answers true when the name is in use (L826); the lead-source check "
    "answers true when the name is unique (L3751): opposite senses, each as its sentence says.",
    "Client login with a wrong username or password: 400.",
    "Group assignment by an unknown ClientGroupName: 400 (groups are not created).",
    "Active client list: DeliveryAccountType '' (the example, L298) means any account type; "
    "Web/Redirect/TransferForm/PhoneRouting map to account types 0/1/2/3; Take has no maximum; "
    "Price is the highest price of the client's matching accounts (lowest when sorting by Price "
    "Ascending). 'Descending' spelt correctly is refused.",
    "Orders query: Take over 100 is clamped to 100 (and echoed as 100); OrderStatusFilter takes "
    "the status names only; an unknown OrderUID gives an empty page. Items left out of an order "
    "update are kept (the document has no way to delete one).",
    "Delivery account criteria sent replace the account's criteria (no Delete flag there); "
    "field settings, mappings and campaign rules follow their Delete flag; delivery days are "
    "added or updated, never removed.",
    "Maxes endpoint: 0 (no maximum) is stored and read back as -1, the accounts' own 'no maximum'.",
    "Scanning: only FieldValue criteria are evaluated (Expression/Function pass); a lead is sold "
    "at most its campaign's MaxSell times; ExclusiveClientUID of the campaign is the 'exclusive "
    "location'; autosend's ForceIDs are client ids restricting the scan.",
    "Automation queued by runautomation/scheduleautomation runs (as autosend restricted to "
    "automation-enabled accounts) on the first API request at or after its time on the sandbox "
    "clock.",
    "Lead deletion is scheduled one minute ahead on the sandbox clock; until then the lead is "
    "still found. /remove blanks FirstName, LastName, Email, PrimaryPhone, Address, DateOfBirth.",
    "Lead search needs at least one of Email, Address, PrimaryPhone (400 otherwise); all given "
    "must match: email and address ignoring case and spacing, phone by its digits.",
    "Process Client Delivery answers isValid false (200) with Status Duplicate, "
    "Account_Disabled, Outside_Criteria (account of another lead type), Post_Over_Max or "
    "No_Order instead of sending.",
    "Attachments: FileName must have an extension, Base64Data must be valid base64, at most "
    "10 MB decoded.",
    "Distribution list item removal answers false when the client was not assigned.",
    "2FA codes are 6 digits, live 10 minutes; a wrong or expired code answers "
    '{"success": false, "message": "2 factor verification failed"} with 200.',
    "Run Payment declines clients without a card on file and amounts over 10,000.",
    "The zip tables cover the cities the shared population lives in (100 zips each); radius "
    "distances are great-circle miles from the centre zip, nearest first.",
]

# What AgencyDesk's client depends on that the document leaves open, with the client code that
# relies on it: (what, module:function). A guess written into both the client and the sandbox
# passes every test, so each is named here to be checked against the real LeadExec first
# (issue 15). tests/sandboxes/test_client_reliance.py checks every function exists.
CLIENT_RELIES_ON: tuple[tuple[str, str], ...] = (
    (
        "a refused client ID/secret answers 400 or 401 with the documented {error} body (L41 "
        "shows only success)",
        "agencydesk.vendors.leadexec.client:_classify",
    ),
    (
        "the token request is a JSON body (L26's example), not a form",
        "agencydesk.vendors.leadexec.client:LeadExecClient._fetch_token",
    ),
    (
        "a client update sends the whole client: every Info field read from the list row, the "
        "list's ordinal Status sent back by name (L63), DateAdded exactly as read; the document "
        "does not say what an update leaves out (the sandbox refuses a partial one)",
        "agencydesk.vendors.leadexec.mapping:info_from_row",
    ),
    (
        "FieldData carries every field value the client has, the edited one replaced (same reason)",
        "agencydesk.vendors.leadexec.mapping:field_data",
    ),
    (
        "a field's Validation is a regular expression Python reads the same way (L586 gives "
        "examples only); a phone typed with punctuation goes as its digits",
        "agencydesk.vendors.leadexec.mapping:checked_value",
    ),
    (
        "PATCH /v1/clients answers the client's id as a bare number (L130) for an update too",
        "agencydesk.vendors.leadexec.client:LeadExecClient.save_client",
    ),
    (
        "client DateAdded is a Pacific wall time though written with Z (L153)",
        "agencydesk.vendors.leadexec.mapping:pacific_time",
    ),
    (
        "a new client's portal username is free when the check answers anything but true "
        "(L826: true means in use)",
        "agencydesk.vendors.leadexec.client:LeadExecClient.username_in_use",
    ),
    (
        "a lead delete answers {success, message} (L3549); success false is a refusal",
        "agencydesk.vendors.leadexec.client:LeadExecClient.delete_lead",
    ),
)
