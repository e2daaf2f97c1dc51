"""Which columns a narrow table tucks away (issue 12: columns fit at 1280x800): the fewest of a
tab's ``NARROW_FIRST`` columns, in that order, so that every other shown column is in view,
names and dates whole and long texts cut no shorter than their floor ("…")."""

from __future__ import annotations


def tuck_to_fit(
    order: list[int],
    shown: list[int],
    want: dict[int, int],
    whole: set[int],
    floor: dict[int, int],
    width: int,
) -> list[int]:
    """``order``: the columns that may go, first first; ``want``: each shown column's content
    width; ``whole``: those never cut; ``floor``: how narrow the others may be cut."""

    def least(columns: list[int]) -> int:
        return sum(want[n] if n in whole else min(want[n], floor[n]) for n in columns)

    tucked: list[int] = []
    left = list(shown)
    for number in order:
        if least(left) <= width or len(left) <= 1:
            break
        tucked.append(number)
        left.remove(number)
    return tucked
