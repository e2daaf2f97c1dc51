"""What the ConeCRM document leaves open and this sandbox decided (one place).

Line numbers refer to ../shared/vendor-docs/conecrm-api.txt.
"""

from __future__ import annotations

ASSUMPTIONS: list[str] = [
    "Base URL: 'Base URLs:' is empty (L5); the code samples use https://api.conecrm.com, and "
    "the sandbox serves the same /api/... paths at its own base URL.",
    "Auth: bearer JWT (L7-L8) with no token endpoint. The sandbox mints HS256 JWTs with PyJWT at "
    "start (claims sub = user UUID, username, roles, tenant, iat, exp, jti) and reports the "
    "owner's as credential `token`; other users' tokens are in `sandbox.extra['tokens']`.",
    "Token lifetime is not documented: 30 days, or `options.token_ttl_seconds`. Expiry is "
    "judged on the sandbox clock. `expire_tokens()` expires every token issued so far; "
    "`sandbox.extra['issue_token']()` mints a fresh one (the user pasting a new token).",
    "401 bodies are not documented; the sandbox answers like Symfony's LexikJWTAuthenticationBundle"
    ': {"code": 401, "message": "JWT Token not found" | "Invalid JWT Token" | '
    '"Expired JWT Token"}.',
    "Rate limit: none documented; `options.default_rate_per_minute` per user (window scaled by "
    '`options.rate_scale`), answered 429 {"code": 429, "message": "Too Many Requests"} with '
    "Retry-After.",
    "Paging defaults and maxima are not documented (L102-L103, L4428-L4429): offset/start 0, "
    "limit 25, a limit above 100 is cut to 100 silently. A non-integer or negative value is a "
    "400 with no body. `total` (accounts only) counts all matches, not the page.",
    "Sorting: sortField must be one the record has (account: name, dateCreated or a BaseCustomer "
    "field; contact: firstName, lastName, dateCreated, …); anything else, or a sortDirection "
    "other than ASC/DESC, is 400 with no body. Default: dateCreated ASC. `search` is a "
    "case-insensitive substring over name, e-mails, phones and address fields.",
    "Integer-typed ids (franchise query L106/L4432, contact path L4818, saved-filter path "
    "L8980): each record also has a hidden integer number; those parameters accept that number "
    "or the record's UUID. A franchise that is neither is 400; an unknown contact is 404.",
    "Account and Contact embed each other endlessly in the examples; the sandbox nests one level "
    "(a contact's accounts carry {id} stubs for their contacts, and vice versa).",
    "Embedded contacts in an account body (primaryContact, contacts): with an `id` they link an "
    "existing contact (other fields ignored); without one a new contact is created from the "
    "fields. This is the only way the document offers to create a contact. An unknown id is 400.",
    "A new account or contact sent without isActive is active (isActive true).",
    "Deletes of accounts and tasks are soft (the record leaves lists and answers 404 after); "
    "stages, saved filters, custom fields and automations are removed.",
    "GET /api/contact/phone/{phone} has only a `default` response (L5162): the sandbox answers "
    "200 with a bare array of Contacts whose home, work or mobile phone has the same last 10 "
    "digits (empty array when none).",
    "Open leads of a contact are its leads whose status is Open (not Won/Lost).",
    'Lead create: Symfony form errors {"errors": {field: ["This value should not be '
    'blank." | "This value is not valid."]}, "message": "Validation failed"}; referenced '
    "department/contact/source/franchise/account/assignees must exist. Extra fields are ignored. "
    "Leads without assignees are given to the next user in turn (L6630). makeStr/modelStr/"
    "yearStr/trimStr are stored but never returned (the Lead schema has no such fields).",
    "Lead copy (L7559): the copy is a new Open lead with the original's source, stage, "
    "assignees, texts and custom values; contact is required (an existing one by id, else a new "
    "one from the fields), subject/department/franchise default to the original's.",
    "403 on lead create/copy is answered for users whose role cannot create leads (the seeded "
    "'front.desk' user). 403 on task PATCH/DELETE: a USER-type user may change only tasks "
    "assigned to or created by them; ADMIN/MANAGER may change any.",
    "Task validation answers the first violation only, in TaskRequest property order, as a bare "
    "JSON string '<property> <message>' (L10715). PATCH replaces every TaskRequest field and sets "
    "`edited` true; there is no way to set taskDone (absent from TaskRequest).",
    "Task responses embed connection (Connection fields), assignee (SecurityObject), tenant, "
    "contact and account in full, as the example shows; null when not set.",
    "Valid {entity} names for filters, custom fields and the query builder are not listed: the "
    "sandbox knows contact, account and lead. Unknown: 404 {error} (filters, query builder), "
    "400 no body (custom fields).",
    "Query builder: rule values are strings (QueryBuilderRule.value); in/notIn/between take a "
    "comma-separated list (react-querybuilder's default) or a JSON array. Unknown fields, "
    'operators not allowed for the field\'s type, or bad values are 400 {"error": …}. `data` '
    "holds the matching records in their list shapes (Contact, Account, Lead).",
    "CustomField has no id (L11777): DELETE/PATCH /api/custom-field/{customField} and "
    "customFieldValues[].field.id accept the hidden UUID or the fieldName; unknown is 400 (only "
    "400 is documented). `options` must be a JSON-encoded string. POST needs entity, fieldName "
    "and fieldType although the body is marked optional (L5388).",
    "Automation2 (list item) is an empty schema: the sandbox puts the automation's `id` and its "
    "Automation3 fields there. Automation3 responses have no id (as documented) and `franchise` "
    "is always null. A duplicate is named '<name> (copy)' with delayedAutomationsCount 0.",
    "Saved filters: a private filter of another user is 403 on GET; only the owner may PATCH or "
    "DELETE (403 otherwise). The phantom integer `id` path parameter of DELETE/PATCH (L9073, "
    "L9194) is the same slot as {filter}.",
    "Stage create/update: `name` must be a non-blank string (else 400 no body); an `id` in the "
    "body is ignored. A stage used by any lead cannot be deleted (400, L9633).",
    'Custom label value must be a JSON object, else 400 {"error": "Value is required"}.',
    "Values the document shows only as 'string': `dtype` is 'lead', 'task', 'user', "
    "'customlabel' or 'customerthirdpartyid'; a lead's `direction` is 'INBOUND' when "
    "customerInitiated, else 'OUTBOUND'; `status` ids name Open/Won/Lost statuses. Audit "
    'references that are unset (modifiedBy, deletedBy…) are null rather than {"id": null}.',
    "Dates out are 'YYYY-MM-DDTHH:MM:SSZ' UTC (examples); dates in must be the same form (the "
    "one our client sends; the document states no other), anything else is a 400.",
    "Seeded data: an insurance agency using ConeCRM: contacts from the shared population "
    "(phones in national format '(512) 555-0100'), household and small-business accounts, "
    "leads whose subject names the line of business, category 'CAR' for auto lines.",
]

