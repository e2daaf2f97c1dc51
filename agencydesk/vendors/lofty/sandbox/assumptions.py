"""What the Lofty document leaves open and this sandbox decided (one place, as issue 3 asks).
Line numbers are in ../shared/vendor-docs/lofty-api.txt."""

from __future__ import annotations

ASSUMPTIONS: list[str] = [
    # Auth
    "Access tokens: the OAuth flow is not documented (L33 links elsewhere). The sandbox mints "
    "HS256 JWTs shaped like the example of L51 ({ext, user_id, scope:'5', iat} in epoch ms) and "
    "accepts them as 'Authorization: Bearer <token>' (L40). Lifetime 30 days unless "
    "SandboxOptions.token_ttl_seconds says otherwise; expire_tokens() ends them all now.",
    "The old per-user API key (L2243) is accepted as 'Authorization: token <key>' (the live "
    "form reported in the digest, Appendix A) and, on GET /v1.0/vendor/oauth/token-info/byold, "
    "also as 'Bearer <key>'; that call mints a fresh access token and refresh token.",
    "401/403/404 answers have an empty body ('No Content' in every operation). A path id "
    "that is not an integer is a 400 (the service is Spring; a type mismatch is not a miss). "
    "Booleans in the query accept true/false, 1/0, yes/no, on/off; unknown body fields are "
    "ignored and numeric strings are read as numbers (Jackson's defaults).",
    'Validation errors (undocumented) answer 400 {"code":20012,"message":"Invalid '
    'parameter: <field> ..."}, the code seen live (digest §3.5).',
    "Operations with a body require 'Content-Type: application/json' (L34-38; every one "
    '\'Consumes application/json\'); anything else is 400 {"code":20001,"message":'
    '"Content-type must be: application/json"}, the answer seen live. GET and DELETE '
    "do not check it.",
    # Rate limit
    "Without a valid vendorKey: 10 calls per 60 s window per member (L43). How the vendorKey is "
    "sent is not documented: only a 'vendorKey' request header counts (the one form our client "
    "sends; a query parameter counts as none). An invalid "
    "vendorKey counts as none. With one: SandboxOptions.default_rate_per_minute (no figure is "
    "documented; the example header of L51 shows 20). Windows are divided by rate_scale.",
    "X-RateLimit-Limit/-Remaining/-Reset go on every authenticated answer (L50). Reset is UTC "
    "epoch seconds of the window end as L59 says (the examples 23000/21000 contradict it; "
    "state.config.reset_header='relative_ms' switches to milliseconds left).",
    "429 answers carry 'Status: 429 Too Many Requests', the three headers and "
    '{"message":"Too Many Requests"} (L61), and no Retry-After (none is shown). '
    "Unauthenticated calls get 401 before any rate counting.",
    # Shapes
    'Lead list items and GET /v1.0/leads/{leadId} are wrapped as {"lead": {...}} as in the '
    "example of L48 (the schema LeadListResponse, L3933, says bare LeadResponse); "
    "state.config.lead_envelope=False sends them bare.",
    "Write operations typed 'string' answer 200 with a JSON string: the new id for creates "
    "(lead, note, task, logType, transaction, property, inquiry, office, broker team), "
    '"success" for the rest. Notes PUT/DELETE and logType DELETE answer 200 with an empty '
    "body and Content-Type application/json;charset=UTF-8 (L1827, L1854, L2801).",
    "Plain 'string' times (LeadResponse, TaskResponse, NoteResponse, calls, emails, texts, "
    "logType) are 'yyyy-MM-ddTHH:mm:ssGMT' in UTC as observed live; string(date-time) fields "
    "are ISO-8601 UTC ('Z'); int64 times are epoch milliseconds.",
    "GET /v1.0/webhooks (typed string, L2342) and GET /v1.0/listing (typed string, L2653) "
    "answer JSON: an array of WebhookResponse, and {listings, nextPageKey}. "
    "GET /v1.0/getPublishedListings produces XML only (L2582): an Accept header that rules "
    "XML out (e.g. application/json alone) is a 406, as Spring answers and as seen live. "
    "GET /v1.0/members/{account} (produces */*) answers a UserResponse as JSON. "
    "POST /v1.0/agent/profile/add answers Result<long> {data: new member id, errorCode: 0}.",
    # Paging
    "Lead searches: limit defaults to 10 (the example of L46), must be >= 1 and is cut to 100 "
    "(L723). Every search answers a scrollId in _metadata; sending it back continues after the "
    "last page served (offset is then ignored); unknown scrollIds are a 400. Sort defaults to "
    "'Default' (leadId order) ascending; sort names the sandbox does not model order like "
    "Default; an unknown sort name is a 400.",
    "GET /v1.0/leads/createTime and /updateTime return leads whose create/update time is at or "
    "after the given time, oldest first. The time must be 'yyyy-MM-dd HH:mm:ss', read as UTC-7 "
    "(L857 'UCT-7'): the one form our client sends; any other is a 400.",
    "Trashed leads (DELETE /v1.0/leads/{leadId}) vanish from every search, including "
    "/leads/updateTime, and are readable only with withTrash=true; editing one is a 404; "
    "trashing again answers 200. Unknown ids are a 404 on DELETE too (not listed there).",
    "currentId (L205) is exclusive: rows with a larger id, ascending; offset then skips rows "
    "after it. limit below 1 is a 400, above 1000 is cut to 1000. leadId is optional there.",
    "GET /v1.0/calls and /v1.0/members state no default or maximum: 10 and 100. "
    "state.config.live_page_cap=25 reproduces the live service's reported cap of 25 on "
    "/leads and /members (off by default: not in the document).",
    "GET /v1.0/systemLogs needs leadId (seen live); pageSize defaults to 10, max 100.",
    "GET /v1.0/notes, /tasks and /appts need leadId (400 without); an unknown lead is a 404. "
    "Notes come pinned first, newest first; includeSystemNote defaults to false.",
    # Leads
    "Lead creation needs at least one of firstName, lastName, emails, phones. No de-duplication. "
    "hideVendorId (a second 'Body' parameter, L641) is read from the query string.",
    "A new lead without a stage is in the team's first pipeline stage, 'New Lead'. Writing "
    "'phones' answers a fresh phoneStatuses entry (1) for every phone sent (LeadResponse."
    "phoneStatuses, L4365, has no write counterpart).",
    "Lead edits are partial: fields left out are kept; a field sent as null is cleared. 'tags' "
    "replaces every tag (L3608), 'tagsAdd' appends (L3611); both may be sent (replace, then "
    "add). Tag names are case-insensitive; unknown tags are added to the team's tag list.",
    "customAttributeList entries must name a team custom field (GET teamFeatures/"
    "listCustomField; create one with POST teamFeatures/custom-field), else 400.",
    "Validation: phones <= 20 chars (L3578), stage < 20 chars (L3599), birthday 'MMM d, yyyy' "
    "(L3513), leadType in {-1,1,2,3,5} (L3569), leadTypes in {-1,1,2,5,6,7,8,9} (L3572), "
    "<= 4 family members (L3564), assignedUserId a team member.",
    "leadRouting=true on create without assignedUserId assigns round robin among members "
    "(assignGroupId limits it to that office; -1 or absent = the whole company).",
    "'contacted' means an outbound call, any email, or a logged call/email/text exists.",
    "Lead assignment roles: 'Agent' sets assignedUserId; other names must match the lead's "
    "customRoleList roles ('Lender' also sets lenderUserId). 'assiginee' is an account email.",
    "PUT /v1.0/brokermint/lead upserts by externalId, then by email. "
    "PUT /v1.0/brokermint/transaction updates the Lofty transaction whose transactionId equals "
    "IncomingTransaction.id (the document gives no other link), else 404.",
    # Tasks, communication
    "Tasks: leadId and type are required; type is free text (the enum is cut off at L5068); "
    "assignedRole must be 'Agent' or 'Assistant'; finishFlag cannot be written (not in "
    "TaskRequest); tasks are assigned to the lead's agent.",
    "POST /v1.0/agent/communication: type, startTime, endTime are required; windows over 24 h "
    "are a 400 (L3326); teamView=false returns only the caller's own rows. Logged calls/"
    "emails/texts appear there as communicationType LOGGED.",
    "Webhook subscriptions are stored and lead/member/activity changes are queued in "
    "state.webhook_events (list 2: LeadResponse, 1: UserResponse, 3: activity); nothing is "
    "POSTed to callbackUrl. limit defaults to 5000; notifications beyond it in a rolling 30 "
    "minutes are dropped (L5380).",
    "Routing type 4 needs roleId (L437); unknown routing types are a 400.",
    "POST /v1.0/logType: outboundOrInbound is 'Outbound' or 'Inbound' when given (L4606 says "
    "only 'Outbound or inbound communication'; CallResponse.direction says 'Outbound or "
    "Inbound call', L3189); anything else is a 400.",
    "POST /v1.0/notes and POST /v1.0/logType take only the fields of NoteRequest (L4685) and "
    "LogTypeRequest (L4585); any other field (a time the call happened, say) is a 400, not "
    "dropped in silence. Neither has a time: one logged after the fact is in its text.",
]

