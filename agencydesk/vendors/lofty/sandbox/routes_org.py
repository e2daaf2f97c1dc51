"""The organisation around the team (document §5.13 Agent Organization, §5.14 Broker,
§5.11 Vendor): offices (POST updates, PUT adds, as documented), company, permission profiles,
broker teams, the vendor list and the old-API-key token exchange."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox.auth import TokenBook
from agencydesk.vendors.lofty.sandbox.state import LoftyState
from agencydesk.vendors.lofty.sandbox.times import iso_time
from agencydesk.vendors.lofty.sandbox.wire import (
    actor,
    body_int,
    body_str,
    fail,
    invalid,
    json_body,
    path_id,
    string_result,
)
from agencydesk.vendors.sandbox_kit.http import json_response

OFFICE_FIELDS = (
    "allowManageSub",
    "city",
    "email",
    "name",
    "parentId",
    "phone",
    "phoneCode",
    "phoneCountry",
    "state",
    "streetAddress",
    "websiteOwnerId",
    "zipcode",
)
COMPANY_FIELDS = (
    "city",
    "email",
    "header",
    "name",
    "phone",
    "phoneCode",
    "phoneCountry",
    "state",
    "streetAddress",
    "zipcode",
)


def routes(state: LoftyState, tokens: TokenBook) -> list[Route]:
    async def org(_request: Request) -> Response:  # L2358 OrganizationInfo (L4800)
        return json_response(
            {
                "orgType": 1,
                "multiTeamInfo": None,
                "enterpriseInfo": {
                    "groupId": 500,
                    "groupName": state.company.get("name"),
                    "profileId": 11,
                    "profileName": "Team Admin",
                    "visibleOrgInfoList": [
                        {
                            "groupId": o["id"],
                            "groupName": o["name"],
                            "parentId": o["parentId"] or 500,
                        }
                        for o in state.offices.values()
                    ],
                },
            }
        )

    async def edit_company(request: Request) -> Response:  # L2378 CompanyOpenVo (L3379)
        body = await json_body(request)
        with state.lock:
            state.company.update({k: body[k] for k in COMPANY_FIELDS if k in body})
        return string_result("success")

    async def update_office(request: Request) -> Response:  # L2410: POST updates (sic)
        body = await json_body(request)
        office = state.offices.get(body_int(body, "id", required=True) or 0)
        if office is None:
            raise fail(404)
        with state.lock:
            office.update({k: body[k] for k in OFFICE_FIELDS if k in body})
        return string_result("success")

    async def add_office(request: Request) -> Response:  # L2442: PUT adds (sic)
        body = await json_body(request)
        name = body_str(body, "name", required=True)
        with state.lock:
            office_id = max(state.offices) + 1
            state.offices[office_id] = {
                **dict.fromkeys(OFFICE_FIELDS),
                "id": office_id,
                **{k: body[k] for k in OFFICE_FIELDS if k in body},
                "name": name,
            }
        return string_result(office_id)

    async def profiles(_request: Request) -> Response:  # L2474
        return json_response([dict(p) for p in state.profiles])

    async def add_team(request: Request) -> Response:  # L2496 BrokerTeam (L3159)
        body = await json_body(request)
        name = body_str(body, "teamName", required=True)
        email = body_str(body, "email", required=True)
        seats = body_int(body, "seatLimit")
        if seats is not None and seats < 1:
            raise invalid("seatLimit", "must be at least 1")
        with state.lock:
            team_id = state.next_id()
            state.broker_teams[team_id] = {
                "id": team_id,
                "teamName": name,
                "email": email,
                "firstName": body_str(body, "firstName"),
                "lastName": body_str(body, "lastName"),
                "phone": body_str(body, "phone"),
                "seatLimit": seats,
                "created": iso_time(state.now()),
            }
        return string_result(team_id)

    async def remove_team(request: Request) -> Response:  # L2528
        if state.broker_teams.pop(path_id(request, "id"), None) is None:
            raise fail(404)
        return string_result("success")

    async def vendor_list(_request: Request) -> Response:  # L2223 VendorInfo[]
        return json_response([dict(v) for v in state.vendors])

    async def token_info(request: Request) -> Response:  # L2243 OauthTokenInfo (L4739)
        member = actor(request)
        token = tokens.issue(member)
        refresh = tokens.issue(member, ttl_seconds=90 * 24 * 3600)
        expires = tokens.expires_at(token)
        refresh_expires = tokens.expires_at(refresh)
        return json_response(
            {
                "token": token,
                "tokenExpireTime": int(expires.timestamp() * 1000) if expires else None,
                "refreshToken": refresh,
                "refreshTokenExpireTime": int(refresh_expires.timestamp() * 1000)
                if refresh_expires
                else None,
            }
        )

    return [
        Route("/v1.0/org", org, methods=["GET"]),
        Route("/v1.0/org/company", edit_company, methods=["POST"]),
        Route("/v1.0/org/office", update_office, methods=["POST"]),
        Route("/v1.0/org/office", add_office, methods=["PUT"]),
        Route("/v1.0/org/permission/profiles", profiles, methods=["GET"]),
        Route("/v1.0/broker/team", add_team, methods=["POST"]),
        Route("/v1.0/broker/team/{id}", remove_team, methods=["DELETE"]),
        Route("/v1.0/vendor/list", vendor_list, methods=["GET"]),
        Route("/v1.0/vendor/oauth/token-info/byold", token_info, methods=["GET"]),
    ]
