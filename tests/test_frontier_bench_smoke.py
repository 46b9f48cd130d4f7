"""Smoke test of benchmarks/frontier_negmas.py on a tiny GENIUS domain written here (one discrete and one integer
issue, two profiles, a reservation value), without NegMAS: the script runs, reports NegMAS as absent, and its
brute-force check agrees with the frontier. The comparison helpers are checked on hand-made points. No time is
asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import brute_frontier  # noqa: E402
import frontier_negmas as bench  # noqa: E402
import genius_xml  # noqa: E402

DOMAIN = """<negotiation_template>
<utility_space number_of_issues="2">
<objective index="0" name="tiny" type="objective" etype="objective">
  <issue index="1" name="colour" type="discrete" etype="discrete" vtype="discrete">
    <item index="1" value="red"/><item index="2" value="green"/><item index="3" value="blue"/>
  </issue>
  <issue index="2" name="price" type="integer" etype="integer" vtype="integer" lowerbound="3" upperbound="7"/>
</objective>
</utility_space>
</negotiation_template>
"""

PROFILE = """<utility_space>
<objective index="0" name="tiny" type="objective" etype="objective">
  <weight index="1" value="{w1}"/><weight index="2" value="{w2}"/>
  <issue index="1" name="colour" type="discrete" etype="discrete" vtype="discrete">
    <item index="1" value="red" evaluation="{red}"/><item index="2" value="green" evaluation="{green}"/>
    <item index="3" value="blue" evaluation="{blue}"/>
  </issue>
  <issue index="2" name="price" type="integer" etype="integer" vtype="integer" lowerbound="3" upperbound="7">
    <evaluator ftype="linear" slope="{slope}" offset="{offset}"/>
  </issue>
</objective>
<reservation value="{reservation}"/>
</utility_space>
"""


def tiny_domain(root: Path) -> Path:
    folder = root / "y2099" / "tiny"
    folder.mkdir(parents=True)
    (folder / "tiny-domain.xml").write_text(DOMAIN, encoding="utf-8")
    (folder / "tiny-prof1.xml").write_text(PROFILE.format(w1="0.6", w2="0.4", red="10", green="4", blue="1",
                                                          slope="0.25", offset="0", reservation="0.2"))
    (folder / "tiny-prof2.xml").write_text(PROFILE.format(w1="0.3", w2="0.7", red="2", green="5", blue="8",
                                                          slope="-0.3", offset="1.1", reservation="0"))
    return folder


def test_the_reader_follows_genius(tmp_path):
    domain = genius_xml.read_domain(tiny_domain(tmp_path))
    assert domain.outcomes == 15 and [p.name for p in domain.profiles] == ["tiny-prof1.xml", "tiny-prof2.xml"]
    first, second = domain.profiles
    colour, price = domain.issues
    assert genius_xml.evaluation(first, colour, "green") == genius_xml.Fraction(2, 5)  # 4 / the best, 10
    assert genius_xml.evaluation(first, price, 5) == genius_xml.Fraction(1, 2)  # 0.25 · (5 − lowerbound 3)
    assert genius_xml.evaluation(second, price, 3) == 1  # 1.1 clamped to 1
    assert genius_xml.thresholds(domain) == (200000, 0)


def test_the_benchmark_runs_without_negmas(tmp_path):
    tiny_domain(tmp_path / "anac")
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(BENCHMARKS / "frontier_negmas.py"), "--anac", str(tmp_path / "anac"),
                           "--runs", "1", "--negmas-python", str(tmp_path / "no-negmas"), "--json", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "NegMAS absent" in done.stdout
    [row] = json.loads(out.read_text())["domains"]
    assert row["negmas"]["note"].startswith("absent") and row["negmas"]["runs"] == []
    assert row["feasible"]["status"] == "complete" and row["feasible"]["points"] > 0
    brute = row["comparison"]["brute"]
    assert brute["frontier_equal"] and brute["points_equal"], brute
    expected = brute_frontier.brute_frontier(genius_xml.read_domain(tmp_path / "anac" / "y2099" / "tiny"))
    assert row["feasible"]["points"] == len(expected.points)
    settings, results = bench.rendered([out])  # --render: the docs section again from the saved results
    text = bench.section(results, settings)
    assert f"| `y2099/tiny` | 15 | 2 | {len(expected.points)} / – | – | equal |" in text
    assert "NegMAS absent" in text or "absent (no NegMAS Python" in text


def test_near_duplicates_match_one_point_and_strays_are_listed():
    ours = [(1_000_000, 500_000), (600_000, 900_000)]
    theirs = [(1.0, 0.5), (1.0000000001, 0.4999999999), (0.6, 0.9), (0.3, 0.95)]
    compared = bench.compare_frontiers(ours, theirs, bench.tolerance(2))
    assert compared["theirs_distinct"] == 3
    assert compared["unmatched_ours"] == [] and compared["unmatched_theirs"] == [(0.3, 0.95)]
    assert not compared["equal"] and compared["theirs_dominated"] == []


def test_a_point_kept_by_float_noise_is_found_dominated():
    """NegMAS keeps (0.89, 0.635) beside (0.9, 0.6349999999999999): in floats neither dominates the other."""
    compared = bench.compare_frontiers([(900_000, 635_000)], [(0.9, 0.6349999999999999), (0.89, 0.635)],
                                       bench.tolerance(6))
    assert compared["unmatched_theirs"] == compared["theirs_dominated"] == [(0.89, 0.635)]


def test_every_genius_point_must_be_weakly_dominated(tmp_path):
    folder = tiny_domain(tmp_path)
    (folder / "pareto.xml").write_text("0.5, 0.9\n0.8, 0.4\n1.0, 0.1\n", encoding="utf-8")
    domain = genius_xml.read_domain(folder)
    answer = {"points": [[500_000, 900_000], [800_001, 400_000]]}
    compared = bench.compare_genius_pareto(domain, answer)
    assert compared["genius_points"] == 3 and compared["not_covered"] == [[1.0, 0.1]]
    assert compared["strictly_improved"] == 0  # 800001 is within the 1e-6 tolerance of 0.8
    assert compared["below_reservation"] == 0


def test_genius_points_below_a_reservation_value_are_counted_apart(tmp_path):
    folder = tiny_domain(tmp_path)  # the first profile's reservation value is 0.2
    (folder / "pareto.xml").write_text("0.5, 0.9\n0.1, 1.0\n", encoding="utf-8")
    compared = bench.compare_genius_pareto(genius_xml.read_domain(folder), {"points": [[600_000, 900_000]]})
    assert compared["below_reservation"] == 1 and compared["not_covered"] == []
    assert compared["strictly_improved"] == 1
