"""PySide6 6.12 drops a reference to None on void calls and to True on signal emits made from
Python (see agencydesk/ui/pyside_fixes.py): a day of selection changes must not free True."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, QTimer, Signal

from agencydesk.ui import pyside_fixes


class _Emitter(QObject):
    happened = Signal()


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None/True/False are immortal there")
def test_singletons_survive_more_drops_than_they_had_references() -> None:
    assert sys.getrefcount(True) > pyside_fixes.CUSHION  # shielded when ui was imported
    assert not pyside_fixes.shield_singletons()  # and only once
    emitter, timer = _Emitter(), QTimer()
    had = {name: sys.getrefcount(value) for name, value in (("None", None), ("True", True))}
    for _ in range(20_000):  # ~3x what True had before the shield: it would have been freed
        emitter.happened.emit()
        timer.stop()
    # The binding's drops are still there (this would pass if PySide got fixed: then remove
    # the shield); what matters is that the process is alive to check.
    assert sys.getrefcount(True) <= had["True"]
    assert sys.getrefcount(None) <= had["None"]
