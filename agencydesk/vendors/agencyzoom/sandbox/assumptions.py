"""Everything the AgencyZoom document leaves open that this sandbox had to decide, in one place.
Each entry: what was decided, and why. Routes refer here with "ASSUMPTIONS: <topic>".

``CLIENT_RELIES_ON`` lists every point where the client depends on one of these decisions, with
the client code that relies on it (module:function): a guess written into both the client and
the sandbox passes every test, so each one is named here to be checked against the real vendor
first (issue 15)."""

from __future__ import annotations

ASSUMPTIONS: tuple[tuple[str, str], ...] = (
    (
        "note fields",
        "A note create takes {note} and nothing else (L853, L4254; digest §5.5): any other "
        "field (a time the call happened, say) is a 400, not dropped in silence, so a client "
        "that guesses one finds out here.",
    ),
    (
        "error body",
        "400/401/404/429/500 answers reuse the confirmation shape "
        '{"message", "id": 0, "result": false}; the document shows only 200 samples (L133).',
    ),
    (
        "unknown ids",
        "An id that does not exist answers 400 'Invalid request parameter(s): …': the "
        "document has no 404 (digest §3.5).",
    ),
    (
        "401",
        "A missing, malformed, logged-out or expired bearer token answers 401; the document "
        "documents no 401 but every endpoint needs the bearer (L87).",
    ),
    (
        "token lifetime",
        "JWTs live 24 h (SandboxOptions.token_ttl_seconds overrides); the document "
        "states no lifetime and no refresh.",
    ),
    (
        "rate limit",
        "Counted per signed-in user (per client address for sign-in calls) in a fixed "
        "60 s window: 30 by day, 60 from 22:00 to 04:00 America/Chicago (L81).",
    ),
    (
        "429 body and Retry-After",
        "Over the limit: 429, Retry-After seconds until the window "
        "reopens, the error body; the document documents no 429.",
    ),
    (
        "page size above the maximum",
        "pageSize above the documented maximum or below 1 is a 400, not silently clamped.",
    ),
    ("page echo", "The paged envelope echoes the request's 0-based page (the sample shows 1)."),
    ("default order", "Without 'order', lists sort ascending; thread lists newest first."),
    (
        "dates are UTC days",
        "Date filters (YYYY-MM-DD) select whole UTC days; lastActivityDate and "
        "enterStageDate are sent as 'yyyy-MM-dd HH:mm:ss' UTC.",
    ),
    ("leadType values", "'personal' or 'commercial' (the document does not enumerate them)."),
    (
        "lead tagNames read",
        "Lead detail sends tags as an integer array of tag ids (sample [1]); "
        "writes send names separated by ';'. Ids are assigned per sandbox.",
    ),
    (
        "list items",
        "Collapsed list items (customers, leads, tasks…) are the detail object minus "
        "its embedded arrays; customer items add agentId and status.",
    ),
    (
        "customer update merges",
        "PUT /customers/{id} changes only the fields sent (no erase warning "
        "there, unlike the lead PUT which erases what it leaves out, L3829).",
    ),
    ("task update merges", "PUT /tasks/{id} changes only the fields sent."),
    (
        "policy PUT",
        "PUT /policies/{id} replaces the policy with the body (its required set is the "
        "whole policy).",
    ),
    (
        "policy list shape",
        "GET /customers/{id}/policies and /ams-policies answer arrays; the samples "
        "show single objects but the text says lists.",
    ),
    (
        "policy status",
        "Statuses set by update-status are kept but not read back: the policy read "
        "shape has no status (L934).",
    ),
    (
        "X-Api-Token",
        "POST /policies/create wants X-Api-Token equal to the sandbox credential "
        "'api_token'; no endpoint issues it (L1129).",
    ),
    (
        "thread shape",
        "threadInfo items: threadId, subject, from, fromName, agentId, agentName, "
        "accountId, status (1 unread, 0 read), unread, messageCount, lastMessage, lastDateUTC. No "
        "customer or lead id: the document links threads to nobody.",
    ),
    (
        "message shape",
        "messageInfo items: messageId, threadId, from, to, subject, body, dateUTC, "
        "direction, status (2 normal, 100 trash); detail status defaults to 2 (not trash).",
    ),
    ("thread list status", "status 1 lists unread threads, 0 read ones; absent lists all."),
    (
        "unread-thread body",
        "POST /email-thread/unread-thread and /text-thread/unread-thread want both threadId "
        "and markUnread, a JSON boolean (the document marks neither required, L1718-L1726): "
        "the one form the client sends.",
    ),
    ("stage change", "PUT /leads/{id}/stage moves to toStageId, else workflowStageId."),
    (
        "SoldProduct",
        "soldProducts items: productLineId*, carrierId*, premium* (cents), items, "
        "policyNumber, effectiveDate, expiryDate; each becomes a policy of the new customer.",
    ),
    (
        "batch",
        "Batch creates and batch deletes are all or nothing; the answer's id is the last "
        "created id.",
    ),
    ("ContactDataRequest", "firstname* plus lastname, email, phone, customerId, leadId."),
    (
        "task links",
        "A lead's task reports customerId = the lead id and customerType 'lead'; "
        "outstandingCount counts open tasks among the matches; 'past-due-rotting' is > 7 days past "
        "due; weeks start on Monday.",
    ),
    (
        "V4SSO",
        "authUrl points at the sandbox's stand-in identity provider "
        "(/sandbox/v4sso/authorize), which answers a single-use code (5 minutes) or redirects to "
        "redirect_uri with code and state.",
    ),
    (
        "lenient types",
        "Integer fields accept numeric strings and string fields accept numbers "
        '(Jackson-like; the document\'s samples do this, e.g. maritalStatus "1"); anything else '
        "is a 400.",
    ),
    (
        "lead activity",
        "lastActivityDate moves on every change to the lead or to its notes, tasks, quotes, "
        "opportunities, status or stage (the document does not define 'activity').",
    ),
    (
        "zero ids",
        "Optional id fields sent as 0 (the request samples do: csrId, customerId, leadId, "
        "lifeProfessionalId, fileType…) mean none/all, not the id 0.",
    ),
    (
        "content type",
        "A request body that is not declared JSON (e.g. form-encoded) is a 400; a missing "
        "Content-Type is read as JSON.",
    ),
    ("404/405", "Unknown paths or methods answer 404/405 in the error body shape."),
    (
        "reopen keeps comments",
        "PUT /tasks/{id}/reopened without 'comments' keeps the task's comments; 'comments' "
        "sent replaces them (L6932 documents the field, not its effect).",
    ),
    (
        "lead contactName",
        "A commercial lead's contactName ('Business contact First Name and Last Name.', "
        "L3414) reads back split at its first space into contactFirstName/contactLastName "
        "(L3862); contactMiddleName stays empty.",
    ),
    (
        "lead read names",
        "Lead detail 'comments' is the written 'notes', 'locationCode' the written "
        "'agencyNumber', 'assignedTo' the written 'assignTo', workflowId/workflowStageId the "
        "written pipelineId/stageId (the document gives different names, no mapping).",
    ),
    (
        "lead collapsed arrays",
        "Lead detail 'otherProducers' items are {'id': n} (sample [{ }]) and 'customFields' "
        "items are what was written (sample [{}]); both are accepted back unchanged.",
    ),
    (
        "status change keeps tags",
        "PUT /leads/{id}/status without 'tagIds' leaves the tags; with 'tagIds' it sets them "
        "(by the ids the lead detail reads, L3884); status 0 sent to an active lead changes "
        "nothing else.",
    ),
    (
        "task due time read",
        "Task reads give the due day only (dueDate, taskDateTime '2020-12-12', L6688-L6689): "
        "the time written in dueDatetime (L6634) is stored but not read back.",
    ),
    (
        "created id",
        "Creates answer the new record's id in the confirmation's 'id' (documented only for "
        "quotes, changelog 2023.11.07).",
    ),
)

