"""Workarounds for PySide6 binding bugs, each pinned by a test in tests/ui.

PySide6 6.12 (CPython 3.11): a Python override of ``QAbstractItemModel.multiData`` loses one
reference to ``None`` when it returns, and so does every ``QModelRoleData.setData`` call made in
it (the void wrappers return None without taking a reference). After enough repaints None's
refcount reaches zero and the interpreter aborts ("none_dealloc"). We give the references back.
One too many is harmless (None is never freed; from Python 3.12 it is immortal and refcounts on
it are no-ops); one too few is fatal, so this errs on the side of giving back.
"""

from __future__ import annotations

import ctypes

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


def repay_none(references: int) -> None:
    for _ in range(references):
        _incref(None)
