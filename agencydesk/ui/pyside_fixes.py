"""Workarounds for PySide6 binding bugs, each pinned by a test in tests/ui.

PySide6 6.12 (CPython 3.11): a Python override of ``QAbstractItemModel.multiData`` loses one
reference to ``None`` when it returns, and so does every ``QModelRoleData.setData`` call made in
it (the void wrappers return None without taking a reference). After enough repaints None's
refcount reaches zero and the interpreter aborts ("none_dealloc"). We give the references back.
One too many is harmless (None is never freed; from Python 3.12 it is immortal and refcounts on
it are no-ops); one too few is fatal, so this errs on the side of giving back.

The same PySide6 build drops a reference to the result of calls made from Python that return
None or a bool (measured: ``QTimer.start()``, ``stop()`` and ``setInterval()`` each lose one
reference to None, ``signal.emit()`` one to True). A selection change costs ~10 of None's and
one of True's; True starts with ~7,000, so some 9,000 selection changes (arrowing down a list)
aborted the app ("bool_dealloc"). ``shield_singletons`` (run on import, before any window
exists) gives None, True and False a cushion of 2**40 references, which is what CPython 3.12
does by making them immortal; there it is not needed and not done.
"""

from __future__ import annotations

import ctypes
import sys

CUSHION = 1 << 40  # references: ~10**12 dropped ones before a singleton could be freed

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


def repay_none(references: int) -> None:
    for _ in range(references):
        _incref(None)


def shield_singletons() -> bool:
    """Give None, True and False a cushion of references (see above); True if it did. Checks
    that the object's first word is its reference count before writing to it."""
    if sys.version_info >= (3, 12):
        return False  # immortal singletons: refcounts on them are no-ops
    done = False
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value == sys.getrefcount(singleton) - 1 and count.value < CUSHION:
            count.value += CUSHION
            done = True
    return done


shield_singletons()