# What AgencyDesk's client depends on that the document leaves open, with the client code that
# relies on it: (what, module:function). A guess written into both the client and the sandbox
# passes every test, so each is named here to be checked against the real ConeCRM first
# (issue 15). tests/sandboxes/test_client_reliance.py checks every function exists.
CLIENT_RELIES_ON: tuple[tuple[str, str], ...] = (
    (
        "the pasted JWT's 'sub' claim is the user's UUID, the default task assignee (no endpoint "
        "lists users)",
        "agencydesk.vendors.conecrm.connector:ConeCrmConnector.__init__",
    ),
    (
        "the JWT's standard 'exp' claim says when the pasted token stops working",
        "agencydesk.vendors.conecrm.client:ConeCrmClient.token_expired",
    ),
    (
        "a 401 body may carry a 'message'; a task 400 is a bare JSON string '<property> "
        "<message>' (L10715)",
        "agencydesk.vendors.conecrm.client:_classify",
    ),
    (
        "'lead' is the query builder's entity name for leads, and an empty 'and' rule group "
        "answers every lead (entity names are not listed, L8581)",
        "agencydesk.vendors.conecrm.connector:ConeCrmConnector._read_leads",
    ),
    (
        "GET /api/filters/lead lists the lead status and source names as options "
        "{value: id, label: name} (Filter2.options is untyped)",
        "agencydesk.vendors.conecrm.connector:ConeCrmConnector.names",
    ),
    (
        "PATCH /api/account/{account} keeps every field it does not send (no field is required, "
        "L2562; nothing says what is left out)",
        "agencydesk.vendors.conecrm.mapping:account_body",
    ),
    (
        "a primaryContact without an id in an account body makes a new contact (the only way to "
        "make one; undocumented)",
        "agencydesk.vendors.conecrm.mapping:new_account_body",
    ),
    (
        "PATCH /api/task/{task} replaces every TaskRequest field (assignee and title required, "
        "L10906), so the whole task goes back from the stored payload plus the edit",
        "agencydesk.vendors.conecrm.task_mapping:task_update_body",
    ),
    (
        "task start is sent as 'YYYY-MM-DDTHH:MM:SSZ' in UTC (date-time, no zone rule given)",
        "agencydesk.vendors.conecrm.task_mapping:_start",
    ),
)
