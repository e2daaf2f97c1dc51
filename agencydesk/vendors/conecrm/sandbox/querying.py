"""What can be filtered, per entity, and evaluating react-querybuilder queries (L11889-L11996).

The document never lists the valid ``{entity}`` names; the sandbox offers ``contact``,
``account`` and ``lead`` (an assumption), each with typed fields (``Filter.type`` enum, L13097).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agencydesk.vendors.conecrm.sandbox.responses import parse_iso
from agencydesk.vendors.conecrm.sandbox.state import ConeState, Customer, Lead

OPERATORS = (
    "=", "!=", ">", ">=", "<", "<=", "contains", "doesNotContain", "beginsWith",
    "doesNotBeginWith", "endsWith", "doesNotEndWith", "null", "notNull", "in", "notIn",
    "between", "notBetween",
)  # fmt: skip
BY_TYPE = {
    "string": ("=", "!=", "contains", "doesNotContain", "beginsWith", "doesNotBeginWith",
               "endsWith", "doesNotEndWith", "null", "notNull", "in", "notIn"),
    "number": ("=", "!=", ">", ">=", "<", "<=", "between", "notBetween", "null", "notNull",
               "in", "notIn"),
    "boolean": ("=", "!="),
    "datetime": ("=", "!=", ">", ">=", "<", "<=", "between", "notBetween", "null", "notNull"),
    "enum": ("=", "!=", "in", "notIn", "null", "notNull"),
}  # fmt: skip


class QueryError(ValueError):
    """A query the endpoint answers 400 ``{"error": …}`` for (L8617)."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    field: str
    type: str
    label: str
    get: Callable[[Any], Any]
    options: Callable[[ConeState], list[dict[str, str]]] | None = None


def _customer(name: str) -> Callable[[Customer], Any]:
    return lambda c: c.fields.get(name)


def _named(table: str) -> Callable[[ConeState], list[dict[str, str]]]:
    def options(state: ConeState) -> list[dict[str, str]]:
        named: dict[str, Any] = getattr(state, table)
        return [{"value": n.id, "label": n.name} for n in named.values()]

    return options


CONTACT_SPECS = (
    FieldSpec("firstName", "string", "First name", _customer("firstName")),
    FieldSpec("lastName", "string", "Last name", _customer("lastName")),
    FieldSpec("companyName", "string", "Company name", _customer("companyName")),
    FieldSpec("primaryEmail", "string", "Primary email", _customer("primaryEmail")),
    FieldSpec("mobilePhone", "string", "Mobile phone", _customer("mobilePhone")),
    FieldSpec("city", "string", "City", _customer("city")),
    FieldSpec("province", "string", "Province/State", _customer("province")),
    FieldSpec("postalCode", "string", "Postal/ZIP code", _customer("postalCode")),
    FieldSpec("isActive", "boolean", "Active", _customer("isActive")),
    FieldSpec("dateCreated", "datetime", "Date created", lambda c: c.audit.created),
)
ACCOUNT_SPECS = (
    FieldSpec("name", "string", "Name", lambda a: a.name),
    FieldSpec("primaryEmail", "string", "Primary email", _customer("primaryEmail")),
    FieldSpec("city", "string", "City", _customer("city")),
    FieldSpec("province", "string", "Province/State", _customer("province")),
    FieldSpec("isActive", "boolean", "Active", _customer("isActive")),
    FieldSpec("dateCreated", "datetime", "Date created", lambda a: a.audit.created),
)
LEAD_SPECS = (
    FieldSpec("subject", "string", "Subject", lambda ld: ld.subject),
    FieldSpec("category", "string", "Category", lambda ld: ld.category),
    FieldSpec("status", "enum", "Status", lambda ld: ld.status, _named("statuses")),
    FieldSpec("stage", "enum", "Stage", lambda ld: ld.stage, _named("stages")),
    FieldSpec("source", "enum", "Source", lambda ld: ld.source, _named("sources")),
    FieldSpec("contact", "string", "Contact ID", lambda ld: ld.contact),
    FieldSpec(
        "customerInitiated", "boolean", "Customer initiated", lambda ld: ld.customer_initiated
    ),
    FieldSpec("priority", "number", "Priority", lambda ld: ld.priority),
    FieldSpec("dateCreated", "datetime", "Date created", lambda ld: ld.audit.created),
)
ENTITY_SPECS: dict[str, tuple[FieldSpec, ...]] = {
    "contact": CONTACT_SPECS,
    "account": ACCOUNT_SPECS,
    "lead": LEAD_SPECS,
}


def records_of(state: ConeState, entity: str) -> list[Customer | Lead]:
    tables: dict[str, dict[str, Any]] = {
        "contact": state.contacts,
        "account": state.accounts,
        "lead": state.leads,
    }
    return [r for r in tables[entity].values() if r.audit.deleted is None]


