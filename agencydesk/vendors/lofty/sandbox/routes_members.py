"""Team members (document §5.6 Members, §5.10 User Account, §5.1 Agent User)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record, all_or_nothing
from agencydesk.vendors.lofty.sandbox.views import member_view
from agencydesk.vendors.lofty.sandbox.wire import (
    actor,
    body_int,
    body_str,
    body_strs,
    fail,
    invalid,
    json_body,
    path_id,
    q_ints,
    q_offset,
    q_page,
    string_result,
)
from agencydesk.vendors.sandbox_kit.http import json_response

MEMBERS_DEFAULT, MEMBERS_MAX = 10, 100  # L1571-1580 state neither: assumption
USER_FIELDS = ("firstName", "lastName", "email", "phoneNumber", "headPortrait", "timeZoneId")


def routes(state: LoftyState) -> list[Route]:
    def new_member(
        first: str | None, last: str | None, email: str, phone: str | None, group: int | None
    ) -> Record:
        if state.member_by_email(email) is not None:
            raise invalid("emailAddress", f"'{email}' already has an account")
        member_id = max(state.members) + 1
        offices = state.offices.get(group or 501)
        member = {
            **state.owner,
            "id": member_id,
            "memberUserId": 100_000_000_514 + (member_id - 1001) * 37,
            "firstName": first or "",
            "lastName": last or "",
            "firstLetter": (first or "?")[:1].upper(),
            "email": email,
            "phoneNumber": phone,
            "virtualNumber": None,
            "role": 2,
            "roleName": "Agent",
            "isAdmin": False,
            "invitorUserId": state.owner["memberUserId"],
            "groupId": offices["id"] if offices else None,
            "groupName": offices["name"] if offices else None,
            "newLeadCount": 0,
            "agentInfo": dict(state.owner["agentInfo"]),
            "_profileId": 12,
            "_permissions": [],
        }
        state.members[member_id] = member
        state.emit_event(1, member_view(state, member))
        return member

    def account_response(member: Record) -> Record:  # AccountResponse (L2983)
        return {
            "agentId": member["id"],
            "emailAddress": member["email"],
            "firstName": member["firstName"],
            "lastName": member["lastName"],
            "phone": member["phoneNumber"],
            "groupId": member["groupId"],
            "profileId": member.get("_profileId", 11),
            "permissions": list(member.get("_permissions", [])),
            "seatType": 1,
            "sendingEmailAddress": member.get("_sending"),
            "allowChangeSendingEmailAddress": bool(member.get("_allowSending")),
            "teamId": state.team_id,
        }

    def apply_account(member: Record, body: dict[str, Any]) -> None:
        for src, dst in (
            ("firstName", "firstName"),
            ("lastName", "lastName"),
            ("phone", "phoneNumber"),
            ("emailAddress", "email"),
        ):
            if src in body:
                member[dst] = body_str(body, src)
        if "groupId" in body:
            group = body_int(body, "groupId")
            if group not in state.offices:
                raise invalid("groupId", f"{group} is not an office of this team")
            member["groupId"], member["groupName"] = group, state.offices[group]["name"]
        if "profileId" in body:
            profile = body_int(body, "profileId")
            if profile not in {p["id"] for p in state.profiles}:
                raise invalid("profileId", f"{profile} is not a permission profile")
            member["_profileId"] = profile
        if "permissions" in body:
            member["_permissions"] = body_strs(body, "permissions") or []
        if "licenseId" in body:
            member["agentInfo"]["licenseId"] = body_str(body, "licenseId")
        if "sendingEmailAddress" in body:
            member["_sending"] = body_str(body, "sendingEmailAddress")
        if "allowChangeSendingEmailAddress" in body:
            member["_allowSending"] = bool(body["allowChangeSendingEmailAddress"])

    async def me(request: Request) -> Response:  # L1547 UserResponse
        return json_response(member_view(state, state.members[actor(request)]))

    async def members(request: Request) -> Response:  # L1567 MemberListResponse (L4636)
        cap = state.config.live_page_cap or MEMBERS_MAX
        limit = q_page(request, default=min(MEMBERS_DEFAULT, cap), maximum=cap)
        offset = q_offset(request)
        groups = set(q_ints(request, "groupIds"))
        rows = [
            m
            for m in sorted(state.members.values(), key=lambda m: m["id"])
            if not groups or m["groupId"] in groups
        ]
        meta = {
            "collection": "members",
            "limit": limit,
            "offset": offset,
            "total": len(rows),
            "scrollId": None,
        }  # MetaData (L4658)
        return json_response(
            {
                "_metadata": meta,
                "members": [member_view(state, m) for m in rows[offset : offset + limit]],
            }
        )

    async def by_account(request: Request) -> Response:  # L1605 string, produces */*
        member = state.member_by_email(request.path_params["account"])
        if member is None:
            raise fail(404)
        return json_response(member_view(state, member))

    async def user(request: Request) -> Response:  # L1634 deprecated
        member = state.member(path_id(request, "userId"))
        if member is None:
            raise fail(404)
        return json_response(member_view(state, member))

    async def edit_user(request: Request) -> Response:  # L1664 UserRequest (L5238)
        member = state.member(path_id(request, "userId"))
        if member is None:
            raise fail(404)
        body = await json_body(request)
        with state.lock:
            for name in USER_FIELDS:
                if name in body:
                    member[name] = body_str(body, name)
            if isinstance(body.get("agentInfo"), dict):
                member["agentInfo"].update(body["agentInfo"])
            state.emit_event(1, member_view(state, member))
        return string_result("success")

    async def create_account(request: Request) -> Response:  # L2157 AccountRequest (L2932)
        body = await json_body(request)
        email = body_str(body, "emailAddress", required=True) or ""
        with state.lock:
            member = new_member(
                body_str(body, "firstName"),
                body_str(body, "lastName"),
                email,
                body_str(body, "phone"),
                body_int(body, "groupId"),
            )
            try:
                apply_account(member, body)
            except Exception:
                del state.members[member["id"]]  # all or nothing
                raise
        return json_response(account_response(member))

    async def edit_account(request: Request) -> Response:  # L2189: teamMemberUserId picks
        body = await json_body(request)
        member = state.member(body_int(body, "teamMemberUserId", required=True))
        if member is None:
            raise fail(404)
        with state.lock:
            all_or_nothing(member, lambda draft: apply_account(draft, body))
            state.emit_event(1, member_view(state, member))
        return json_response(account_response(member))

    async def profile_add(request: Request) -> Response:  # L66 AgentProfile (L3055)
        body = await json_body(request)
        info = body.get("accountInfo")
        if not isinstance(info, dict):
            raise invalid("accountInfo", "is required")
        email = body_str(info, "emailAddress", required=True) or ""
        with state.lock:
            member = new_member(
                body_str(info, "firstName"),
                body_str(info, "lastName"),
                email,
                body_str(info, "phoneNumber"),
                body_int(info, "groupId"),
            )
            work = body.get("workInfo")
            if isinstance(work, dict):
                member["agentInfo"].update(
                    {
                        k: work[k]
                        for k in ("companyAddress", "companyName", "licenseId", "position")
                        if k in work
                    }
                )
            if body.get("agentPid"):
                member["agentInfo"]["agentPid"] = str(body["agentPid"])
        # Result«long» (L4841) is the only schema of this shape: an assumption.
        return json_response(
            {"data": member["id"], "errorCode": 0, "errorData": None, "errorMsg": None}
        )

    return [
        Route("/v1.0/me", me, methods=["GET"]),
        Route("/v1.0/members", members, methods=["GET"]),
        Route("/v1.0/members/{account}", by_account, methods=["GET"]),
        Route("/v1.0/users/{userId}", user, methods=["GET"]),
        Route("/v1.0/users/{userId}", edit_user, methods=["PUT"]),
        Route("/v1.0/agent", create_account, methods=["POST"]),
        Route("/v1.0/agent", edit_account, methods=["PUT"]),
        Route("/v1.0/agent/profile/add", profile_add, methods=["POST"]),
    ]
