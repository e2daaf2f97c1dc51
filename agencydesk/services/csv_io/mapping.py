"""Which column fills which field: matched from the headers, changeable by hand, checked before
any row is read (a required field with no column, or two columns filling one field).
"""

from __future__ import annotations

from dataclasses import dataclass

from agencydesk.domain import RecordKind
from agencydesk.services.csv_io.fields import NAME_FIELDS, field_specs, label_of
from agencydesk.services.csv_io.problems import CsvProblem, column_name
from agencydesk.services.csv_io.synonyms import header_lookup, normalise_header

__all__ = ["ColumnMapping", "auto_map", "check_mapping", "normalise_header"]


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """``fields[i]`` is the field column ``i`` fills, or "" to ignore the column."""

    headers: tuple[str, ...]
    fields: tuple[str, ...]

    def with_field(self, column: int, field: str) -> ColumnMapping:
        fields = list(self.fields)
        fields[column] = field
        return ColumnMapping(self.headers, tuple(fields))

    def as_preset(self) -> dict[str, str]:
        """header -> field, what a named preset stores (headers are matched normalised)."""
        return {h: f for h, f in zip(self.headers, self.fields, strict=True) if f}

    def mapped(self) -> list[tuple[int, str]]:
        return [(index, field) for index, field in enumerate(self.fields) if field]


def auto_map(
    kind: RecordKind, headers: list[str], preset: dict[str, str] | None = None
) -> ColumnMapping:
    """Match headers to fields. A preset (header -> field) is applied first; each remaining field
    goes to the column whose header is its best-ranked synonym; identical headers all map (so the
    check can report them)."""
    names = {spec.name for spec in field_specs(kind)}
    fields = [""] * len(headers)
    if preset:
        by_header = {normalise_header(h): f for h, f in preset.items() if f in names}
        for index, header in enumerate(headers):
            fields[index] = by_header.get(normalise_header(header), "")
    lookup = header_lookup(kind)
    taken = {field for field in fields if field}
    best: dict[str, tuple[int, list[int]]] = {}
    for index, header in enumerate(headers):
        if fields[index]:
            continue
        hit = lookup.get(normalise_header(header))
        if hit is None or hit[1] in taken:
            continue
        rank, field = hit
        current = best.get(field)
        if current is None or rank < current[0]:
            best[field] = (rank, [index])
        elif rank == current[0] and normalise_header(headers[current[1][0]]) == normalise_header(
            header
        ):
            current[1].append(index)  # the same header twice: reported by check_mapping
    for field, (_rank, columns) in best.items():
        for index in columns:
            fields[index] = field
    return ColumnMapping(tuple(headers), tuple(fields))


def check_mapping(kind: RecordKind, mapping: ColumnMapping) -> None:
    """Raise CsvProblem (row 1 = the header) for a field filled twice or a required one missing."""
    seen: dict[str, int] = {}
    for index, field in mapping.mapped():
        if field in seen:
            first = seen[field]
            raise CsvProblem(
                f"columns {column_name(first, mapping.headers[first])} and "
                f"{column_name(index, mapping.headers[index])} both fill "
                f"'{label_of(kind, field)}'. Set one of them to 'Ignore'.",
                row=1,
                column=column_name(index, mapping.headers[index]),
            )
        seen[field] = index
    for spec in field_specs(kind):
        if spec.required and spec.name not in seen:
            raise CsvProblem(
                f"no column for '{spec.label}', which every {kind.value} needs. Map a column to "
                f"it (headers found: {', '.join(h for h in mapping.headers if h) or 'none'}).",
                row=1,
            )
    if kind in (RecordKind.LEAD, RecordKind.CUSTOMER) and not any(f in seen for f in NAME_FIELDS):
        raise CsvProblem(
            f"no column for a name: map a column to First Name, Last Name, Business Name or "
            f"Full Name "
            f"(headers found: {', '.join(h for h in mapping.headers if h) or 'none'}).",
            row=1,
        )
