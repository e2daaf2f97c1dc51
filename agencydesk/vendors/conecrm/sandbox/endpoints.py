"""Every endpoint of the ConeCRM document (42) and whether the sandbox serves it."""

from __future__ import annotations

from agencydesk.vendors.sandbox_kit.base import Endpoint

DOCUMENT = "conecrm-api.txt"

ENDPOINTS: list[Endpoint] = [
    Endpoint("GET", "/api/account", 96, True, "Get Accounts (offset/limit, {total, accounts})"),
    Endpoint("POST", "/api/account", 1089, True, "Create a new account"),
    Endpoint("DELETE", "/api/account/{account}", 2044, True, "Delete an account"),
    Endpoint("PATCH", "/api/account/{account}", 2562, True, "Update an existing account"),
    Endpoint("GET", "/api/automation/builder/data", 3537, True, "Automation builder data"),
    Endpoint("GET", "/api/automation", 3650, True, "List automations"),
    Endpoint("POST", "/api/automation", 3782, True, "Create a new automation"),
    Endpoint("GET", "/api/automation/{automation}", 3925, True, "Get an automation"),
    Endpoint("DELETE", "/api/automation/{automation}", 4028, True, "Delete an automation"),
    Endpoint("PATCH", "/api/automation/{automation}", 4155, True, "Update an automation"),
    Endpoint("POST", "/api/automation/{automation}/duplicate", 4300, True, "Duplicate"),
    Endpoint("GET", "/api/contact", 4422, True, "Get Contacts (start/limit, bare array)"),
    Endpoint("GET", "/api/contact/{contact}/lead/open", 4812, True, "Contact's open leads"),
    Endpoint("GET", "/api/contact/phone/{phone}", 5154, True, "Contacts by phone"),
    Endpoint("GET", "/api/custom-field", 5250, True, "Retrieve all custom fields"),
    Endpoint("POST", "/api/custom-field", 5376, True, "Create a new custom field"),
    Endpoint("GET", "/api/custom-field/{entity}", 5470, True, "Custom fields of an entity"),
    Endpoint("DELETE", "/api/custom-field/{customField}", 5549, True, "Delete a custom field"),
    Endpoint("PATCH", "/api/custom-field/{customField}", 5660, True, "Update a custom field"),
    Endpoint("GET", "/api/custom-labels", 5774, True, "List all custom labels"),
    Endpoint("POST", "/api/custom-labels", 5947, True, "Create a new custom label"),
    Endpoint("DELETE", "/api/custom-labels/{id}", 6085, True, "Soft-delete a custom label"),
    Endpoint("PATCH", "/api/custom-labels/{id}", 6200, True, "Update a custom label"),
    Endpoint("GET", "/api/filters", 6341, True, "All available filters ({data: [...]})"),
    Endpoint("GET", "/api/filters/{entity}", 6453, True, "Filters of one entity"),
    Endpoint("POST", "/api/lead", 6628, True, "Create a new lead"),
    Endpoint("POST", "/api/lead/{lead}/copy", 7557, True, "Copy a lead"),
    Endpoint("GET", "/api/query-builder/config/{entity}", 8440, True, "QueryBuilder config"),
    Endpoint("POST", "/api/query-builder/filter/{entity}", 8581, True, "Apply query filters"),
    Endpoint("GET", "/api/saved-filter", 8720, True, "List saved filters"),
    Endpoint("POST", "/api/saved-filter", 8853, True, "Create a saved filter (201)"),
    Endpoint("GET", "/api/saved-filter/{id}", 8974, True, "Get a saved filter"),
    Endpoint("DELETE", "/api/saved-filter/{filter}", 9067, True, "Delete a saved filter (204)"),
    Endpoint("PATCH", "/api/saved-filter/{filter}", 9181, True, "Update a saved filter"),
    Endpoint("GET", "/api/stage", 9307, True, "List all stages"),
    Endpoint("POST", "/api/stage", 9427, True, "Create a stage (201)"),
    Endpoint("GET", "/api/stage/{id}", 9536, True, "Get a stage"),
    Endpoint("DELETE", "/api/stage/{id}", 9622, True, "Delete a stage (204; 400 if in use)"),
    Endpoint("PATCH", "/api/stage/{id}", 9733, True, "Update a stage"),
    Endpoint("POST", "/api/task", 9864, True, "Create a new task"),
    Endpoint("DELETE", "/api/task/{task}", 10789, True, "Delete a task"),
    Endpoint("PATCH", "/api/task/{task}", 10906, True, "Update a task (full replace)"),
]
