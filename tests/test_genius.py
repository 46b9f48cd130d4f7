"""GENIUS import and export (positions/genius/): the small files of tests/data/genius/ in every run, random domains
for the round trip import → export → import, utilities checked against GENIUS's own definition
(tests/solver_support/genius.py), and the commands."""

from __future__ import annotations

import itertools
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feasible.cli.exitcodes import ExitCode
from feasible.positions import InvalidScenario, Scenario, UserError, load_scenario
from feasible.positions.genius import DOMAIN_FILE, export_genius, import_genius
from feasible.positions.genius.importing import clamp_points, clamped, issue_names, party_id
from feasible.positions.genius.reading import Line
from feasible.positions.utility import PRECISION, utility_of
from solver_support.genius import deal_of, domain_issues, genius_utility

DATA = Path(__file__).parent / "data" / "genius"
DISCRETE = (DATA / "discrete" / "laptop.xml",
            [DATA / "discrete" / "buyer.xml", DATA / "discrete" / "Seller-Profile.xml"])
INTEGER = (DATA / "integer" / "grid.xml", [DATA / "integer" / "consumer.xml", DATA / "integer" / "producer.xml"])
RECTANGLES = (DATA / "rectangles" / "domain.xml",
              [DATA / "rectangles" / "profile-1.xml", DATA / "rectangles" / "profile-2.xml"])
REAL = (DATA / "real" / "domain.xml", [DATA / "real" / "farmer.xml"])


