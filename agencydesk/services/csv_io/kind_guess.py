"""Which tab a file's rows are for, from its header (``agencydesk import FILE`` without
``--tab``): the tab whose required columns the header has and that fills the most fields from
it. When two tabs fit as well (a header of only names, emails and phones could be leads or
customers), the guess is refused and the message names the candidates, so nothing is ever
imported into a tab the user did not mean."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from agencydesk.domain import RecordKind
from agencydesk.services.csv_io.mapping import auto_map, check_mapping
from agencydesk.services.csv_io.problems import CsvProblem
from agencydesk.services.csv_io.sniff import sniff
from agencydesk.services.csv_io.synonyms import known_headers
from agencydesk.services.csv_io.validate import header_of

IMPORTED = (RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY, RecordKind.TASK)


@dataclass(frozen=True, slots=True)
class KindGuess:
    kind: RecordKind | None  # None: no tab, or more than one, fits the header
    fitting: tuple[RecordKind, ...]  # the tabs the header fits best (several: a tie)
    headers: tuple[str, ...]
    filled: int = 0  # columns the chosen tab fills


def guess_kind(path: Path, among: Iterable[RecordKind] = IMPORTED) -> KindGuess:
    """Raises CsvProblem when the file cannot be read."""
    sniffed = sniff(path, known_headers())
    headers = header_of(path, sniffed.dialect)
    scores: dict[RecordKind, int] = {}
    for kind in among:
        mapping = auto_map(kind, headers)
        try:
            check_mapping(kind, mapping)
        except CsvProblem:
            continue  # a required column is missing, or filled twice
        scores[kind] = len(mapping.mapped())
    if not scores:
        return KindGuess(None, (), tuple(headers))
    best = max(scores.values())
    fitting = tuple(kind for kind, score in scores.items() if score == best)
    chosen = fitting[0] if len(fitting) == 1 else None
    return KindGuess(chosen, fitting, tuple(headers), best)
