"""On every ANAC domain of at most 10^5 outcomes (../shared/data/anac, outside the repository): the imported scenario
loads, and its frontier, disagreement and ideal points and the four bargaining points (with their ties) equal a
brute-force enumeration of every outcome in exact integers (benchmarks/brute_frontier.py, which reads the GENIUS
files with a reader of its own, so the importer is checked as well as the engine)."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import brute_frontier  # noqa: E402
import feasible_side  # noqa: E402
import genius_xml  # noqa: E402

from feasible.solver.frontier import FrontierStatus, frontier  # noqa: E402

ROOT = genius_xml.anac_root()
SMALL = 10**5

pytestmark = pytest.mark.skipif(
    ROOT is None or not ROOT.is_dir(),
    reason="the ANAC domains are absent: they live outside the repository in ../shared/data/anac (or "
           "$FEASIBLE_ANAC), which a user's clone does not have")


def small_domains() -> list[Path]:
    if ROOT is None or not ROOT.is_dir():
        return []
    return [f for f in genius_xml.domain_folders(ROOT) if genius_xml.read_domain(f).outcomes <= SMALL]


@pytest.mark.parametrize("folder", small_domains(), ids=lambda f: f"{f.parent.name}/{f.name}")
def test_the_frontier_and_points_equal_the_enumeration(folder, tmp_path):
    domain, scenario = genius_xml.read_domain(folder), feasible_side.scenario_of(folder, tmp_path)
    expected = brute_frontier.brute_frontier(domain)
    found = frontier(scenario, time_limit=600)
    assert len(found.parties) == len(domain.profiles)
    if not expected.points:
        assert found.status is FrontierStatus.NO_DEAL and found.points == ()
        return
    assert found.status is FrontierStatus.COMPLETE
    assert [p.scaled for p in found.points] == list(expected.points)
    assert found.disagreement == tuple(Fraction(d, genius_xml.PRECISION) for d in expected.disagreement)
    assert found.ideal == tuple(Fraction(i, genius_xml.PRECISION) for i in expected.ideal)
    for point in found.bargaining:
        wanted = expected.bargaining[point.solution.value]
        assert (point.point.scaled if point.point else None, point.ties if point.point else 0) == \
            (wanted.vector, wanted.ties), point.solution
        assert point.exact


def test_the_small_domains_are_there():
    """The skip above is the only way to run none: the data set has 22 domains of at most 10^5 outcomes."""
    assert len(small_domains()) == 22