# What AgencyDesk's client depends on that the document leaves open, with the client code that
# relies on it: (what, module:function). A guess written into both the client and the sandbox
# passes every test, so each is named here to be checked against the real Lofty first (issue 15).
# tests/sandboxes/test_client_reliance.py checks every function exists.
CLIENT_RELIES_ON: tuple[tuple[str, str], ...] = (
    (
        "a logged call/email/text's outboundOrInbound is 'Outbound' or 'Inbound' (L4606 gives "
        "no values)",
        "agencydesk.vendors.lofty.push:LoftyPusher._log_message",
    ),
    (
        "the vendorKey travels as a 'vendorKey' request header (L43 does not say how)",
        "agencydesk.vendors.lofty.client:LoftyClient.__init__",
    ),
    (
        "the old API key is sent as 'Authorization: token <key>' to token-info/byold (L2243)",
        "agencydesk.vendors.lofty.client:LoftyClient._renew",
    ),
    (
        "an access token's lifetime is its own ext - iat claims in epoch ms (the L51 example)",
        "agencydesk.vendors.lofty.client:LoftyClient._expiry",
    ),
    (
        "X-RateLimit-Reset is UTC epoch seconds as L59 says (its examples disagree)",
        "agencydesk.vendors.client_kit.limiter:AccountLimiter.observe",
    ),
    (
        "lead list items and GET /v1.0/leads/{leadId} come wrapped as {'lead': ...} (L48) or "
        "bare (L3933): both are read",
        "agencydesk.vendors.lofty.client:unwrap_lead",
    ),
    (
        "a create answers the new id as a JSON string (typed 'string', no example)",
        "agencydesk.vendors.lofty.client:created_id",
    ),
    (
        "plain-string times ('2025-12-21T23:32:00GMT', ISO or epoch ms) are UTC when no zone "
        "is given",
        "agencydesk.vendors.lofty.mapping:lofty_time",
    ),
    (
        "leadUpdateTime/leadCreateTime are sent as 'yyyy-MM-dd HH:mm:ss' in UTC-7 (L857 "
        "'UCT-7'; no format is given)",
        "agencydesk.vendors.lofty.connector:LoftyConnector._fetch_leads",
    ),
    (
        "a lead edit keeps every field it does not send (EditLeadRequest marks none required; "
        "nothing says what is left out)",
        "agencydesk.vendors.lofty.mapping:lead_edit_body",
    ),
    (
        "the assignment body is [{'assiginee': member email, 'role': 'Agent'}] (L3785 spells "
        "the field so and does not say it is the email)",
        "agencydesk.vendors.lofty.push:LoftyPusher._assign",
    ),
    (
        "a task's read 'deadline' string is the instant written as TaskRequest.deadline in "
        "epoch ms (L5061), so it is sent back as read",
        "agencydesk.vendors.lofty.push:LoftyPusher._update_task",
    ),
    (
        "TaskRequest.type is free text ('Call', 'Email', 'Meeting', 'Other'; the enum is cut "
        "off at L5068)",
        "agencydesk.vendors.lofty.mapping:task_body",
    ),
    (
        "PUT /v1.0/notes/{noteId} answers no content (L1827): the note is read back",
        "agencydesk.vendors.lofty.push:LoftyPusher._update_note",
    ),
    (
        "Notes and logged calls take no time (NoteRequest L4685, LogTypeRequest L4585): when "
        "a call happened is written into its text",
        "agencydesk.vendors.lofty.push:LoftyPusher._log_message",
    ),
)