def filter_json(state: ConeState, spec: FieldSpec) -> dict[str, Any]:
    """Filter2 (L6483-L6487)."""
    return {
        "field": spec.field,
        "type": spec.type,
        "label": spec.label,
        "operators": list(BY_TYPE[spec.type]),
        "options": spec.options(state) if spec.options else None,
    }


def _typed(spec: FieldSpec, raw: Any) -> Any:
    if spec.type == "number":
        try:
            return float(raw)
        except (TypeError, ValueError) as exc:
            raise QueryError(f"Invalid number for field {spec.field}: {raw!r}") from exc
    if spec.type == "boolean":
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in ("true", "1", "false", "0"):
            return str(raw).lower() in ("true", "1")
        raise QueryError(f"Invalid boolean for field {spec.field}: {raw!r}")
    if spec.type == "datetime":
        try:
            return parse_iso(str(raw))
        except ValueError as exc:
            raise QueryError(f"Invalid date for field {spec.field}: {raw!r}") from exc
    return "" if raw is None else str(raw)


def _values(spec: FieldSpec, raw: Any) -> list[Any]:
    items = raw if isinstance(raw, list) else str(raw or "").split(",")
    return [_typed(spec, item.strip() if isinstance(item, str) else item) for item in items]


def _compare(spec: FieldSpec, operator: str, actual: Any, raw: Any) -> bool:
    if operator == "null":
        return actual is None or actual == ""
    if operator == "notNull":
        return not (actual is None or actual == "")
    if operator in ("in", "notIn"):
        found = actual in _values(spec, raw)
        return found if operator == "in" else not found
    if operator in ("between", "notBetween"):
        bounds = _values(spec, raw)
        if len(bounds) != 2:
            raise QueryError(f"Operator {operator} needs two values for field {spec.field}")
        inside = actual is not None and bounds[0] <= actual <= bounds[1]
        return inside if operator == "between" else not inside
    wanted = _typed(spec, raw)
    if operator == "=":
        return bool(actual == wanted)
    if operator == "!=":
        return bool(actual != wanted)
    if actual is None:
        return False
    if operator in (">", ">=", "<", "<="):
        return bool(
            {">": actual > wanted, ">=": actual >= wanted, "<": actual < wanted,
             "<=": actual <= wanted}[operator]
        )  # fmt: skip
    text, needle = str(actual).casefold(), str(wanted).casefold()
    tests = {
        "contains": needle in text,
        "doesNotContain": needle not in text,
        "beginsWith": text.startswith(needle),
        "doesNotBeginWith": not text.startswith(needle),
        "endsWith": text.endswith(needle),
        "doesNotEndWith": not text.endswith(needle),
    }
    return tests[operator]


def compile_group(entity: str, group: Any) -> Callable[[Any], bool]:
    """A predicate for a QueryBuilderQuery.query / QueryBuilderRuleGroup; QueryError if bad."""
    specs = {s.field: s for s in ENTITY_SPECS[entity]}
    if not isinstance(group, dict) or not isinstance(group.get("rules"), list):
        raise QueryError("Invalid query: a rule group needs a rules array")
    combinator = group.get("combinator", "and")
    if combinator not in ("and", "or"):
        raise QueryError(f"Invalid combinator: {combinator!r}")
    parts: list[Callable[[Any], bool]] = []
    for rule in group["rules"]:
        if isinstance(rule, dict) and "rules" in rule:
            parts.append(compile_group(entity, rule))
            continue
        if not isinstance(rule, dict):
            raise QueryError("Invalid rule")
        spec = specs.get(str(rule.get("field")))
        if spec is None:
            raise QueryError(f"Unknown field for {entity}: {rule.get('field')!r}")
        operator = rule.get("operator")
        if operator not in BY_TYPE[spec.type]:
            raise QueryError(f"Operator {operator!r} is not allowed for field {spec.field}")
        if operator not in ("null", "notNull"):
            _values(spec, rule.get("value")) if operator in (
                "in", "notIn", "between", "notBetween"
            ) else _typed(spec, rule.get("value"))  # fmt: skip
        parts.append(_rule(spec, str(operator), rule.get("value")))
    negate = bool(group.get("not", False))

    def matches(record: Any) -> bool:
        results = (part(record) for part in parts)
        hit = all(results) if combinator == "and" else any(results)
        return hit != negate

    return matches


def _rule(spec: FieldSpec, operator: str, raw: Any) -> Callable[[Any], bool]:
    def test(record: Any) -> bool:
        return _compare(spec, operator, _get(spec, record), raw)

    return test


def _get(spec: FieldSpec, record: Any) -> Any:
    value = spec.get(record)
    if spec.type == "number" and value is not None:
        return float(value)
    if spec.type == "datetime" and isinstance(value, datetime):
        return value
    return value
