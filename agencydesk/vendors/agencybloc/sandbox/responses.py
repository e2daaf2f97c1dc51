"""The two answer envelopes of AgencyBloc: success (L72, L184) and exception (L185-L187).

The top-level key really is ``"Agencybloc Response"`` (space, lower-case ``b``), and ``Status``
and ``policyID`` are strings there, while search and detail carry ``policyID`` as an integer.
"""

from __future__ import annotations

from starlette.responses import Response

from agencydesk.vendors.sandbox_kit.http import json_response

ENVELOPE = "Agencybloc Response"

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
}


def success(policy_id: int, action: str) -> Response:
    return json_response(
        {ENVELOPE: {"Status": "200", "policyID": str(policy_id), "Action": action}}
    )


def exception(status: int, message: str) -> Response:
    """The documented exception body; the HTTP status equals ``Status`` (an assumption)."""
    body = {
        ENVELOPE: {
            "Exception": {
                "Status": str(status),
                "Title": TITLES.get(status, "Error"),
                "Message": message,
            }
        }
    }
    return json_response(body, status=status)


def rate_limited(retry_after: int) -> Response:
    response = exception(429, f"Rate limit exceeded; retry in {retry_after} seconds")
    response.headers["Retry-After"] = str(retry_after)
    return response


def server_error(status: int) -> Response:
    return exception(status, "An unexpected error occurred")