def written(files: dict[str, str], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def imported(directory: Path, domain: Path, profiles: list[Path], step: Fraction | None = None) -> Scenario:
    return load_scenario(written(import_genius(domain, profiles, step), directory))


def outcomes(domain: Path):
    genius = domain_issues(domain)
    choices = [values if isinstance(values, list) else range(values[0], values[1] + 1) for _, _, values in genius]
    return genius, itertools.product(*choices)


def assert_utilities_are_genius(scenario: Scenario, domain: Path, profiles: list[Path], limit: int | None = None):
    """Every outcome (or the first `limit`): each party's utility in millionths is GENIUS's, up to the rounding of
    each issue's term (half a millionth each) or of the rectangles' floor (one)."""
    genius, every = outcomes(domain)
    slack = Fraction(len(genius) + 1, 2)
    for values in itertools.islice(every, limit):
        deal, by_index = deal_of(list(scenario.issues), genius, values)
        for party, profile in zip(scenario.parties, profiles):
            ours = utility_of(party.utility, scenario.issues, deal)
            assert abs(ours - PRECISION * genius_utility(profile, by_index)) <= slack, (party.id, deal)


@pytest.mark.parametrize("files", [DISCRETE, INTEGER, RECTANGLES], ids=["discrete", "integer", "rectangles"])
def test_every_outcome_is_worth_what_genius_says(tmp_path, files):
    domain, profiles = files
    scenario = imported(tmp_path, domain, profiles)
    assert [p.id for p in scenario.parties] == sorted(party_id(p.stem, set()) for p in profiles)
    assert_utilities_are_genius(scenario, domain, sorted(profiles, key=lambda p: party_id(p.stem, set())))


def test_names_labels_reservation_and_discount(tmp_path):
    scenario = imported(tmp_path, *DISCRETE)
    assert scenario.title == "Laptop sale"
    assert {name: issue.label for name, issue in scenario.issues.items()} == {"brand": "Brand",
                                                                               "hard_disk": "Hard disk"}
    assert scenario.issues["hard_disk"].values == ("60 Gb", "80 Gb")
    buyer, seller = scenario.parties
    assert (buyer.id, buyer.name, seller.id, seller.name) == ("buyer", "buyer", "seller-profile", "Seller-Profile")
    assert (buyer.utility.reservation, buyer.utility.discount) == (Fraction(35, 100), Fraction(9, 10))
    assert buyer.reservation is not None and buyer.reservation in buyer.binding
    # GENIUS's "no reservation" (0) and "no discount" (1.0) are left out
    assert (seller.utility.reservation, seller.utility.discount, seller.reservation) == (None, None, None)
    assert dict(buyer.utility.issues[0].scores) == {"Dell": 3, "Mac": 10, "HP": Fraction(3, 2)}


def test_an_integer_evaluator_becomes_the_points_of_its_clamped_line(tmp_path):
    consumer = imported(tmp_path, *INTEGER).parties[0]
    # clamp(-0.15 · (v - 10) + 1.1): 1 up to 10.67, 0 from 17.33: the whole numbers either side of each corner
    assert consumer.utility.issues[0].points == ((10, 1), (11, Fraction(95, 100)), (17, Fraction(5, 100)), (18, 0),
                                                 (20, 0))


@settings(max_examples=200)
@given(st.integers(-40, 40), st.integers(-20, 30), st.integers(-5, 5), st.integers(0, 12))
def test_clamp_points_equal_the_clamped_line_at_every_whole_value(slope20, intercept10, low, width):
    line = Line(Fraction(slope20, 20), Fraction(intercept10, 10))
    points = clamp_points(line, low, low + width)
    xs = [x for x, _ in points]
    assert xs[0] == low and xs[-1] == low + width and xs == sorted(set(xs))
    for x in range(low, low + width + 1):
        before = max((p for p in points if p[0] <= x), key=lambda p: p[0])
        after = min((p for p in points if p[0] >= x), key=lambda p: p[0])
        value = before[1] if before == after else \
            before[1] + (after[1] - before[1]) * Fraction(x - before[0], after[0] - before[0])
        assert value == clamped(line, x)
    for a, b, c in zip(points, points[1:], points[2:]):  # the fewest: no point in line with its neighbours
        assert (b[1] - a[1]) * (c[0] - b[0]) != (c[1] - b[1]) * (b[0] - a[0])


def test_a_real_issue_is_refused_without_a_step(tmp_path):
    with pytest.raises(InvalidScenario) as caught:
        import_genius(*REAL)
    (problem,) = caught.value.diagnostics
    assert (problem.location.line, problem.location.column) == (4, 40)
    assert "real" in problem.message and "--step" in problem.hint
    assert problem.line_text.strip().startswith('<issue index="1" name="volume"')


def test_a_real_issue_with_a_step_becomes_whole_steps(tmp_path):
    scenario = imported(tmp_path, *REAL, step=Fraction(1, 4))
    volume = scenario.issues["volume"]
    assert (volume.min, volume.max) == (2, 8)  # 0.5 .. 2.0 in quarters
    assert "0.25" in scenario.description
    (farmer,) = scenario.parties
    for k in range(2, 9):  # GENIUS: clamp(0.75 · v - 0.25) with v = k / 4
        expected = min(max(Fraction(3, 4) * Fraction(k, 4) - Fraction(1, 4), Fraction(0)), Fraction(1))
        assert utility_of(farmer.utility, scenario.issues, {"volume": k}) == PRECISION * expected


def test_every_problem_in_every_file_is_reported_together_and_located(tmp_path):
    with pytest.raises(InvalidScenario) as caught:
        import_genius(DISCRETE[0], [DATA / "malformed" / "bad-buyer.xml", tmp_path / "missing.xml",
                                    DATA / "malformed" / "unclosed.xml", DATA / "malformed" / "laughs.xml"])
    found = {(Path(d.location.file).name if d.location else None, d.location.line if d.location else None,
              d.location.column if d.location else None, d.message) for d in caught.value.diagnostics}
    assert found == {
        (None, None, None, f"cannot read '{tmp_path / 'missing.xml'}': No such file or directory"),
        ("bad-buyer.xml", 2, 1, "the profile has no weight for issue 2 ('Hard disk')"),
        ("bad-buyer.xml", 4, 46, 'evaluation="three" is not a number'),
        ("bad-buyer.xml", 5, 28, "issue 'Brand' has no value 'Macc' in the domain"),
        ("bad-buyer.xml", 8, 17, "no issue has index 7 in the domain"),
        ("unclosed.xml", 4, 3, "malformed XML: mismatched tag"),
        ("laughs.xml", 2, 16, "a document type declaration (<!DOCTYPE ...>) is not read"),
    }
    by_message = {d.message: d for d in caught.value.diagnostics}
    assert by_message["issue 'Brand' has no value 'Macc' in the domain"].hint == "did you mean 'Mac'?"
    assert by_message['evaluation="three" is not a number'].width == len("three")


def test_the_files_size_and_nesting_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("FEASIBLE_MAX_FILE_BYTES", "100")
    with pytest.raises(InvalidScenario) as caught:
        import_genius(*DISCRETE)
    assert all("larger than the limit of 100 bytes" in d.message for d in caught.value.diagnostics)
    monkeypatch.delenv("FEASIBLE_MAX_FILE_BYTES")
    deep = tmp_path / "deep.xml"
    deep.write_text("<a>" * 70 + "</a>" * 70)
    with pytest.raises(InvalidScenario) as caught:
        import_genius(deep, [DISCRETE[1][0]])
    assert any("nested more than 64 levels" in d.message for d in caught.value.diagnostics)


def test_names_that_are_not_valid_become_slugs_labelled_with_the_original():
    assert issue_names(["CD player", "size", "0:00-2:59 prices", "price", "cd_player", "Price"]) == [
        "cd_player_2", "size_issue", "issue_0_00_2_59_prices", "price", "cd_player", "price_2"]  # valid names kept
    taken: set[str] = set()
    assert [party_id(stem, taken) for stem in ["Buyer", "buyer", "scenario", "facts", "1st party"]] == [
        "buyer", "buyer-2", "scenario-party", "facts-party", "party_1st_party"]


def test_a_hyperrectangle_on_a_discrete_issue_is_refused(tmp_path):
    profile = tmp_path / "p.xml"
    profile.write_text('<utility_space type="nonlinear"><objective name="x">\n<utility maxutility="10">'
                       '<ufun type="PlainUfun" weight="1" aggregation="sum">\n<hyperRectangle utility="5">\n'
                       '<INCLUDES index="1" min="0" max="1"/></hyperRectangle></ufun></utility>'
                       '</objective></utility_space>')
    with pytest.raises(InvalidScenario) as caught:
        import_genius(DISCRETE[0], [profile])
    (problem,) = caught.value.diagnostics
    assert problem.message == "a hyperRectangle bounds issue 'Brand', which is not an integer issue"
    assert (problem.location.line, problem.location.column) == (4, 18)


# --- export ---------------------------------------------------------------------------------------------------


def test_export_refuses_what_genius_cannot_state():
    with pytest.raises(UserError) as caught:
        export_genius(load_scenario("ceasefire-basics"))
    message = caught.value.message
    assert message.startswith("the scenario does not fit GENIUS's format:")
    assert "facts: facts/" in message and "party 'blue_side' has no utility block" in message
    assert "party 'blue_side' has red lines or demands: blue_side/" in message


def scenario_with(tmp_path: Path, issue: str, block: str) -> Scenario:
    (tmp_path / "scenario.yaml").write_text(f"title: t\nissues:\n  {issue}\n")
    (tmp_path / "a.yaml").write_text(f"party: a\nutility:\n{block}")
    return load_scenario(tmp_path)


def test_export_refuses_points_that_are_not_a_clamped_line(tmp_path):
    scenario = scenario_with(tmp_path, "x: {type: int, min: 0, max: 4}",
                             "  issues:\n    x: {weight: 1, points: [[0, 0], [2, 1], [4, 0]]}\n")
    with pytest.raises(UserError, match="points of int issue 'x' are not a clamped straight line"):
        export_genius(scenario)


def test_export_refuses_a_number_without_a_decimal_form(tmp_path):
    scenario = scenario_with(tmp_path, "x: {values: [a, b]}", "  issues:\n    x: {weight: '1/3', scores: {a: 1}}\n")
    with pytest.raises(UserError, match="the weight of x is 1/3, which has no exact decimal form"):
        export_genius(scenario)


def test_export_writes_a_bool_issue_as_two_items_and_an_unscored_issue_with_weight_0(tmp_path):
    (tmp_path / "scenario.yaml").write_text("title: t\nissues:\n  b: {type: bool}\n  x: {values: [p, q]}\n")
    (tmp_path / "a.yaml").write_text("party: a\nutility:\n  issues:\n    b: {weight: 0.5, scores: {true: 2}}\n")
    files = export_genius(load_scenario(tmp_path))
    assert '<item index="1" value="true" evaluation="2"/>' in files["a.xml"]
    assert '<item index="2" value="false" evaluation="0"/>' in files["a.xml"]
    assert '<weight index="2" value="0"/>' in files["a.xml"]
    out = written(files, tmp_path / "out")
    back = imported(tmp_path / "back", out / DOMAIN_FILE, [out / "a.xml"])
    assert back.issues["b"].values == ("true", "false")


# --- the round trip, over random GENIUS domains ----------------------------------------------------------------

NAMES = ["Price", "price", "CD player", "size", "a-b", "x1", "Delivery time", "count", "0:00 slot", "ünïcode"]
TEXTS = st.text(alphabet="ab Zé&<>\"'-_.:/1", min_size=1, max_size=5).filter(lambda t: any(c.isalpha() for c in t))
STEMS = ["Buyer", "seller", "Party A", "prof-1", "consumer_2", "Zé"]


def decimal(number: Fraction) -> str:
    return format(Decimal(number.numerator) / Decimal(number.denominator), "f")


@st.composite
def genius_domains(draw):
    """A small GENIUS domain and 1-3 profiles (linear, or hyperRectangles when every issue is an integer one)."""
    count = draw(st.integers(1, 3))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=count, max_size=count, unique=True))
    issues = []
    for name in names:
        if draw(st.booleans()):
            issues.append((name, draw(st.lists(TEXTS, min_size=1, max_size=4, unique=True))))
        else:
            low = draw(st.integers(-3, 5))
            issues.append((name, (low, low + draw(st.integers(0, 6)))))
    nonlinear = all(isinstance(v, tuple) for _, v in issues) and draw(st.booleans())
    stems = draw(st.lists(st.sampled_from(STEMS), min_size=1, max_size=3, unique=True))
    profiles = {stem: draw(_profile(issues, nonlinear)) for stem in stems}
    return _domain_xml(issues, ""), profiles, issues


