"""Opportunity Management routes (L5050-L5856): opportunities by id, their drivers and
vehicles (created under an opportunity, then read/updated/deleted by their own id, linked and
unlinked)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from agencydesk.vendors.agencyzoom.sandbox import shapes
from agencydesk.vendors.agencyzoom.sandbox.common import (
    fail,
    field_value,
    parse_any_date,
    parse_write,
    std,
)
from agencydesk.vendors.agencyzoom.sandbox.lead_children import (
    delete_opportunity,
    fill_opportunity,
)
from agencydesk.vendors.agencyzoom.sandbox.records import (
    Contact,
    Driver,
    DriverWrite,
    Opportunity,
    Vehicle,
    VehicleWrite,
)
from agencydesk.vendors.agencyzoom.sandbox.routing import Ctx, route
from agencydesk.vendors.sandbox_kit.http import json_response

RELATIONSHIPS = ("IN", "SP", "PA", "CH", "OT")  # L5010
GENDERS = ("M", "F", "U", "X")
OWNERSHIP = ("Owned", "Financed", "Leased", "")  # "empty means Owned" (L5260)


def get_opportunity(ctx: Ctx) -> Opportunity:
    oid = ctx.path_int("opportunityId")
    opp = ctx.state.opportunities.get(oid)
    if opp is None or opp.is_quote:
        raise fail(f"opportunity {oid} not found")
    return opp


def get_driver(ctx: Ctx) -> Driver:
    did = ctx.path_int("driverId")
    if did not in ctx.state.drivers:
        raise fail(f"driver {did} not found")
    return ctx.state.drivers[did]


def get_vehicle(ctx: Ctx) -> Vehicle:
    vid = ctx.path_int("vehicleId")
    if vid not in ctx.state.vehicles:
        raise fail(f"vehicle {vid} not found")
    return ctx.state.vehicles[vid]


def parse_driver(body: dict[str, Any]) -> DriverWrite:
    data = parse_write(DriverWrite, body, required=("firstName", "lastName"))
    if data.relationship is not None and data.relationship not in RELATIONSHIPS:
        raise fail("relationship must be one of IN, SP, PA, CH, OT")
    if data.gender is not None and data.gender not in GENDERS:
        raise fail("gender must be one of M, F, U, X")
    if data.maritalStatus is not None and not 1 <= data.maritalStatus <= 10:
        raise fail("maritalStatus must be 1-10")
    if data.birthday and parse_any_date(data.birthday) is None:
        raise fail("birthday must be MM/dd/YYYY")
    if data.stateLicensed is not None and len(data.stateLicensed) != 2:
        raise fail("stateLicensed must be a two-letter state")
    return data


def parse_vehicle(body: dict[str, Any]) -> VehicleWrite:
    data = parse_write(VehicleWrite, body, required=("make",))
    if data.ownership is not None and data.ownership not in OWNERSHIP:
        raise fail('ownership must be "Owned", "Financed" or "Leased"')
    if data.year is not None and not 1900 <= data.year <= 2100:
        raise fail("year is out of range")
    return data


@route("POST", "/v1/api/opportunities", 5856)  # L5856
async def create(ctx: Ctx) -> Response:
    """Requires only ``productLineId`` (or its code) and ``customerReferralId``, the lead id
    (L5800-L5850)."""
    body = await ctx.body()
    st = ctx.state
    lead_id = field_value(body, "customerReferralId", int, required=True)
    if lead_id not in st.leads:
        raise fail(f"customerReferralId {lead_id} is not a lead")
    if body.get("productLineId") is None and not body.get("standardProductLineCode"):
        raise fail("productLineId is required")
    opp = Opportunity(0, lead_id, None, None, None, 1)
    fill_opportunity(st, opp, body, required=False, quote=False)
    opp.id = st.next_id("opportunity")
    st.add_opportunity(opp)
    st.leads[lead_id].last_activity = ctx.clock.now()
    st.touch()
    return std("Opportunity created", opp.id)


@route("GET", "/v1/api/opportunities/{opportunityId}", 5439)  # L5439
async def detail(ctx: Ctx) -> Response:
    return json_response(shapes.opportunity(ctx.state, get_opportunity(ctx)))


@route("PUT", "/v1/api/opportunities/{opportunityId}", 5523)  # L5523
async def update(ctx: Ctx) -> Response:
    """Nothing required; fields sent replace, others stay."""
    opp = get_opportunity(ctx)
    fill_opportunity(ctx.state, opp, await ctx.body(), required=False, quote=False)
    ctx.state.touch()
    return std("Opportunity updated", opp.id)


@route("DELETE", "/v1/api/opportunities/{opportunityId}", 5580)  # L5580
async def delete(ctx: Ctx) -> Response:
    opp = get_opportunity(ctx)
    delete_opportunity(ctx.state, opp)
    return std("Opportunity deleted", opp.id)


@route("POST", "/v1/api/opportunities/{opportunityId}/driver", 5050)  # L5050
async def create_driver(ctx: Ctx) -> Response:
    """``createContact`` "Default to true": the driver also becomes a contact (L5040)."""
    opp = get_opportunity(ctx)
    body = await ctx.body()
    data = parse_driver(body)
    create_contact = field_value(body, "createContact", bool)
    st = ctx.state
    did = st.next_id("driver")
    st.drivers[did] = Driver(did, data)
    opp.driver_ids.append(did)
    if create_contact is None or create_contact:
        cid = st.next_id("contact")
        st.contacts[cid] = Contact(
            cid, data.firstName or "", data.lastName, None, None, None, opp.lead_id
        )
    st.touch()
    return std("Driver created", did)


@route("GET", "/v1/api/opportunities/drivers/{driverId}", 5096)  # L5096
async def driver_detail(ctx: Ctx) -> Response:
    return json_response(shapes.driver(get_driver(ctx)))


@route("PUT", "/v1/api/opportunities/drivers/{driverId}", 5175)  # L5175
async def update_driver(ctx: Ctx) -> Response:
    driver = get_driver(ctx)
    driver.data = parse_driver(await ctx.body())
    ctx.state.touch()
    return std("Driver updated", driver.id)


@route("DELETE", "/v1/api/opportunities/drivers/{driverId}", 5220)  # L5220
async def delete_driver(ctx: Ctx) -> Response:
    driver = get_driver(ctx)
    del ctx.state.drivers[driver.id]
    for opp in ctx.state.opportunities.values():
        if driver.id in opp.driver_ids:
            opp.driver_ids.remove(driver.id)
    ctx.state.touch()
    return std("Driver deleted", driver.id)


@route("GET", "/v1/api/opportunities/{opportunityId}/drivers", 5608)  # L5608
async def drivers(ctx: Ctx) -> Response:
    opp = get_opportunity(ctx)
    return json_response(
        [shapes.driver(ctx.state.drivers[i]) for i in opp.driver_ids if i in ctx.state.drivers]
    )


@route("PUT", "/v1/api/opportunities/{opportunityId}/link-driver/{driverId}", 5651)  # L5651
async def link_driver(ctx: Ctx) -> Response:
    opp, driver = get_opportunity(ctx), get_driver(ctx)
    if driver.id not in opp.driver_ids:
        opp.driver_ids.append(driver.id)
    ctx.state.touch()
    return std("Driver linked", driver.id)


@route("PUT", "/v1/api/opportunities/{opportunityId}/unlink-driver/{driverId}", 5684)  # L5684
async def unlink_driver(ctx: Ctx) -> Response:
    opp, driver = get_opportunity(ctx), get_driver(ctx)
    if driver.id not in opp.driver_ids:
        raise fail(f"driver {driver.id} is not linked to opportunity {opp.id}")
    opp.driver_ids.remove(driver.id)
    ctx.state.touch()
    return std("Driver unlinked", driver.id)


@route("POST", "/v1/api/opportunities/{opportunityId}/vehicle", 5273)  # L5273
async def create_vehicle(ctx: Ctx) -> Response:
    opp = get_opportunity(ctx)
    data = parse_vehicle(await ctx.body())
    vid = ctx.state.next_id("vehicle")
    ctx.state.vehicles[vid] = Vehicle(vid, data)
    opp.vehicle_ids.append(vid)
    ctx.state.touch()
    return std("Vehicle created", vid)


@route("GET", "/v1/api/opportunities/vehicles/{vehicleId}", 5314)  # L5314
async def vehicle_detail(ctx: Ctx) -> Response:
    return json_response(shapes.vehicle(get_vehicle(ctx)))


@route("PUT", "/v1/api/opportunities/vehicles/{vehicleId}", 5370)  # L5370
async def update_vehicle(ctx: Ctx) -> Response:
    vehicle = get_vehicle(ctx)
    vehicle.data = parse_vehicle(await ctx.body())
    ctx.state.touch()
    return std("Vehicle updated", vehicle.id)


@route("DELETE", "/v1/api/opportunities/vehicles/{vehicleId}", 5411)  # L5411
async def delete_vehicle(ctx: Ctx) -> Response:
    vehicle = get_vehicle(ctx)
    del ctx.state.vehicles[vehicle.id]
    for opp in ctx.state.opportunities.values():
        if vehicle.id in opp.vehicle_ids:
            opp.vehicle_ids.remove(vehicle.id)
    ctx.state.touch()
    return std("Vehicle deleted", vehicle.id)


@route("GET", "/v1/api/opportunities/{opportunityId}/vehicles", 5712)  # L5712
async def vehicles(ctx: Ctx) -> Response:
    opp = get_opportunity(ctx)
    return json_response(
        [shapes.vehicle(ctx.state.vehicles[i]) for i in opp.vehicle_ids if i in ctx.state.vehicles]
    )


@route("PUT", "/v1/api/opportunities/{opportunityId}/link-vehicle/{vehicleId}", 5784)  # L5784
async def link_vehicle(ctx: Ctx) -> Response:
    opp, vehicle = get_opportunity(ctx), get_vehicle(ctx)
    if vehicle.id not in opp.vehicle_ids:
        opp.vehicle_ids.append(vehicle.id)
    ctx.state.touch()
    return std("Vehicle linked", vehicle.id)


@route("PUT", "/v1/api/opportunities/{opportunityId}/unlink-vehicle/{vehicleId}", 5751)  # L5751
async def unlink_vehicle(ctx: Ctx) -> Response:
    opp, vehicle = get_opportunity(ctx), get_vehicle(ctx)
    if vehicle.id not in opp.vehicle_ids:
        raise fail(f"vehicle {vehicle.id} is not linked to opportunity {opp.id}")
    opp.vehicle_ids.remove(vehicle.id)
    ctx.state.touch()
    return std("Vehicle unlinked", vehicle.id)
