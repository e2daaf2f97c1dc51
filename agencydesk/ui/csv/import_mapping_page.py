"""Import step 2: which column fills which field. Matched from the headers (or a saved preset),
changeable per column, savable as a named preset for next time."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from agencydesk.services.csv_io.fields import field_specs
from agencydesk.services.csv_io.mapping import ColumnMapping, auto_map, check_mapping
from agencydesk.services.csv_io.problems import CsvProblem, column_letter
from agencydesk.services.csv_io.row_check import as_read
from agencydesk.ui.csv.import_state import ImportState

IGNORE = "— Ignore this column —"


class MappingPage(QWizardPage):
    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle("Match the columns")
        self.setSubTitle("Each column of the file fills one field, or is ignored. Matched from "
                         "the headers; change any of them.")  # fmt: skip
        self.preset = QComboBox()
        self.preset.setObjectName("csv_preset")
        self.preset.setMinimumWidth(220)
        self.preset.activated.connect(self._apply_preset)
        save = QPushButton("Save as preset…")
        save.setObjectName("csv_save_preset")
        save.clicked.connect(self._save_preset)
        top = QHBoxLayout()
        top.addWidget(QLabel("Preset"))
        top.addWidget(self.preset)
        top.addWidget(save)
        top.addStretch(1)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("csv_mapping")
        self.table.setHorizontalHeaderLabels(["Column", "Header in the file", "First values",
                                              "Field"])  # fmt: skip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, 170)
        self.table.setColumnWidth(3, 190)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.problem = QLabel()
        self.problem.setObjectName("csv_mapping_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828; font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        self.preset.clear()
        self.preset.addItem("Matched from the headers", "")
        for name in self.state.presets.names(self.state.kind):
            self.preset.addItem(name, name)
        self._show(auto_map(self.state.kind, self.state.headers))

    def _show(self, mapping: ColumnMapping) -> None:
        self.state.mapping = mapping
        samples = self._samples()
        specs = field_specs(self.state.kind)
        self.table.setRowCount(len(mapping.headers))
        self.combos = []
        for index, header in enumerate(mapping.headers):
            self.table.setItem(index, 0, QTableWidgetItem(column_letter(index)))
            self.table.setItem(index, 1, QTableWidgetItem(header))
            self.table.setItem(index, 2, QTableWidgetItem(" · ".join(samples.get(index, []))))
            combo = QComboBox()
            combo.addItem(IGNORE, "")
            for spec in specs:
                combo.addItem(spec.label + (" *" if spec.required else ""), spec.name)
            combo.setCurrentIndex(max(0, combo.findData(mapping.fields[index])))
            combo.currentIndexChanged.connect(self._changed)
            self.table.setCellWidget(index, 3, combo)
            self.combos.append(combo)
        self._check()

    def _samples(self) -> dict[int, list[str]]:
        """Up to three non-empty values per column from the preview rows below the header."""
        rows = self.state.preview
        header_row = self.state.dialect.header_row if self.state.dialect else 0
        start = 0 if header_row is None else header_row + 1
        samples: dict[int, list[str]] = {}
        for row in rows[start:]:
            for index, cell in enumerate(row):
                values = samples.setdefault(index, [])
                if cell.strip() and len(values) < 3:
                    values.append(as_read(cell.strip())[:30])
        return samples

    def _changed(self) -> None:
        fields = tuple(str(combo.currentData() or "") for combo in self.combos)
        self.state.mapping = ColumnMapping(tuple(self.state.headers), fields)
        self.state.validation = None
        self._check()

    def _check(self) -> None:
        mapping = self.state.mapping
        try:
            if mapping is not None:
                check_mapping(self.state.kind, mapping)
        except CsvProblem as problem:
            self.problem.setText(str(problem))
        else:
            self.problem.setText("")
        self.completeChanged.emit()

    def _apply_preset(self) -> None:
        name = self.preset.currentData()
        preset = self.state.presets.get(self.state.kind, name) if name else None
        self._show(auto_map(self.state.kind, self.state.headers, preset))

    def _save_preset(self) -> None:
        if self.state.mapping is None:
            return
        name, ok = QInputDialog.getText(self, "Save preset", "Name for this column matching:")
        if ok and name.strip():
            self.save_preset(name.strip())

    def save_preset(self, name: str) -> None:
        assert self.state.mapping is not None
        self.state.presets.save(self.state.kind, name, self.state.mapping.as_preset())
        if self.preset.findData(name) < 0:
            self.preset.addItem(name, name)
        self.preset.setCurrentIndex(self.preset.findData(name))

    def isComplete(self) -> bool:
        return self.state.mapping is not None and not self.problem.text()
