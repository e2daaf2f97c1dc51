"""A folder whose every test carries a marker is not even imported when ``-m`` cannot select any
of them (tests/conftest.py): right only if no expression that could select one skips it."""

from __future__ import annotations

import pytest

from tests.conftest import _MARKED_FOLDERS, TEAM_TESTS, _never_selected

GUI = frozenset({"gui"})
TEAM = _MARKED_FOLDERS[TEAM_TESTS]  # tests/hub: a real PostgreSQL server


@pytest.mark.parametrize(
    "expression",
    [
        "not gui",
        "not gui and not slow",
        "not gui and not slow and not sandbox_internal",
        "not gui and not slow and not sandbox_internal and not system",
        "not (gui or slow)",
        "slow and not gui",
    ],
)
def test_an_expression_no_gui_test_can_meet_skips_the_gui_folder(expression: str) -> None:
    assert _never_selected(expression, GUI)


@pytest.mark.parametrize(
    "expression",
    [
        "gui",
        "not slow",
        "gui or not slow",
        "not sandbox_internal",
        "not (slow and gui)",
        "not gui or postgres",
        "gui(reason='x') or not gui",  # marker arguments: not reasoned about, collected
        "not gui and",  # not an expression: pytest says so, after collecting as usual
    ],
)
def test_an_expression_a_gui_test_could_meet_keeps_the_gui_folder(expression: str) -> None:
    assert not _never_selected(expression, GUI)


@pytest.mark.parametrize(
    "expression",
    [
        "not gui and not slow and not sandbox_internal and not system",
        "not system",
        "not postgres",
        "slow and not postgres",
        "gui and not system",
    ],
)
def test_an_expression_no_team_test_can_meet_skips_the_team_folder(expression: str) -> None:
    assert _never_selected(expression, TEAM)


@pytest.mark.parametrize(
    "expression",
    [
        "system",
        "postgres",
        "not gui",
        "not gui and not slow and not sandbox_internal",
        "slow or system",
    ],
)
def test_an_expression_a_team_test_could_meet_keeps_the_team_folder(expression: str) -> None:
    assert not _never_selected(expression, TEAM)
