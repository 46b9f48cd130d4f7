"""Every ANAC domain in ../shared/data/anac (GENIUS XML, beside the repository; a user's clone has none, and the test
is skipped, saying so) imports, loads, is worth to each party what GENIUS says on a sample of outcomes, and comes
back the same through export and import. $FEASIBLE_ANAC names another copy (benchmarks/genius_xml.py `anac_root`,
the one lookup the benchmarks and tests/test_anac_domains.py use too)."""

from __future__ import annotations

import random
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from feasible.positions import load_scenario
from feasible.positions.genius import DOMAIN_FILE, export_genius, import_genius
from feasible.positions.genius.importing import party_id
from feasible.positions.utility import PRECISION, utility_of
from solver_support.genius import deal_of, domain_issues, genius_utility

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import genius_xml  # noqa: E402

ANAC = genius_xml.anac_root() or Path("../shared/data/anac")
DOMAINS = sorted(p.parent for p in ANAC.glob("y*/*/*.xml") if p.name != "pareto.xml") if ANAC.is_dir() else []
SAMPLE = 60  # outcomes per domain checked against GENIUS's definition

pytestmark = pytest.mark.skipif(not DOMAINS, reason=f"the ANAC domains are not here ({ANAC} is absent: they sit "
                                                    "beside the repository, not in it)")


def genius_files(folder: Path) -> tuple[Path, list[Path]]:
    """The domain file (its root is <negotiation_template>) and the profiles, by name."""
    files = sorted(p for p in folder.glob("*.xml") if p.name != "pareto.xml")
    domains = [p for p in files if b"<negotiation_template" in p.read_bytes()[:1000]]
    assert len(domains) == 1, folder
    return domains[0], [p for p in files if p not in domains]


def written(files: dict[str, str], directory: Path) -> Path:
    directory.mkdir()
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.mark.parametrize("folder", sorted(set(DOMAINS)), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_an_anac_domain_imports_loads_and_is_worth_what_genius_says(tmp_path, folder):
    domain, profiles = genius_files(folder)
    files = import_genius(domain, profiles)
    scenario = load_scenario(written(files, tmp_path / "scenario"))
    assert len(scenario.parties) == len(profiles)
    profile_of = {party_id(p.stem, set()): p for p in profiles}
    genius = domain_issues(domain)
    pick = random.Random(folder.name)
    for _ in range(SAMPLE):
        values = [pick.choice(v) if isinstance(v, list) else pick.randint(*v) for _, _, v in genius]
        deal, by_index = deal_of(list(scenario.issues), genius, values)
        for party in scenario.parties:
            ours = utility_of(party.utility, scenario.issues, deal)
            exact = PRECISION * genius_utility(profile_of[party.id], by_index)
            assert abs(ours - exact) <= Fraction(len(genius) + 1, 2), (party.id, deal)
    exported = written(export_genius(scenario), tmp_path / "genius")
    again = import_genius(exported / DOMAIN_FILE, sorted(p for p in exported.iterdir() if p.name != DOMAIN_FILE))
    assert again == files