def _attr(text: str) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(text)


def _domain_xml(issues, inside) -> str:
    body = []
    for index, (name, values) in enumerate(issues, start=1):
        if isinstance(values, tuple):
            body.append(f'<issue index="{index}" name={_attr(name)} type="integer" lowerbound="{values[0]}" '
                        f'upperbound="{values[1]}">{inside.get(index, "") if inside else ""}</issue>')
        else:
            items = "".join(f'<item index="{i}" value={_attr(v)}{inside.get((index, v), "") if inside else ""}/>'
                            for i, v in enumerate(values, start=1))
            body.append(f'<issue index="{index}" name={_attr(name)} type="discrete">{items}</issue>')
    return ("<negotiation_template><utility_space><objective index=\"0\" name=\"Random deal\">\n"
            + "\n".join(body) + "\n</objective></utility_space></negotiation_template>\n")


FRACTIONS = st.builds(Fraction, st.integers(0, 40), st.sampled_from([1, 4, 10, 20]))


@st.composite
def _profile(draw, issues, nonlinear):
    tail = ""
    if draw(st.booleans()):
        tail += f'<reservation value="{decimal(draw(FRACTIONS) / 40)}"/>'
    if draw(st.booleans()):
        tail += f'<discount_factor value="{decimal(Fraction(draw(st.integers(1, 9)), 10))}"/>'
    if nonlinear:
        rectangles = []
        for _ in range(draw(st.integers(1, 3))):
            chosen = draw(st.lists(st.integers(1, len(issues)), min_size=1, max_size=len(issues), unique=True))
            bounds = []
            for index in chosen:
                low, high = issues[index - 1][1]
                a, b = sorted(draw(st.integers(low, high)) for _ in range(2))
                bounds.append(f'<INCLUDES index="{index}" min="{a}" max="{b}"/>')
            worth = draw(st.integers(1, 60))
            rectangles.append(f'<hyperRectangle utility="{worth}">{"".join(bounds)}</hyperRectangle>')
        utility = (f'<utility maxutility="{draw(st.integers(1, 100))}"><ufun type="PlainUfun" weight="1" '
                   f'aggregation="sum">{"".join(rectangles)}</ufun></utility>')
        return (f'<utility_space type="nonlinear"><objective index="0" name="Random deal">{utility}</objective>'
                f"{tail}</utility_space>\n")
    inside = {}
    for index, (_, values) in enumerate(issues, start=1):
        if isinstance(values, tuple):
            slope, offset = Fraction(draw(st.integers(-10, 10)), 20), Fraction(draw(st.integers(-5, 15)), 10)
            inside[index] = f'<evaluator ftype="linear" slope="{decimal(slope)}" offset="{decimal(offset)}"/>'
        else:
            for value in values:
                inside[(index, value)] = f' evaluation="{decimal(draw(FRACTIONS))}"'
    weights = "".join(f'<weight index="{i}" value="{decimal(draw(FRACTIONS) / 40)}"/>'
                      for i in range(1, len(issues) + 1))
    objective = _domain_xml(issues, inside).split("\n", 1)[1].rsplit("\n", 2)[0]
    return (f'<utility_space><objective index="0" name="Random deal">\n{objective}\n{weights}</objective>'
            f"{tail}</utility_space>\n")


