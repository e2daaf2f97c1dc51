"""Every endpoint of the LeadExec Account API document, as its example request line writes it
(method, path, line), and whether this sandbox serves it. Two headings disagree with their
examples (L2994 says PATCH for the PUT at L3008; L3281 says GET for the PUT at L3291): the
example's method is listed and both are routed.
"""

from __future__ import annotations

from agencydesk.vendors.sandbox_kit.base import Endpoint

ENDPOINTS: list[Endpoint] = [
    Endpoint("POST", "/v1/authorization/token", 24, True, "Authentication"),
    Endpoint("PATCH", "/v1/clients", 94, True, "Create / Modify Client"),
    Endpoint("GET", "/v1/clients/list", 143, True, "List Clients"),
    Endpoint(
        "POST",
        "/v1/clients/list/active/leadtype/[leadtypeuid]",
        292,
        True,
        "Client Active List by Lead Type",
    ),
    Endpoint("PATCH", "/v1/clients/[ClientUID]/status", 426, True, "Update Client Status"),
    Endpoint("GET", "/v1/clients/groups", 451, True, "Client Group List"),
    Endpoint("PATCH", "/v1/clients/[ClientUID]/group", 493, True, "Update Client Group Assignment"),
    Endpoint("PUT", "/v1/clients/groups", 524, True, "Create / Modify Client Group"),
    Endpoint("GET", "/v1/clients/fields/[ClientUID]", 553, True, "Fields for Client"),
    Endpoint("GET", "/v1/clients/fields", 656, True, "Available Fields for Clients"),
    Endpoint("POST", "/v1/clients/login", 761, True, "Client Login"),
    Endpoint("GET", "/v1/clients/username/check/[Username]", 834, True, "Check Client Username"),
    Endpoint("POST", "/v2/delivery/scanner/general", 865, True, "Client Scanner"),
    Endpoint("GET", "/v1/delivery/scanner/logs/[LeadUID]", 915, True, "Client Scanner Logs"),
    Endpoint(
        "POST",
        "/v1/clients/scanner/criteria/[LeadTypeUID]",
        954,
        True,
        "Client Scanner by Criteria",
    ),
    Endpoint("POST", "/v1/delivery/autosend", 1035, True, "Auto Process Delivery"),
    Endpoint("POST", "/v1/delivery/process", 1091, True, "Process Client Delivery"),
    Endpoint("POST", "/v1/delivery/runautomation/[LeadUID]", 1130, True, "Run Lead Automation"),
    Endpoint(
        "POST", "/v1/delivery/scheduleautomation/[LeadUID]", 1155, True, "Schedule Lead Automation"
    ),
    Endpoint("POST", "/v1/delivery/[ClientUID]/confirm/[LeadUID]", 1182, True, "Confirm Delivery"),
    Endpoint("POST", "/v1/delivery/redirectconfirmation", 1207, True, "Confirm Redirect Delivery"),
    Endpoint("PUT", "/v1/delivery/log", 1244, True, "Log Delivery to Client"),
    Endpoint("GET", "/v1/delivery/sends/[LeadUID]", 1277, True, "Get Sends for Lead"),
    Endpoint(
        "POST",
        "/v1/delivery/accounts/all/[LeadTypeUID]",
        1357,
        True,
        "List of All Accounts (Filtered by Criteria)",
    ),
    Endpoint("GET", "/v1/delivery/[ClientUID]/accounts", 1622, True, "List of Accounts for Client"),
    Endpoint(
        "GET",
        "/v1/delivery/[ClientUID]/accounts/[ClientAccountUID]",
        1883,
        True,
        "Delivery Account Detail",
    ),
    Endpoint(
        "PUT", "/v1/delivery/[ClientUID]/accounts/", 2194, True, "Create or Modify Delivery Account"
    ),
    Endpoint(
        "PUT",
        "/v1/delivery/[ClientUID]/accounts/[DeliveryAccountUID]/maxes",
        2256,
        True,
        "Update Delivery Quantity Maxes",
    ),
    Endpoint(
        "PUT", "/v1/delivery/[ClientUID]/methods", 2371, True, "Create or Modify Delivery Method"
    ),
    Endpoint(
        "PATCH",
        "/v1/delivery/methods/mappings/setdefault/[DeliveryUID]",
        2460,
        True,
        "Set Default Mappings",
    ),
    Endpoint("PUT", "/v1/orders", 2505, True, "Create or Modify Order"),
    Endpoint("POST", "/v1/orders", 2558, True, "Retrieve Order Details or List"),
    Endpoint("PUT", "/v1/orders/billing/payments", 2681, True, "Create Order Payment"),
    Endpoint(
        "POST", "/v1/orders/[ClientUID]/billing/paymentmethods/run", 2713, True, "Run Payment"
    ),
    Endpoint("GET", "/v1/distribution/lists/", 2756, True, "Get Distribution Lists"),
    Endpoint(
        "GET",
        "/v1/distribution/lists/[ClientUID]/[DistributionListUID]",
        2863,
        True,
        "Get Distribution List Assignments for Client",
    ),
    Endpoint(
        "DELETE",
        "/v1/distribution/lists/[ClientUID]/[DistributionListUID]/[DistributionItemUID]",
        2941,
        True,
        "Remove Distribution List Item",
    ),
    Endpoint(
        "PUT",
        "/v1/distribution/lists/[DistributionListUID]",
        2972,
        True,
        "Create or Modify List Item",
    ),
    Endpoint(
        "PUT",
        "/v1/distribution/lists/[ClientUID]/[DistributionListUID]/[DistributionListItemUID]",
        3008,
        True,
        "Assign List Item to Client",
    ),
    Endpoint(
        "GET",
        "/v1/data/validation/states",
        3029,
        True,
        'List US States (heading repeats "Assign List Item to Client")',
    ),
    Endpoint(
        "GET", "/v1/data/validation/us/zips/state/[State]", 3061, True, "Get US Zip Codes by State"
    ),
    Endpoint(
        "GET",
        "/v1/data/validation/us/zips/state/[State]/[County]",
        3106,
        True,
        "Get US Zip Codes by State and County",
    ),
    Endpoint(
        "GET", "/v1/data/validation/us/zips/fips/[FIPS]", 3150, True, "Get US Zip Codes by FIPS"
    ),
    Endpoint(
        "GET",
        "/v1/data/validation/us/zips/[ZipCode]/radius/[Radius]?InState=true",
        3196,
        True,
        "Get US Zip Codes by Radius",
    ),
    Endpoint("POST", "/v1/data/validation/2fa/[phoneNumber]/send", 3240, True, "Send 2FA SMS Code"),
    Endpoint(
        "POST",
        "/v1/data/validation/2fa/[phoneNumber]/verify/[code]",
        3266,
        True,
        "Verify 2FA SMS Code",
    ),
    Endpoint("PUT", "/v1/leads/cache/update/[LeadUID]", 3291, True, "Update Lead Cache"),
    Endpoint(
        "POST",
        "/v1/leads/search/[LeadTypeUID]",
        3316,
        True,
        "Search for Lead by Contact Information",
    ),
    Endpoint("GET", "/v1/leads/analytics/[LeadUID]", 3390, True, "Lead Analytics Detail"),
    Endpoint(
        "GET",
        "/v1/leads/analytics/visits/[VisitID]",
        3450,
        True,
        "Lead Analytics Detail by VisitID",
    ),
    Endpoint("PUT", "/v1/leads/[LeadUID]/attachments", 3513, True, "Upload Attachment"),
    Endpoint("DELETE", "/v1/leads/[LeadUID]", 3541, True, "Delete Lead"),
    Endpoint("DELETE", "/v1/leads/[LeadUID]/remove", 3566, True, "Remove Lead"),
    Endpoint("GET", "/v1/leadsources", 3590, True, "List Lead Sources"),
    Endpoint("GET", "/v1/leadsources/{vendorUID}", 3687, True, "Lead Source Detail"),
    Endpoint(
        "GET",
        "/v1/leadsources/usernames/check/[Username]",
        3759,
        True,
        "Check Lead Source Username",
    ),
    Endpoint("PUT", "/v1/leadsources", 3807, True, "Create or Modify Lead Source"),
    Endpoint(
        "GET",
        "/v1/leadsources/{vendorUID}/campaigns/{campaignUID}",
        3854,
        True,
        "Lead Source Campaign Details",
    ),
    Endpoint(
        "PUT", "/v1/leadsources/campaigns", 4071, True, "Create or Modify Lead Source Campaign"
    ),
    Endpoint(
        "PUT",
        "/v1/leadsources/[LeadSourceUID]/campaigns/[CampaignUID]/category",
        4152,
        True,
        "Update Category Assignment of a Campaign",
    ),
    Endpoint("GET", "/v1/leadtypes", 4177, True, "Lead Type List"),
    Endpoint("GET", "/v1/leadtypes/[LeadTypeUID]", 4225, True, "Lead Type Properties"),
    Endpoint("GET", "/v1/leadtypes/locate/[LeadUID]", 4263, True, "Lead Type For Lead"),
    Endpoint("GET", "/v1/leadtypes/[LeadTypeUID]/fields", 4301, True, "Fields for Lead Type"),
    Endpoint("GET", "/v1/leadtypes/[LeadTypeUID]/categories", 4464, True, "Lead Categories"),
]
