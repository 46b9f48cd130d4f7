"""`feasible sweep` end to end (issue 18, point 3): every format on a small fixture with firm values
(tests/data/sweep/small.yaml), the JSON byte-identical whatever the number of workers, the exact probability the
fixture's arithmetic gives, the what-if edits and --reading applied in every sample (through `uncertain`), the
exit codes, bad options refused with exit code 2 and a message naming what is wrong, -o, a temporary copy of the
Ukraine scenario with a few firm values, and the text of the fixture's sweep word for word (a golden file).

The fixture: East's red line against troops holds with probability 9/10, West's red line for troops with 3/5,
North's line at 5 or beyond with 1/2, South's line at 3 or below always. A deal needs East or West to give way
and North to give way: P(deal) = (1 - 9/10 · 3/5) · 1/2 = 23/100."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_sweep_view import full, none_decided, partial, robust_deal, uncertain  # noqa: F401 (fixtures)

from conftest import invoke, strip_ansi
from feasible.solver import sweep as sweep_module

DATA = Path(__file__).parent / "data"
SMALL = str(DATA / "sweep" / "small.yaml")
GOLDEN = DATA / "golden" / "sweep-small.txt"
QUICK = ("--samples", "300", "--workers", "1", "--seed", "5")

QUESTION = """questions:
  west-stance:
    asks: Does West insist on troops?
    readings: [west-insists, west-flexible]