@settings(max_examples=60, deadline=None)
@given(genius_domains(), st.randoms(use_true_random=False))
def test_import_export_import_gives_the_same_scenario(case, random):
    domain_xml, profiles, issues = case
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        (root / "in").mkdir()
        (root / "in" / "domain.xml").write_text(domain_xml, encoding="utf-8")
        paths = []
        for stem, text in profiles.items():
            paths.append(root / "in" / f"{stem}.xml")
            paths[-1].write_text(text, encoding="utf-8")
        first = import_genius(root / "in" / "domain.xml", paths)
        scenario = load_scenario(written(first, root / "one"))
        exported = written(export_genius(scenario), root / "out")
        again = import_genius(exported / DOMAIN_FILE, sorted(p for p in exported.iterdir() if p.name != DOMAIN_FILE))
        assert again == first
        assert load_scenario(written(again, root / "two")) == scenario
        # and the utilities are GENIUS's, at one random outcome
        genius, _ = outcomes(root / "in" / "domain.xml")
        values = [random.choice(v) if isinstance(v, list) else random.randint(*v) for _, _, v in genius]
        deal, by_index = deal_of(list(scenario.issues), genius, values)
        by_id = {party_id(p.stem, set()): p for p in paths}
        for party in scenario.parties:
            ours = utility_of(party.utility, scenario.issues, deal)
            assert abs(ours - PRECISION * genius_utility(by_id[party.id], by_index)) <= Fraction(len(issues) + 1, 2)