# (ASSUMPTIONS topic, the client code that relies on it). tests/sandboxes/test_agencyzoom_state.py
# checks that every topic is one above and every function exists.
CLIENT_RELIES_ON: tuple[tuple[str, str], ...] = (
    ("unread-thread body", "agencydesk.vendors.agencyzoom.push:Pusher._mark_thread"),
    ("error body", "agencydesk.vendors.agencyzoom.client:AgencyZoomClient.send"),
    ("unknown ids", "agencydesk.vendors.agencyzoom.connector:AgencyZoomConnector.confirm_deleted"),
    ("401", "agencydesk.vendors.client_kit.base:VendorHttp.request"),
    ("429 body and Retry-After", "agencydesk.vendors.client_kit.base:retry_after"),
    ("page echo", "agencydesk.vendors.agencyzoom.connector:AgencyZoomConnector._listing"),
    ("dates are UTC days", "agencydesk.vendors.agencyzoom.connector:_paged"),
    ("leadType values", "agencydesk.vendors.agencyzoom.mapping:is_commercial"),
    ("lead tagNames read", "agencydesk.vendors.agencyzoom.mapping:lead_tag_ids"),
    ("list items", "agencydesk.vendors.agencyzoom.mapping:customer_from"),
    ("customer update merges", "agencydesk.vendors.agencyzoom.mapping:customer_put_body"),
    ("task update merges", "agencydesk.vendors.agencyzoom.mapping:task_put_body"),
    (
        "policy list shape",
        "agencydesk.vendors.agencyzoom.client:AgencyZoomClient.customer_policies",
    ),
    ("thread shape", "agencydesk.vendors.agencyzoom.mapping:thread_from"),
    ("message shape", "agencydesk.vendors.agencyzoom.mapping:message_from"),
    ("stage change", "agencydesk.vendors.agencyzoom.push:Pusher._move_lead"),
    ("task links", "agencydesk.vendors.agencyzoom.mapping:task_from"),
    ("reopen keeps comments", "agencydesk.vendors.agencyzoom.push:Pusher._update_task"),
    ("lead contactName", "agencydesk.vendors.agencyzoom.mapping:lead_put_body"),
    ("lead read names", "agencydesk.vendors.agencyzoom.mapping:lead_put_body"),
    ("lead collapsed arrays", "agencydesk.vendors.agencyzoom.mapping:lead_put_body"),
    ("status change keeps tags", "agencydesk.vendors.agencyzoom.push:Pusher._update_lead"),
    ("task due time read", "agencydesk.vendors.agencyzoom.mapping:due_time_of"),
    ("task due time read", "agencydesk.vendors.agencyzoom.write_risk:task_fields_at_risk"),
    ("created id", "agencydesk.vendors.agencyzoom.push:Pusher._create_lead"),
    ("note fields", "agencydesk.vendors.agencyzoom.push:Pusher._create_note"),
)