readings:
  west-insists: {title: As written, p: 0.7}
  west-flexible: {title: West's troops as a demand, demote: [west/troops], p: 0.3}
"""


def sweep(*args: str):
    return invoke("sweep", *args)


def document(*args: str) -> dict:
    result = sweep(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def with_question(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("sweep") / "small-with-question.yaml"
    path.write_text(Path(SMALL).read_text(encoding="utf-8") + QUESTION, encoding="utf-8")
    return str(path)


# -- every format ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("output", ["text", "json", "markdown", "html"])
def test_every_format_answers_with_exit_code_0(output):
    result = sweep(SMALL, *QUICK, "--format", output)
    assert result.exit_code == 0, result.stderr
    shown = result.stdout
    if output == "json":
        doc = json.loads(shown)
        assert doc["command"] == "sweep" and doc["samples"]["done"] == 300 and doc["partial"] is False
    elif output == "markdown":
        assert shown.startswith("# Two disputes, uncertain red lines (sweep test case): sweep\n")
    elif output == "html":
        assert shown.rstrip().endswith("</html>") and "<svg" in shown and 'class="tornado"' in shown
    else:
        assert "A deal exists in" in strip_ansi(shown) and "What drives the deal probability" in shown


def test_the_exact_probability_is_the_fixtures_arithmetic():
    doc = document(SMALL, *QUICK)
    assert doc["exact"] == {"probability": 0.23, "exact": "23/100", "combinations": 24, "reason": None}
    assert [i["name"] for i in doc["items"]] == ["east/no-troops", "west/troops", "north/far-line", "south/line-at-2"]
    assert doc["items"][0]["note"] == "Repeated at head-of-state level, in every statement."
    low, high = doc["probability"]["low"], doc["probability"]["high"]
    assert 0 <= low <= doc["probability"]["estimate"] <= high <= 1
    drivers = {s["item"]: s for s in doc["sensitivity"]}
    assert drivers["north/far-line"]["values"][0] == {"value": "holds", "samples": drivers["north/far-line"][
        "values"][0]["samples"], "deals": 0, "probability": 0.0, "exact": "0"}  # North holding: never a deal
    # South's weight range cannot change a verdict (South has no level): exactly no swing, whatever was sampled
    assert drivers["south/line-at-2"]["exact_swing"] == "0"
    assert [s["item"] for s in doc["sensitivity"]][-1] == "south/line-at-2"


def test_the_json_is_byte_identical_with_one_or_two_workers():
    one = sweep(SMALL, "--samples", "400", "--seed", "3", "--workers", "1", "--format", "json")
    two = sweep(SMALL, "--samples", "400", "--seed", "3", "--workers", "2", "--format", "json")
    assert one.exit_code == two.exit_code == 0, (one.stderr, two.stderr)
    assert one.stdout == two.stdout


def test_the_seed_chooses_the_samples():
    assert document(SMALL, *QUICK) == document(SMALL, *QUICK)
    other = document(SMALL, "--samples", "300", "--workers", "1", "--seed", "6")
    assert other["seed"] == 6 and other["samples"] != document(SMALL, *QUICK)["samples"]


def test_output_file_holds_the_document(tmp_path):
    target = tmp_path / "sweep.json"
    result = sweep(SMALL, *QUICK, "--format", "json", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and f"wrote {target}" in result.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == document(SMALL, *QUICK)


# -- what-if edits and readings go to every sample ------------------------------------------------------------------

def test_a_demoted_red_line_is_no_longer_an_uncertain_item():
    doc = document(SMALL, *QUICK, "--demote", "west/troops")
    assert doc["edits"] == ["--demote west/troops"] and "edits" not in document(SMALL, *QUICK)
    assert "west/troops" not in [i["name"] for i in doc["items"]]
    assert doc["exact"]["exact"] == "1/2"  # the troops conflict is gone: a deal whenever North gives way


def test_every_format_says_the_edits_applied_in_every_sample():
    for output in ("text", "markdown", "html"):
        shown = sweep(SMALL, *QUICK, "--demote", "west/troops", "--format", output).stdout
        assert "With the what-if edits --demote west/troops, in every sample." in strip_ansi(shown), output


def test_a_question_with_probabilities_is_drawn_and_a_chosen_reading_is_not(with_question):
    drawn = document(with_question, *QUICK)
    assert drawn["items"][0] == {"kind": "reading", "name": "west-stance", "party": None,
                                 "note": "Does West insist on troops?",
                                 "values": [{"value": "west-insists", "probability": 0.7, "exact": "7/10"},
                                            {"value": "west-flexible", "probability": 0.3, "exact": "3/10"}]}
    assert drawn["exact"]["exact"] == "311/1000"  # 7/10 · 23/100 + 3/10 · 1/2
    chosen = document(with_question, *QUICK, "--reading", "west-flexible")
    assert chosen["readings"] == ["west-flexible"]
    assert [i["kind"] for i in chosen["items"]] == ["firmness", "firmness", "weight"]
    assert chosen["exact"]["exact"] == "1/2"


def test_an_edit_that_does_not_fit_a_drawn_reading_is_refused_naming_it(with_question):
    result = sweep(with_question, *QUICK, "--weight", "west/troops=2")
    assert result.exit_code == 2, result.stdout
    assert "Traceback" not in result.stderr and "west/troops" in result.stderr


# -- exit codes -----------------------------------------------------------------------------------------------------

def test_no_deal_in_any_sample_is_exit_code_1():
    """South's line at 3 or below always holds, and the line is set at 4: no sample has a deal."""
    result = sweep(SMALL, *QUICK, "--set", "line=4", "--format", "json")
    assert result.exit_code == 1, result.stderr
    doc = json.loads(result.stdout)
    assert doc["samples"]["deal"] == 0 and doc["samples"]["no_deal"] == 300 and doc["exact"]["exact"] == "0"
    robust = doc["robust"]
    assert robust["status"] == "no-deal" and robust["deal"] is None and robust["exact"] == "0"
    assert "south/near-line" in robust["conflict"]["red_lines"]


def test_the_most_robust_deal_gambles_on_the_likeliest_red_lines_to_give_way():
    """Breaking West's troops (holds 3/5) and North's line (1/2): 2/5 · 1/2 = 1/5, the best of every deal (breaking
    East's instead: 1/10 · 1/2)."""
    robust = document(SMALL, *QUICK)["robust"]
    assert robust["status"] == "found" and robust["exact"] == "1/5" and robust["bound_exact"] == "1/5"
    assert [g["red_line"] for g in robust["gambles"]] == ["west/troops", "north/far-line"]
    assert robust["gambles"][0]["note"] == "One official's remark, not repeated."
    assert robust["deal"]["issues"]["troops"] is False and robust["deal"]["issues"]["line"] <= 2


@pytest.mark.parametrize("variant,code", [(none_decided, 3), (partial, 130)])
def test_no_decided_sample_is_exit_code_3_and_an_interrupted_run_130(monkeypatch, uncertain, robust_deal,  # noqa: F811
                                                                   variant, code):
    answered = variant(full(robust_deal))
    monkeypatch.setattr(sweep_module, "sweep", lambda *args, **kwargs: answered)
    result = sweep(SMALL, *QUICK, "--format", "json")
    assert result.exit_code == code, result.stderr
    assert json.loads(result.stdout)["partial"] is (code == 130)


@pytest.mark.parametrize("args,said", [
    (["--samples", "0"], "--samples"),
    (["--seed", "-1"], "--seed"),
    (["--confidence", "1.5"], "1.5 is not a confidence"),
    (["--confidence", "0"], "0 is not a confidence"),
    (["--reading", "west-flexibel"], "west-flexible"),  # did you mean
    (["--workers", "2", "--cluster", "tcp://127.0.0.1:9"], "--workers"),
    (["--samples", "100000000"], "a sweep draws 1 to 10,000,000 samples"),
    (["--seed", str(2**40)], "less than or equal to 1099511627775"),
    (["--drop", "nobody/nothing"], "nobody/nothing"),
])
def test_bad_options_are_exit_code_2_with_a_message_saying_what_is_wrong(with_question, args, said):
    result = sweep(with_question, *args)
    assert result.exit_code == 2, result.stdout
    told = strip_ansi(result.stderr + result.stdout)
    assert said in told and "Traceback" not in told and "internal error" not in told


def test_an_unreachable_scheduler_is_exit_code_2_quickly():
    pytest.importorskip("distributed", reason="the cluster extra (pip install 'feasible[cluster]') is not installed")
    result = sweep(SMALL, *QUICK[:2], "--cluster", "tcp://127.0.0.1:9")
    assert result.exit_code == 2, result.stdout
    assert "tcp://127.0.0.1:9" in result.stderr


# -- the shipped Ukraine scenario and its firmness estimates --------------------------------------------------------


@pytest.fixture(scope="module")
def ukraine() -> tuple[str, list[str]]:
    """The shipped Ukraine scenario, whose files carry firmness estimates (docs/uncertainty.md), and their names."""
    from feasible.positions import load_scenario

    scenario = load_scenario("ukraine-2026")
    return "ukraine-2026", [r.name for r in scenario.red_lines if r.firm is not None]


def test_the_ukraine_scenario_with_firm_values_sweeps(ukraine):
    path, firm = ukraine
    result = sweep(path, "--samples", "200", "--workers", "1", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    assert sorted(i["name"] for i in doc["items"]) == sorted(firm)
    assert doc["samples"]["done"] == 200 and doc["exact"]["combinations"] == 2 ** len(firm)
    assert doc["samples"]["deal"] + doc["samples"]["no_deal"] + doc["samples"]["undecided"] == 200
    text = strip_ansi(sweep(path, "--samples", "200", "--workers", "1").stdout)
    assert "A deal exists in" in text and "Uncertain items" in text


def test_every_format_states_every_statement_of_a_real_sweep(ukraine):
    """The agreement test of test_presentation.py on what the library answers for the Ukraine copy."""
    from test_sweep_view import RENDERERS

    from feasible.cli.sweep_view import sweep_view
    from feasible.positions import load_scenario
    from feasible.positions.dates import as_of
    from feasible.positions.uncertainty import uncertain as uncertain_of
    from feasible.solver.sweep import sweep as run_sweep

    taken = uncertain_of(as_of(load_scenario(ukraine[0], versions=True), None))
    view = sweep_view(taken, run_sweep(taken, samples=100, workers=1))
    assert view.robust is not None and len(view.statements) > 5
    for format_name, words in RENDERERS.items():
        shown = words(view).lower()
        missing = [s for s in view.statements if " ".join(s.split()).lower() not in shown]
        assert not missing, f"{format_name} leaves out: {missing}"


def test_the_ukraine_json_is_byte_identical_with_one_or_two_workers(ukraine):
    path, _ = ukraine
    one = sweep(path, "--samples", "120", "--seed", "9", "--workers", "1", "--format", "json")
    two = sweep(path, "--samples", "120", "--seed", "9", "--workers", "2", "--format", "json")
    assert one.exit_code == two.exit_code and one.exit_code in (0, 1), (one.stderr, two.stderr)
    assert one.stdout == two.stdout


# -- the text, word for word ----------------------------------------------------------------------------------------

def test_the_text_of_the_fixture_sweep_is_the_golden_one():
    """At 80 columns, in a process of its own (as test_text_golden.py), so that no width set before decides."""
    from test_text_golden import text_at_80_columns

    text = text_at_80_columns(["sweep", SMALL, "--samples", "500", "--workers", "1"])
    if os.environ.get("FEASIBLE_REGEN_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_the_golden_text_states_every_statement_of_its_json():
    """The golden text is the model's: the JSON of the same run carries what its statements say."""
    doc = document(SMALL, "--samples", "500", "--workers", "1")
    golden = " ".join(GOLDEN.read_text(encoding="utf-8").split())
    estimate = doc["probability"]["estimate"]
    assert f"A deal exists in {100 * estimate:.1f} % of {doc['samples']['deal'] + doc['samples']['no_deal']:,} " \
           "samples" in golden
    assert "(23/100)" in golden
    for conflict in doc["conflicts"]:
        assert f"appears in {conflict['samples']:,} of {doc['samples']['no_deal']:,}" in golden


@pytest.mark.slow
def test_the_json_is_byte_identical_on_a_dask_cluster():
    distributed = pytest.importorskip("distributed",
                                      reason="the cluster extra (pip install 'feasible[cluster]') is not installed")
    local = sweep(SMALL, "--samples", "400", "--seed", "3", "--workers", "1", "--format", "json")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        remote = sweep(SMALL, "--samples", "400", "--seed", "3", "--cluster", cluster.scheduler_address,
                       "--format", "json")
    assert remote.exit_code == local.exit_code == 0, remote.stderr
    assert remote.stdout == local.stdout
