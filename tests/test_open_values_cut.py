"""Open values cut short by the time limit (issue 20 fix): a search for an int issue's ranges that the time limit
stops verifies only what it established, and still verifies all it claims.

A fake prober answers exactly (as CP-SAT would with time enough) until a chosen call, which raises OpenCutShort as
a time cut does: no timing is involved. Before the fix, a cut after a range's start was found (or before it) made
the evaluator re-check a neighbour of the deal's own value that the search never reached, and report an internal
error ("the solver and the evaluator disagree") where the value simply keeps the deal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from feasible.positions import InternalError
from feasible.positions.model import Issue, IssueKind
from feasible.solver.encoders import ENCODERS, MAX_RANGES, OpenCutShort

LOW, HIGH = 0, 200
KEEPS = {*range(10, 21), *range(60, 81), *range(150, 156)}  # the values that keep the deal
VALUE = 68  # the deal's own value (inside the second range, as n27 = 68 was in the reported run)


class CutProber:
    """An exact prober over `keeps` whose CP-SAT question number `cut` (from 0) runs out of time; every later one
    too. `lies` makes its CP-SAT answers wrong about those values (to see that what is claimed is re-checked)."""

    def __init__(self, keeps: set[int], cut: int | None = None, lies: frozenset[int] = frozenset()):
        self.good, self.cut, self.lies = keeps, cut, lies
        self.calls = 0
        self.judged: list[int] = []

    def keeps(self, value: Any) -> bool:
        self.judged.append(value)
        return value in self.good

    @property
    def mentioned(self) -> bool:
        return True

    def lowest(self, keeps: bool, at_least: int) -> int | None:
        if self.cut is not None and self.calls >= self.cut:
            raise OpenCutShort()
        self.calls += 1
        believed = self.good ^ self.lies
        return next((v for v in range(at_least, HIGH + 1) if (v in believed) == keeps), None)

    def subset_where(self, value: str, included: bool) -> frozenset | None:
        raise AssertionError("not a set issue")

    def values_asked(self) -> frozenset[str] | None:
        return None

    def every_subset_keeps(self, always: Sequence[str], never: Sequence[str]) -> bool:
        raise AssertionError("not a set issue")


def _issue() -> Issue:
    return Issue(name="n27", kind=IssueKind.INT, min=LOW, max=HIGH)


def _open(prober: CutProber, value: int = VALUE):
    return ENCODERS[IssueKind.INT].open_values(_issue(), value, prober)


def _listed(open_) -> list[int]:
    return [v for a, b in open_.intervals for v in range(a, b + 1)]


def test_uncut_search_lists_every_range():
    got = _open(CutProber(KEEPS))
    assert got.complete and got.intervals == ((10, 20), (60, 80), (150, 155)) and got.count == len(KEEPS)


def test_a_cut_after_a_range_start_is_no_internal_error():
    """The reported run: the range holding the deal's value had its start found (60), then the search for its end
    ran out of time. The value's neighbour 67 keeps the deal; the search never said otherwise."""
    prober = CutProber(KEEPS, cut=3)  # 0: lowest keeping ≥ 0; 1: its end; 2: lowest keeping ≥ 22; 3: cut
    got = _open(prober)
    assert not got.complete
    assert set(_listed(got)) <= KEEPS and {10, 20, 60, VALUE} <= set(_listed(got))


@pytest.mark.parametrize("cut", range(0, 8))
def test_a_cut_anywhere_claims_only_open_values(cut):
    prober = CutProber(KEEPS, cut=cut)
    got = _open(prober)
    listed = _listed(got)
    assert set(listed) <= KEEPS and VALUE in listed
    assert got.count == len(listed)
    assert got.intervals == tuple(sorted(got.intervals))
    assert all(b + 1 < c for (_, b), (c, _) in zip(got.intervals, got.intervals[1:]))  # never two touching ranges
    assert got.complete == (cut >= 7)  # seven questions settle the whole domain: complete exactly when none was cut


@pytest.mark.parametrize("value", [10, 20, 61, 80, 150])
@pytest.mark.parametrize("cut", range(0, 6))
def test_a_cut_with_the_value_anywhere(cut, value):
    got = _open(CutProber(KEEPS, cut=cut), value)
    listed = _listed(got)
    assert set(listed) <= KEEPS and value in listed


@pytest.mark.parametrize("cut", [None, 3, 4, 5])  # (question 2 finds 30; 3, its end)
def test_what_the_search_established_is_still_verified(cut):
    """The solver wrongly says 30 keeps the deal (a range 30–30 before the deal's): once the search got past it,
    the evaluator's re-check catches it, cut or not."""
    with pytest.raises(InternalError, match="disagree on whether n27 = 30"):
        _open(CutProber(KEEPS, cut=cut, lies={30}))


@pytest.mark.parametrize("cut", [None, 2, 3])
def test_a_wrong_end_established_is_still_caught(cut):
    """The solver wrongly says 21 does not keep the deal when it does: 21 is the first range's outside neighbour,
    established before any of these cuts, so the evaluator re-checks it."""
    good = KEEPS | {21}
    with pytest.raises(InternalError, match="disagree on whether n27 = 21"):
        _open(CutProber(good, cut=cut, lies={21}))


def test_a_cut_never_re_checks_a_value_the_search_did_not_reach():
    """Cut at the first question: only the deal's own value is claimed, and only it is judged."""
    prober = CutProber(KEEPS, cut=0)
    got = _open(prober)
    assert got.intervals == ((VALUE, VALUE),) and not got.complete
    assert prober.judged == [VALUE]


def test_ranges_past_the_cap_are_cut_and_verified():
    keeps = {v for v in range(LOW, HIGH + 1) if v % 4 == 0}
    prober = CutProber(keeps)
    got = _open(prober, 0)
    assert not got.complete and len(got.intervals) == MAX_RANGES
    assert set(_listed(got)) <= keeps



def test_the_deal_s_own_value_said_not_to_keep_it_is_caught():
    with pytest.raises(InternalError, match=f"disagree on whether n27 = {VALUE}"):
        _open(CutProber(KEEPS, lies={VALUE}))
