"""Every operation of the Lofty document (80), with the line it starts on and whether this
sandbox serves it (behaves: state, required fields, auth, documented shape)."""

from __future__ import annotations

from agencydesk.vendors.sandbox_kit.base import Endpoint

_TABLE = """
POST /v1.0/agent/profile/add 66 Create a new agent with profile message
GET /v1.0/calls 100 Search for calls
GET /v1.0/calls/{callId} 138 Retrieve a call by Id
POST /v1.0/agent/communication 167 Search for communication by agent
GET /v1.0/communication/call 199 Search for call history
GET /v1.0/communication/call/v2 242 Search for call history v2
GET /v1.0/communication/email 285 Search for email history
GET /v1.0/communication/text 328 Search for text history
GET /v1.0/routing/member/list/{type} 373 Get Assign Member List
GET /v1.0/routing/role/list 406 Get Assign Role List
GET /v1.0/routing/rule/list/{type} 426 Get Routing List
GET /v1.0/routing/rule/supplement/{type} 459 Get default rule
PUT /v1.0/routing/rule/supplement/{type} 492 Edit default routing rule
PUT /v1.0/routing/rule/{type} 528 Edit routing rule
PUT /v1.0/brokermint/lead 566 Edit a lead from brokermint
PUT /v1.0/brokermint/transaction 598 Update a transaction from brokermint
POST /v1.0/leads 632 Create a new lead
GET /v1.0/leads 672 Search for leads
POST /v1.0/leads/assignee 794 Search for assignee by lead info
GET /v1.0/leads/createTime 826 Search for leads by create time
POST /v1.0/leads/specified-url 913 Retrieve the specified URL with a login token
GET /v1.0/leads/updateTime 945 Search for leads by update time
GET /v1.0/leads/{leadId} 1032 Retrieve a lead by Id
PUT /v1.0/leads/{leadId} 1065 Edit a lead
DELETE /v1.0/leads/{leadId} 1101 Delete a lead
GET /v1.0/leads/{leadId}/activities 1132 Search for activities
POST /v1.0/leads/{leadId}/activity 1165 Add activity
POST /v1.0/leads/{leadId}/assignment 1203 Assign a lead
POST /v1.0/leads/{leadId}/inquiry 1242 Place an inquiry
POST /v1.0/leads/{leadId}/property 1280 Place a property
POST /v1.0/leads/{leadId}/transaction 1318 Add a transaction
POST /v1.0/leads/{leadId}/transaction/property/address 1356 Update transaction property address
GET /v1.0/leads/{leadId}/transaction/{transactionId} 1394 query transaction by ids
PUT /v1.0/leads/{leadId}/transaction/{transactionId} 1425 Update a transaction
GET /v1.0/leads/{leadId}/transaction/{transactionId}/property/address 1467 Query property address
GET /v1.0/leads/{leadId}/transactions 1498 query transactions by leadId
GET /v1.0/transaction/customfields 1525 query transaction all custom fields
GET /v1.0/me 1547 Get current user's info
GET /v1.0/members 1567 Get team members
GET /v1.0/members/{account} 1605 Get member by account
GET /v1.0/users/{userId} 1634 Get user by Id (deprecated)
PUT /v1.0/users/{userId} 1664 Edit a user
POST /v1.0/notes 1702 Add a note
GET /v1.0/notes 1734 Search for notes
GET /v1.0/notes/{noteId} 1766 Get note by Id
PUT /v1.0/notes/{noteId} 1793 Edit a note
DELETE /v1.0/notes/{noteId} 1829 Delete a note
GET /v1.0/appts 1858 Get appointments of lead
POST /v1.0/tasks 1885 Add a new task
GET /v1.0/tasks 1917 Get tasks of lead
GET /v1.0/tasks/{taskId} 1944 Get task by Id
PUT /v1.0/tasks/{taskId} 1971 Update a new task
DELETE /v1.0/tasks/{taskId} 2007 Delete a task
GET /v1.0/team-features/lead-pond/{id} 2036 Search lead pond
GET /v1.0/team-features/lead-ponds 2063 list lead pond
POST /v1.0/teamFeatures/custom-field 2083 add new custom field
GET /v1.0/teamFeatures/listCustomField 2115 Search custom field
GET /v1.0/teamFeatures/listTag 2135 Search existing tag
POST /v1.0/agent 2157 Create an new account
PUT /v1.0/agent 2189 Edit an account
GET /v1.0/vendor/list 2223 query vendor info
GET /v1.0/vendor/oauth/token-info/byold 2243 get oauth token info by old apikey
POST /v1.0/webhook 2277 add a new webhook
DELETE /v1.0/webhook/{subscribeId} 2309 Delete a webhook
GET /v1.0/webhooks 2336 get all webhook from current team
GET /v1.0/org 2358 Get User Organization
POST /v1.0/org/company 2378 Edit Agent Company
POST /v1.0/org/office 2410 Update Agent Office
PUT /v1.0/org/office 2442 Add Agent Office
GET /v1.0/org/permission/profiles 2474 Get Permission Profiles
POST /v1.0/broker/team 2496 Create team under the broker account
DELETE /v1.0/broker/team/{id} 2528 Remove team from the broker account
GET /v1.0/getPublishedListings 2557 Get published listings
GET /v1.0/listing 2584 getByUserId
POST /v1.0/logType 2669 Add a log call/email/text
GET /v1.0/logType 2701 Search for log call/email/text
GET /v1.0/logType/{logTypeId} 2749 Get log call/email/text by Id
DELETE /v1.0/logType/{logTypeId} 2776 Delete a log type
POST /v1.0/agent/send-notification 2805 sendOpportunityNotification
GET /v1.0/systemLogs 2839 Search for system logs
"""

# Endpoints whose route exists but does not (yet) behave as documented: none at present.
NOT_SERVED: frozenset[tuple[str, str]] = frozenset()


def _parse() -> tuple[Endpoint, ...]:
    out = []
    for line in _TABLE.strip().splitlines():
        method, path, doc_line, summary = line.split(" ", 3)
        out.append(Endpoint(method, path, int(doc_line), (method, path) not in NOT_SERVED, summary))
    return tuple(out)


ENDPOINTS: tuple[Endpoint, ...] = _parse()
