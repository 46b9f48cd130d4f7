"""Disputes (conflicts joined by shared red lines), their options, and the relaxations as their combinations:
against brute force on random scenarios, on the Ukraine scenario as it was before its revision (commit c4e3764,
kept in tests/data/ukraine-c4e3764), and on the shipped scenario's `headline:`."""

from __future__ import annotations

import html
import json
from itertools import product
from pathlib import Path

import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import examples
from feasible.cli.app import app
from feasible.positions import load_scenario
from feasible.solver import Objective, Verdict, check, search
from feasible.solver.explain.algorithms import minimal_hitting_sets, minimal_hitting_sets_brute_force
from feasible.solver.explain.disputes import Dispute, Option, combinations
from solver_support import GENEROUS
from solver_support.build import assert_well_typed
from test_conflict_properties import MANY, PROPERTY, Brute, any_scenarios, describe

PRE_REVISION = Path(__file__).parent / "data" / "ukraine-c4e3764"
runner = CliRunner()


# ---------------------------------------------------------------------------------------------- brute force

def components(sets: list[frozenset]) -> list[set[frozenset]]:
    """The sets grouped by shared members, by repeated merging (the slow, obvious way)."""
    groups = [{s} for s in sets]
    merged = True
    while merged:
        merged = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                if any(a & b for a in groups[i] for b in groups[j]):
                    groups[i] |= groups.pop(j)
                    merged = True
                    break
            if merged:
                break
    return groups


def canonical(brute: Brute, drop) -> tuple:
    return brute.cost(drop), len(drop), tuple(sorted(drop))


def expected_order(brute: Brute, disputes: list[list[frozenset]]) -> list[tuple[str, ...]]:
    """Every combination of one option per dispute, in the documented order: cheapest first, then by the ranks
    of the options chosen, dispute by dispute (each dispute's options ordered by cost, size, then names)."""
    ranked = [sorted(options, key=lambda o: canonical(brute, o)) for options in disputes]
    combos = []
    for ranks in product(*(range(len(r)) for r in ranked)):
        drop = frozenset().union(*(ranked[d][r] for d, r in enumerate(ranks)))
        combos.append((brute.cost(drop), ranks, tuple(sorted(drop))))
    return [drop for _, _, drop in sorted(combos)]


# ---------------------------------------------------------------------------------------------- properties

@settings(PROPERTY, max_examples=examples(300))
@given(scen=any_scenarios)
def test_disputes_and_their_combinations_agree_with_brute_force(scen):
    """The disputes are the components of the MUSes joined by shared red lines; each dispute's options are the
    minimal hitting sets of its MUSes; their combinations are exactly the minimal relaxations (the MCSes), counted
    and listed in the documented order, and any shorter list is a prefix of it."""
    assert_well_typed(scen)
    note(describe(scen))
    brute = Brute(scen)
    assume(not brute.sat(brute.facts + brute.red) and brute.sat(brute.facts))
    result = check(scen, conflicts=None, relaxations=MANY, room=False, time_limit=GENEROUS)
    assert result.verdict is Verdict.NO_DEAL and result.conflicts_complete

    expected = components(sorted(brute.muses, key=sorted))
    assert sorted(sorted(map(sorted, map(list, group))) for group in expected) == sorted(
        sorted(sorted(c.red_lines) for c in d.conflicts) for d in result.disputes)
    assert [c for d in result.disputes for c in d.conflicts] == list(result.conflicts), "conflicts dispute by dispute"

    options = [[frozenset(o.drop) for o in d.options] for d in result.disputes]
    for dispute, found in zip(result.disputes, options):
        assert set(found) == minimal_hitting_sets_brute_force([frozenset(c.red_lines) for c in dispute.conflicts])
        assert dispute.option_count == len(found)
        assert [canonical(brute, o) for o in found] == sorted(canonical(brute, o) for o in found)
    assert {frozenset().union(*combo) for combo in product(*options)} == brute.mcses
    assert result.relaxation_count == len(brute.mcses)
    cheapest = min(brute.cost(m) for m in brute.mcses)
    assert result.cheapest_relaxation_count == sum(1 for m in brute.mcses if brute.cost(m) == cheapest)

    order = expected_order(brute, options)
    assert [r.drop for r in result.relaxations] == order[:MANY]
    assert result.relaxations_canonical and result.relaxations_complete
    shorter = check(scen, conflicts=None, relaxations=2, room=False, time_limit=GENEROUS)
    assert [r.drop for r in shorter.relaxations] == order[:2]


