"""The review of GENIUS import/export (issue 19): bounded exact numbers, bounded error output, the domain file's
name, --force leftovers, what export drops, --step, issue names, quoted values, swapped files and "root" titles."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from feasible.cli.exitcodes import ExitCode
from feasible.positions import InvalidScenario, load_scenario
from feasible.positions.genius import export_genius, export_notes, import_genius
from feasible.positions.genius.importing import dividing_step, issue_names
from feasible.positions.numbers import TooLarge, exact_decimal, exact_fraction

DATA = Path(__file__).parent / "data" / "genius"
DISCRETE = (DATA / "discrete" / "laptop.xml",
            [DATA / "discrete" / "buyer.xml", DATA / "discrete" / "Seller-Profile.xml"])
INTEGER = (DATA / "integer" / "grid.xml", [DATA / "integer" / "consumer.xml", DATA / "integer" / "producer.xml"])


def domain_xml(issues: str, name: str = "Deal") -> str:
    return (f'<negotiation_template><utility_space><objective index="0" name="{name}" type="objective">{issues}'
            "</objective></utility_space></negotiation_template>\n")


def one_issue_files(tmp_path: Path, weight: str = "1", evaluation: str = "1", name: str = "Deal") -> tuple[Path, Path]:
    domain = tmp_path / "domain.xml"
    domain.write_text(domain_xml('<issue index="1" name="colour" type="discrete"><item index="1" value="red"/>'
                                 '<item index="2" value="blue"/></issue>', name))
    profile = tmp_path / "buyer.xml"
    profile.write_text('<utility_space><objective index="0" name="Deal" type="objective">'
                       '<issue index="1" name="colour" type="discrete">'
                       f'<item index="1" value="red" evaluation="{evaluation}"/>'
                       '<item index="2" value="blue" evaluation="0.5"/></issue>'
                       f'<weight index="1" value="{weight}"/></objective></utility_space>\n')
    return domain, profile


def write_files(files: dict[str, str], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


# --- 1: a short number is read within bounds ------------------------------------------------------------------


@pytest.mark.parametrize("text, why", [("1e99999999", "too large"), ("1e5000", "too large"),
                                       ("1e-99999999", "too small"), ("1" * 5000, "too long"),
                                       ("0." + "1" * 150, "too precise")])
def test_a_number_beyond_the_bounds_is_refused_before_it_is_built(text, why):
    with pytest.raises(TooLarge) as caught:
        exact_decimal(text)
    assert why in caught.value.message
    assert ("…" in caught.value.message) == (len(text) > 24)  # a long text is quoted cut


def test_numbers_within_the_bounds_are_exact():
    assert exact_decimal("0.4626635100680855") == Fraction(4626635100680855, 10**16)
    assert exact_decimal("1e99") == 10**99 and exact_decimal("-0.5") == Fraction(-1, 2)
    assert exact_fraction("1/3") == Fraction(1, 3) and exact_fraction("3/0") is None
    assert exact_decimal("abc") is None and exact_decimal("NaN") is None and exact_decimal("Infinity") is None


@pytest.mark.parametrize("value", ["1e99999999", "1e5000"])
def test_a_huge_genius_number_is_a_located_error(tmp_path, cli, value):
    domain, profile = one_issue_files(tmp_path, weight=value)
    with pytest.raises(InvalidScenario) as caught:
        import_genius(domain, [profile])
    (problem,) = caught.value.diagnostics  # (and no "no weight for issue 1": the weight is there)
    assert problem.message == f'value="{value}" is too large to read exactly'
    assert problem.location.line == 1 and "significant digits" in problem.hint
    result = cli("import", "genius", str(domain), str(profile), "-o", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USER_ERROR and "Traceback" not in result.output


@pytest.mark.parametrize("weight", ["1e5000", '"1e99999999"', '"1/1' + "0" * 200 + '"'])
def test_a_huge_utility_block_number_is_a_located_error(write, cli, weight):
    write("s/scenario.yaml", """
        title: T
        issues:
          colour: {values: [red, blue]}
        """)
    write("s/a.yaml", f"""
        party: a
        utility:
          issues:
            colour: {{weight: {weight}, scores: {{red: 1, blue: 0}}}}
        """)
    result = cli("validate", "s")
    assert result.exit_code == ExitCode.USER_ERROR, result.output
    assert "s/a.yaml:4:" in result.output and "to read exactly" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_a_huge_step_is_refused(cli, tmp_path):
    domain, profile = one_issue_files(tmp_path)
    result = cli("import", "genius", str(domain), str(profile), "-o", str(tmp_path / "out"), "--step", "1e99999999")
    assert result.exit_code == ExitCode.USER_ERROR
    assert "--step '1e99999999' is too large to read exactly" in result.output


# --- 2: error output is bounded -------------------------------------------------------------------------------


def test_thousands_of_problems_on_one_long_line_print_a_bounded_report(cli, tmp_path):
    issues = "".join(f'<issue index="{i}" name="i{i}" type="discrete"><item index="1" value="v"/></issue>'
                     for i in range(1, 2001))
    domain = tmp_path / "domain.xml"
    domain.write_text(domain_xml(issues))
    profile = tmp_path / "p.xml"
    profile.write_text('<utility_space><objective index="0" name="Deal">'
                       + "".join(f'<weight index="{i}" value="x"/>' for i in range(1, 2001))
                       + "</objective></utility_space>")  # one line of 2,000 bad weights
    result = cli("import", "genius", str(domain), str(profile), "-o", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USER_ERROR
    assert len(result.output) < 200_000  # every diagnostic quoted the whole line: hundreds of megabytes
    assert "… and 1900 more problems, not shown" in result.output and "2000 problems in 1 file" in result.output
    assert 'value="x" is not a number' in result.output and "…" in result.output


# --- 3: no profile overwrites the domain file -----------------------------------------------------------------


def test_a_party_with_id_domain_is_refused_not_written_over_the_domain(write, cli, tmp_path):
    write("s/scenario.yaml", """
        title: T
        issues:
          colour: {values: [red, blue]}
        """)
    write("s/domain.yaml", """
        party: domain
        utility:
          issues:
            colour: {weight: 1, scores: {red: 1, blue: 0}}
        """)
    result = cli("export", "genius", "s", "-o", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USER_ERROR
    assert "party 'domain' would be written to domain.xml" in result.output
    assert not (tmp_path / "out").exists()


# --- 4: --force checks what the directory will hold -----------------------------------------------------------


def test_force_refuses_a_leftover_the_loader_would_refuse(cli, tmp_path):
    domain, profiles = DISCRETE
    target = tmp_path / "laptop"
    target.mkdir()
    (target / "zz.yml").write_text("party: zz\n")
    result = cli("import", "genius", str(domain), *map(str, profiles), "-o", str(target), "--force")
    assert result.exit_code == ExitCode.USER_ERROR
    assert "holds zz.yml" in result.output and "loads and validates" not in result.output
    assert sorted(p.name for p in target.iterdir()) == ["zz.yml"]


# --- 5: export says what it drops -----------------------------------------------------------------------------


def test_export_says_what_the_files_do_not_hold(write, cli, tmp_path):
    write("s/scenario.yaml", """
        title: T
        description: Why.
        issues:
          colour: {values: [red, blue], label: Colour of the car}
          sunroof: {type: bool}
        """)
    write("s/a.yaml", """
        party: a
        name: The buyer
        utility:
          issues:
            colour: {weight: 1, scores: {red: 1, blue: 0}}
        """)
    scenario = load_scenario(tmp_path / "s")
    notes = export_notes(scenario)
    assert any("colour → colour_of_the_car" in note for note in notes)
    assert any("party names (a:" in note for note in notes)
    assert any("bool issues (sunroof" in note for note in notes)
    assert any("description" in note for note in notes)
    result = cli("export", "genius", "s", "-o", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.OK, result.output
    assert "note: the GENIUS files do not hold" in result.stderr


def test_an_imported_scenario_exports_without_notes(tmp_path):
    scenario = load_scenario(write_files(import_genius(*INTEGER), tmp_path / "grid"))
    assert [note for note in export_notes(scenario) if "description" not in note] == []


# --- 6: --step never changes a range --------------------------------------------------------------------------


def real_files(tmp_path: Path, lower: str, upper: str) -> tuple[Path, Path]:
    domain = tmp_path / "domain.xml"
    domain.write_text(domain_xml(f'<issue index="1" name="volume" type="real"><range lowerbound="{lower}" '
                                 f'upperbound="{upper}"/></issue>'))
    profile = tmp_path / "farmer.xml"
    profile.write_text('<utility_space><objective index="0" name="Deal"><issue index="1" name="volume" '
                       f'type="real"><range lowerbound="{lower}" upperbound="{upper}"/><evaluator ftype="linear" '
                       'parameter0="0" parameter1="1"/></issue><weight index="1" value="1"/></objective>'
                       "</utility_space>")
    return domain, profile


def test_a_step_that_does_not_divide_the_range_is_refused_with_one_that_does(tmp_path):
    with pytest.raises(InvalidScenario) as caught:
        import_genius(*(lambda d, p: (d, [p]))(*real_files(tmp_path, "0", "1")), Fraction(3, 10))
    (problem,) = caught.value.diagnostics
    assert "is not a whole number of steps of 0.3" in problem.message
    assert problem.location.file.endswith("domain.xml") and "--step 0.25" in problem.hint


def test_too_many_steps_are_located_in_the_domain_with_a_larger_step(tmp_path, monkeypatch):
    monkeypatch.setenv("FEASIBLE_MAX_UTILITY_VALUES", "50")
    domain, profile = real_files(tmp_path, "0", "1")
    with pytest.raises(InvalidScenario) as caught:
        import_genius(domain, [profile], Fraction(1, 100))
    (problem,) = caught.value.diagnostics
    assert "101 values, more than the limit of 50" in problem.message
    assert problem.location.file.endswith("domain.xml") and "--step 0.025" in problem.hint


def test_dividing_steps_are_round():
    assert dividing_step(Fraction(0), Fraction(1), Fraction(3, 10)) == Fraction(1, 4)
    assert dividing_step(Fraction(0), Fraction(1000), Fraction(1, 100), larger=True) == Fraction(1, 100)


# --- 7, 8: names kept, values quoted --------------------------------------------------------------------------


def test_a_valid_issue_name_is_never_taken_by_a_slug():
    assert issue_names(["a b", "a_b"]) == ["a_b_2", "a_b"]


def test_values_in_hints_are_quoted(tmp_path):
    domain = tmp_path / "domain.xml"
    domain.write_text(domain_xml('<issue index="1" name="size" type="discrete"><item index="1" value="60 Gb"/>'
                                 '<item index="2" value="two&#10;lines"/></issue>'))
    profile = tmp_path / "p.xml"
    profile.write_text('<utility_space><objective index="0" name="Deal"><issue index="1" name="size" '
                       'type="discrete"><item index="1" value="zzz" evaluation="1"/>'
                       '<item index="2" value="60 Gb" evaluation="1"/></issue>'
                       '<weight index="1" value="1"/></objective></utility_space>')
    with pytest.raises(InvalidScenario) as caught:
        import_genius(domain, [profile])
    (problem,) = caught.value.diagnostics
    assert problem.hint == "its values: '60 Gb', \"two\\nlines\""


# --- 9: swapped files -----------------------------------------------------------------------------------------


def test_a_profile_given_as_the_domain_names_the_domain(cli, tmp_path):
    domain, (buyer, seller) = DISCRETE
    result = cli("import", "genius", str(buyer), str(domain), str(seller), "-o", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USER_ERROR
    assert "buyer.xml is a profile, not a domain" in result.output
    assert "the domain looks like" in result.output and "laptop.xml is a domain, not a profile" in result.output
    assert "buyer.xml:1:1" in result.output
    assert not (tmp_path / "out").exists()


# --- 10: titles -----------------------------------------------------------------------------------------------


def test_a_root_objective_takes_the_domain_files_name_and_round_trips(tmp_path):
    domain, profile = one_issue_files(tmp_path, name="root")
    domain = domain.rename(tmp_path / "Car_domain.xml")
    first = load_scenario(write_files(import_genius(domain, [profile]), tmp_path / "one"))
    assert first.title == "Car_domain"
    exported = write_files(export_genius(first), tmp_path / "xml")
    again = load_scenario(write_files(import_genius(exported / "domain.xml", [exported / "buyer.xml"]),
                                      tmp_path / "two"))
    assert again == first
