"""Reference data and 2FA helpers (L3020-L3282): US states, zip look-ups, SMS codes.

The zip table covers the places the shared population lives in (``catalog.PLACES``); the states
list is complete. A 2FA code lives 10 minutes on the sandbox clock (assumption); tests read it
from ``state.two_factor`` as the phone's owner would from the SMS.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox.auth import guarded
from agencydesk.vendors.leadexec.sandbox.records_leads import ZipCode
from agencydesk.vendors.leadexec.sandbox.wire import fail, json_response, maybe_wrong, not_found

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from agencydesk.vendors.leadexec.sandbox.context import Context
    from agencydesk.vendors.leadexec.sandbox.state import LeadExecState

CODE_TTL = timedelta(minutes=10)


def zip_view(z: ZipCode) -> dict[str, Any]:
    return {
        "USZipUID": z.uid,
        "ZIP": z.zip,
        "City": z.city,
        "State": z.state,
        "FIPS": z.fips,
        "County": z.county,
        "TimeZone": z.time_zone,
        "Lat": z.lat,
        "Long": z.long,
    }


def _zips(ctx: Context, found: list[ZipCode]) -> Response:
    return json_response([maybe_wrong(ctx.faults, zip_view(z)) for z in found])


def _state_abbr(state: LeadExecState, raw: str) -> str:
    wanted = raw.strip().lower()
    for _uid, name, abbr in state.states:
        if wanted in (name.lower(), abbr.lower()):
            return abbr
    raise not_found("State", raw)


@guarded
async def states(request: Request) -> Response:
    """GET /v1/data/validation/states (L3029; its heading is a copy of another, L3020)."""
    ctx: Context = request.app.state.ctx
    rows = [{"StateUID": uid, "Name": name, "Abbr": abbr} for uid, name, abbr in ctx.state.states]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


@guarded
async def zips_by_state(request: Request) -> Response:
    """GET /v1/data/validation/us/zips/state/[State] (L3061)."""
    ctx: Context = request.app.state.ctx
    abbr = _state_abbr(ctx.state, request.path_params["State"])
    return _zips(ctx, [z for z in ctx.state.zips if z.state == abbr])


@guarded
async def zips_by_county(request: Request) -> Response:
    """GET /v1/data/validation/us/zips/state/[State]/[County] (L3106)."""
    ctx: Context = request.app.state.ctx
    abbr = _state_abbr(ctx.state, request.path_params["State"])
    county = request.path_params["County"].strip().lower().removesuffix(" county")
    return _zips(ctx, [z for z in ctx.state.zips if z.state == abbr and z.county.lower() == county])


@guarded
async def zips_by_fips(request: Request) -> Response:
    """GET /v1/data/validation/us/zips/fips/[FIPS] (L3150): the county's 5-digit FIPS."""
    ctx: Context = request.app.state.ctx
    fips = request.path_params["FIPS"].strip()
    return _zips(ctx, [z for z in ctx.state.zips if z.fips == fips])


def _miles(a: ZipCode, b: ZipCode) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.long - a.long)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 3958.8 * 2 * math.asin(math.sqrt(h))


@guarded
async def zips_by_radius(request: Request) -> Response:
    """GET /v1/data/validation/us/zips/[ZipCode]/radius/[Radius]?InState=true (L3196): the
    ``InState`` query parameter is required (L3195), nearest first."""
    ctx: Context = request.app.state.ctx
    code = request.path_params["ZipCode"].strip()
    try:
        radius = float(request.path_params["Radius"])
    except ValueError as exc:
        raise fail(
            400, f"The value '{request.path_params['Radius']}' is not valid for Radius."
        ) from exc
    in_state = request.query_params.get("InState")
    if in_state is None or in_state.lower() not in ("true", "false"):
        raise fail(400, "InState is required (true or false).")
    center = next((z for z in ctx.state.zips if z.zip == code), None)
    if center is None:
        raise not_found("Zip code", code)
    near = [
        (d, z)
        for z in ctx.state.zips
        if (d := _miles(center, z)) <= radius
        and (in_state.lower() == "false" or z.state == center.state)
    ]
    return _zips(ctx, [z for _d, z in sorted(near, key=lambda p: (p[0], p[1].uid))])


def _phone(request: Request) -> str:
    raw = str(request.path_params["phoneNumber"])
    digits = raw.strip().lstrip("+")
    if not digits.isdigit() or len(digits) not in (10, 11):
        raise fail(400, f"The value '{raw}' is not valid for phoneNumber.")
    return digits[-10:]


@guarded
async def send_code(request: Request) -> Response:
    """POST /v1/data/validation/2fa/[phoneNumber]/send (L3240)."""
    ctx: Context = request.app.state.ctx
    phone = _phone(request)
    rng = random.Random(f"2fa:{phone}:{len(ctx.state.two_factor)}:{ctx.clock.now().isoformat()}")
    ctx.state.two_factor[phone] = (f"{rng.randint(0, 999_999):06d}", ctx.clock.now() + CODE_TTL)
    return json_response({"success": True, "message": "2 factor message has been sent"})


@guarded
async def verify_code(request: Request) -> Response:
    """POST /v1/data/validation/2fa/[phoneNumber]/verify/[code] (L3266): a wrong or expired code
    answers ``success: false`` (assumption: the document shows only success)."""
    ctx: Context = request.app.state.ctx
    phone, code = _phone(request), request.path_params["code"].strip()
    sent = ctx.state.two_factor.get(phone)
    if sent is None or sent[0] != code or ctx.clock.now() >= sent[1]:
        return json_response({"success": False, "message": "2 factor verification failed"})
    del ctx.state.two_factor[phone]
    return json_response({"success": True, "message": "2 factor successfully verified"})


DATA = "/v1/data/validation"
ROUTES = [
    Route(f"{DATA}/states", states, methods=["GET"]),
    Route(f"{DATA}/us/zips/state/{{State}}", zips_by_state, methods=["GET"]),
    Route(f"{DATA}/us/zips/state/{{State}}/{{County}}", zips_by_county, methods=["GET"]),
    Route(f"{DATA}/us/zips/fips/{{FIPS}}", zips_by_fips, methods=["GET"]),
    Route(f"{DATA}/us/zips/{{ZipCode}}/radius/{{Radius}}", zips_by_radius, methods=["GET"]),
    Route(f"{DATA}/2fa/{{phoneNumber}}/send", send_code, methods=["POST"]),
    Route(f"{DATA}/2fa/{{phoneNumber}}/verify/{{code}}", verify_code, methods=["POST"]),
]