@settings(PROPERTY, max_examples=examples(100))
@given(scen=any_scenarios)
def test_the_flat_search_lists_equally_cheap_ways_in_canonical_order(scen):
    """With too few conflicts asked for to know them all, the relaxations are searched, not combined; the first K
    are still the first K of the canonical order (cost, size, names) among every MCS."""
    note(describe(scen))
    brute = Brute(scen)
    assume(len(brute.muses) > 1 and brute.sat(brute.facts))
    result = check(scen, conflicts=1, relaxations=3, room=False, time_limit=GENEROUS)
    assert not result.conflicts_complete and result.relaxation_count is None
    assert all(not d.options for d in result.disputes)
    assert result.relaxations_canonical
    expected = sorted(brute.mcses, key=lambda m: canonical(brute, m))[:3]
    assert [r.drop for r in result.relaxations] == [tuple(sorted(m)) for m in expected]


@settings(PROPERTY, max_examples=examples(60))
@given(scen=any_scenarios, flat=st.booleans())
def test_the_order_does_not_depend_on_the_solver_seed(scen, flat):
    """Same scenario, another seed for every solve: the same conflicts, disputes and relaxations, in the same
    order (combined or searched)."""
    note(describe(scen))
    options = dict(conflicts=1 if flat else None, relaxations=3, room=False, time_limit=GENEROUS)
    first = check(scen, **options)
    assume(first.verdict is Verdict.NO_DEAL)
    with pytest.MonkeyPatch.context() as patch:
        real = search.new_solver

        def seeded(seconds, **kw):
            solver = real(seconds, **kw)
            solver.parameters.random_seed = 977
            return solver

        patch.setattr(search, "new_solver", seeded)
        second = check(scen, **options)
    assert [r.drop for r in second.relaxations] == [r.drop for r in first.relaxations]
    if not flat:
        assert second.conflicts == first.conflicts and second.disputes == first.disputes


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.frozensets(st.integers(0, 6), max_size=4), max_size=6))
def test_minimal_hitting_sets_equal_their_naive_twin(sets):
    found = minimal_hitting_sets(sets, limit=10_000)
    assert found is not None
    assert set(found) == minimal_hitting_sets_brute_force(sets)
    assert len(found) == len(set(found))


def test_minimal_hitting_sets_stop_past_their_limit():
    sets = [frozenset({2 * i, 2 * i + 1}) for i in range(8)]  # 2 ** 8 minimal hitting sets
    assert minimal_hitting_sets(sets, limit=100) is None
    assert len(minimal_hitting_sets(sets, limit=256) or ()) == 256


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.lists(st.integers(0, 4), min_size=1, max_size=4), min_size=1, max_size=4))
def test_combinations_come_cheapest_first_then_by_rank(costs):
    disputes = [Dispute((), (), (), False, tuple(Option((f"d{d}/o{i}",), c) for i, c in enumerate(sorted(cs))),
                        len(cs)) for d, cs in enumerate(costs)]
    listed = list(combinations(disputes))
    ranked = sorted((sum(sorted(cs)[r] for cs, r in zip(costs, ranks)), ranks)
                    for ranks in product(*(range(len(cs)) for cs in costs)))
    assert [cost for _, cost in listed] == [cost for cost, _ in ranked]
    assert [drop for drop, _ in listed] == [tuple(sorted(f"d{d}/o{r}" for d, r in enumerate(ranks)))
                                            for _, ranks in ranked]


# ---------------------------------------------------------------------------------------------- Ukraine

