"""CSV import and export, without Qt: the dialogs (ui/csv) and the ``import``/``export`` commands
(cli/csv.py) are thin shells over these modules.

Import: ``sniff`` (encoding, delimiter, header row) -> ``auto_map`` (headers to fields, presets)
-> ``validate_file`` (every row, errors by row and column) -> ``find_matches`` (duplicates by email,
phone or policy number) -> ``build_plan`` (create / update / skip) -> ``commit_plan`` (one
transaction through ``Book.ledgers.apply_import``; undo with ``undo_import``).
Export: ``export_view`` (a tab's query or chosen rows, formula cells neutralised, logged).
"""

from __future__ import annotations

from agencydesk.services.csv_io.export import ExportOptions, ExportResult, export_view
from agencydesk.services.csv_io.mapping import ColumnMapping, auto_map, check_mapping
from agencydesk.services.csv_io.plan import (
    LOCAL_BOOK,
    ImportPlan,
    ImportTarget,
    Match,
    MatchOn,
    OnDuplicate,
    build_plan,
    commit_plan,
    find_matches,
)
from agencydesk.services.csv_io.problems import CsvProblem, ImportCancelled, RowError
from agencydesk.services.csv_io.run import ImportReport, import_file
from agencydesk.services.csv_io.sniff import Dialect, Sniffed, sniff
from agencydesk.services.csv_io.validate import Validation, header_of, validate_file

__all__ = [
    "LOCAL_BOOK",
    "ColumnMapping",
    "CsvProblem",
    "Dialect",
    "ExportOptions",
    "ExportResult",
    "ImportCancelled",
    "ImportPlan",
    "ImportReport",
    "ImportTarget",
    "Match",
    "MatchOn",
    "OnDuplicate",
    "RowError",
    "Sniffed",
    "Validation",
    "auto_map",
    "build_plan",
    "check_mapping",
    "commit_plan",
    "export_view",
    "find_matches",
    "header_of",
    "import_file",
    "sniff",
    "validate_file",
]