# --- the commands ----------------------------------------------------------------------------------------------


def test_import_then_export_on_the_command_line(cli, tmp_path):
    domain, profiles = INTEGER
    result = cli("import", "genius", str(domain), *map(str, profiles), "-o", str(tmp_path / "grid"))
    assert result.exit_code == ExitCode.OK, result.output
    assert sorted(p.name for p in (tmp_path / "grid").iterdir()) == ["consumer.yaml", "producer.yaml",
                                                                     "scenario.yaml"]
    assert "the scenario loads and validates: 2 parties, 2 issues" in result.stdout
    result = cli("export", "genius", str(tmp_path / "grid"), "-o", str(tmp_path / "xml"))
    assert result.exit_code == ExitCode.OK, result.output
    assert sorted(p.name for p in (tmp_path / "xml").iterdir()) == ["consumer.xml", "domain.xml", "producer.xml"]
    assert 'slope="-0.15" offset="1.1"' in (tmp_path / "xml" / "consumer.xml").read_text()


def test_import_refuses_a_directory_that_is_not_empty_unless_forced(cli, tmp_path):
    domain, profiles = DISCRETE
    target = tmp_path / "laptop"
    target.mkdir()
    (target / "old-party.yaml").write_text("party: old\n")
    (target / "notes.txt").write_text("kept\n")
    result = cli("import", "genius", str(domain), *map(str, profiles), "-o", str(target))
    assert result.exit_code == ExitCode.USER_ERROR
    assert "is not empty" in result.output and "--force" in result.output
    result = cli("import", "genius", str(domain), *map(str, profiles), "-o", str(target), "--force")
    assert result.exit_code == ExitCode.OK, result.output
    # a stale party file would be read as a party: it goes; what is not a scenario file stays
    assert sorted(p.name for p in target.iterdir()) == ["buyer.yaml", "notes.txt", "scenario.yaml",
                                                        "seller-profile.yaml"]


@pytest.mark.parametrize("args, said", [
    (["--step", "0.1x"], "--step '0.1x' is not a number"),
    (["--step", "0"], "--step 0 is not above 0"),
    ([], "issue 'volume' is real"),
])
def test_import_errors_exit_2_without_writing(cli, tmp_path, args, said):
    domain, profiles = REAL
    result = cli("import", "genius", str(domain), *map(str, profiles), "-o", str(tmp_path / "out"), *args)
    assert result.exit_code == ExitCode.USER_ERROR
    assert said in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_export_of_a_scenario_that_does_not_fit_exits_2(cli, tmp_path):
    result = cli("export", "genius", "three-party-toy", "-o", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USER_ERROR
    assert "does not fit GENIUS's format" in result.output
    assert not (tmp_path / "out").exists()


def test_an_import_that_would_not_load_writes_nothing(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("FEASIBLE_MAX_UTILITY_VALUES", "5")  # the grid's price spans 11 values
    domain, profiles = INTEGER
    result = cli("import", "genius", str(domain), *map(str, profiles), "-o", str(tmp_path / "grid"))
    assert result.exit_code == ExitCode.USER_ERROR
    assert f"{tmp_path / 'grid' / 'consumer.yaml'}:" in result.output  # named as it would have been written
    assert "more than the limit of 5" in result.output
    assert not (tmp_path / "grid").exists()