def pre_revision_with_headline(tmp_path: Path, headline: str) -> Path:
    """A copy of the pre-revision scenario whose scenario.yaml names this headline."""
    target = tmp_path / "scenario"
    target.mkdir()
    for path in PRE_REVISION.iterdir():
        target.joinpath(path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    head = target / "scenario.yaml"
    head.write_text(head.read_text(encoding="utf-8").replace("\nissues:\n", f"\nheadline: [{headline}]\nissues:\n", 1),
                    encoding="utf-8")
    return target


def check_json(*args: str) -> dict:
    result = runner.invoke(app, ["check", *args, "--format", "json"])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_pre_revision_ukraine_shows_three_disputes_the_three_party_one_first():
    doc = check_json(str(PRE_REVISION))
    assert len(doc["disputes"]) == 3
    first = doc["disputes"][0]
    assert first["parties"] == ["europe", "russia", "us"]
    assert doc["conflicts"][first["conflicts"][0]]["red_lines"] == [
        "europe/european-led-force", "russia/no-western-troops", "us/no-us-ground-troops"]
    assert [len(d["options"]) for d in doc["disputes"]] == [3, 2, 2]
    assert doc["relaxation_count"] == doc["cheapest_relaxation_count"] == 12
    assert {r["cost"] for r in doc["relaxations"]} == {3}


def test_pre_revision_ukraine_lists_prefixes_of_one_list():
    lists = {k: [r["drop"] for r in check_json(str(PRE_REVISION), "--relaxations", str(k))["relaxations"]]
             for k in (5, 10, 20)}
    assert len(lists[5]) == 5 and len(lists[10]) == 10 and len(lists[20]) == 12
    assert lists[10][:5] == lists[5] and lists[20][:10] == lists[10]
    assert len({tuple(d) for d in lists[20]}) == 12


def test_pre_revision_ukraine_text_sums_up_the_disputes():
    text = runner.invoke(app, ["check", str(PRE_REVISION)]).stdout
    assert "3 independent disputes; a deal needs one option in each: 3 × 2 × 2 = 12 cheapest ways, cost 3." in text
    assert "Dispute 1: Coalition of the Willing (European-led), Russia and United States" in text
    assert "way 1 is one of 12 equally cheap ways at cost 3, listed in a fixed order, not ranked" in text
    assert text.index("Dispute 1:") < text.index("Dispute 2: NATO and Russia") < text.index("Dispute 3:")


def test_the_shipped_headline_comes_first():
    scenario = load_scenario(None)
    assert scenario.headline == ("europe/european-led-force", "russia/no-western-troops")
    doc = check_json()
    assert doc["disputes"][0]["headline"] is True
    assert set(scenario.headline) <= set(doc["conflicts"][0]["red_lines"])
    assert "Dispute 1 (the scenario's headline):" in runner.invoke(app, ["check"]).stdout


def test_a_headline_naming_no_red_line_is_a_located_error(tmp_path: Path):
    target = pre_revision_with_headline(tmp_path, "russia/no-western-troop, nato/no-membership-bar")
    result = runner.invoke(app, ["check", str(target)])
    assert result.exit_code == 2
    assert "error: 'russia/no-western-troop' is not a red line of any party" in result.stderr
    assert "did you mean 'russia/no-western-troops'" in result.stderr
    assert "scenario.yaml:" in result.stderr and "^" in result.stderr
    assert "nato/no-membership-bar'" not in result.stderr  # a real red line is accepted


def test_a_headline_moves_its_conflict_first():
    scenario = load_scenario(PRE_REVISION)
    from dataclasses import replace

    moved = check(replace(scenario, headline=("russia/donbas-withdrawal",)), time_limit=GENEROUS)
    assert moved.conflicts[0].red_lines == ("russia/donbas-withdrawal", "ukraine/no-unilateral-withdrawal")
    assert moved.disputes[0].headline and not moved.disputes[1].headline


# ---------------------------------------------------------------------------------------------- --rank-by-deal

@settings(PROPERTY, max_examples=examples(100))
@given(scen=any_scenarios, objective=st.sampled_from([Objective.FAIR, Objective.WELFARE]),
       flat=st.booleans(), limit=st.integers(1, 4))
def test_rank_by_deal_ranks_equally_cheap_ways_by_the_best_deal_each_opens(scen, objective, flat, limit):
    """Every way as cheap as the K-th of the fixed order is a candidate; they come cheapest first, then by the
    value of the best deal each opens (brute force), then in the fixed order."""
    note(describe(scen))
    brute = Brute(scen)
    assume(not brute.sat(brute.facts + brute.red) and brute.sat(brute.facts))
    options = dict(conflicts=1 if flat else None, room=False, time_limit=GENEROUS)
    fixed = [r.drop for r in check(scen, objective, relaxations=MANY, **options).relaxations]
    result = check(scen, objective, relaxations=limit, rank_by_deal=True, **options)
    assume(len(fixed) < MANY)
    assert result.relaxations_ranked_by_deal is True
    last = brute.cost(fixed[min(limit, len(fixed)) - 1])
    candidates = [drop for drop in fixed if brute.cost(drop) <= last]

    def best(drop):
        kept = [n for n in brute.facts + brute.red if n not in drop]
        return brute.best(objective, kept)

    expected = sorted(candidates, key=lambda d: (brute.cost(d), [-v for v in _as_tuple(best(d))], fixed.index(d)))
    assert [r.drop for r in result.relaxations] == expected[:limit]
    for relaxation in result.relaxations:
        assert relaxation.deal is not None and relaxation.deal.value(objective) == best(relaxation.drop)


def _as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def test_rank_by_deal_says_when_it_could_not_rank(monkeypatch):
    """A deal not proved best: the fixed order stays, and every format says why."""
    from feasible.solver.explain import relaxations

    real = relaxations.opened_deal
    monkeypatch.setattr(relaxations, "opened_deal", lambda *a, **k: _unproved(real(*a, **k)))
    doc = check_json(str(PRE_REVISION), "--rank-by-deal")
    assert doc["relaxations_ranked_by_deal"] is False
    assert [r["drop"] for r in doc["relaxations"]] == [r["drop"] for r in check_json(str(PRE_REVISION))[
        "relaxations"]]
    text = runner.invoke(app, ["check", str(PRE_REVISION), "--rank-by-deal"]).stdout
    assert "Not ranked by deal: the equally cheap ways are not all known" in text


def _unproved(deal):
    from dataclasses import replace

    return None if deal is None else replace(deal, optimal=False, gap=0.5)


def test_without_rank_by_deal_the_json_says_it_was_not_asked():
    assert check_json(str(PRE_REVISION))["relaxations_ranked_by_deal"] is None


def test_giving_up_a_headline_red_line_removes_the_headline(tmp_path: Path):
    """In memory (a what-if) and on disk (edit --write), by the one meaning of the edit: the conflict the headline
    names is gone, so the headline is too; the files stay valid."""
    from feasible.positions.edits import Edits, apply_edits

    scenario = load_scenario(None)
    edited, _ = apply_edits(scenario, Edits(drop=("europe/european-led-force",)))
    assert edited.headline == ()
    demoted, _ = apply_edits(scenario, Edits(demote=("russia/no-western-troops",)))
    assert demoted.headline == ()
    kept, _ = apply_edits(scenario, Edits(drop=("russia/donbas-withdrawal",)))
    assert kept.headline == scenario.headline
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in Path(scenario.origin).iterdir():
        if path.is_file():
            copy.joinpath(path.name).write_bytes(path.read_bytes())
    result = runner.invoke(app, ["edit", str(copy), "--drop", "europe/european-led-force", "--write"])
    assert result.exit_code == 0, result.output
    assert "headline:" not in (copy / "scenario.yaml").read_text(encoding="utf-8")
    assert load_scenario(copy).headline == ()


def test_a_headline_no_conflict_holds_is_said_not_ignored(tmp_path: Path):
    """Headline red lines that are in different conflicts: every format says the headline conflict does not
    arise in that form, rather than silently ordering the others."""
    target = pre_revision_with_headline(tmp_path, "europe/european-led-force, nato/no-membership-bar")
    said = "No conflict holds all of the scenario's headline red lines"
    for output in ("text", "markdown", "html"):
        page = runner.invoke(app, ["check", str(target), "--format", output]).stdout
        assert said in html.unescape(" ".join(page.split())), output
    assert not any(d["headline"] for d in check_json(str(target))["disputes"])
    assert said not in runner.invoke(app, ["check", str(PRE_REVISION)]).stdout
