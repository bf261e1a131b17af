"""The November 2026 legal review (shared/law/review-2026-11.md): the findings whose fix is a
wording, a source or an address, checked in the data and the notebooks' commentary. The findings
that change an answer are shown by worked cases (`data/scenarios/revue_*.yaml`, `publies_*.yaml`)
and by tests of the modules they touch."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from casebook import Situation, evaluate_one

ROOT = Path(__file__).resolve().parent.parent
D2026 = dt.date(2026, 11, 2)


def _commentary() -> str:
    """Every markdown cell of every notebook."""
    text = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text += ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    return "\n".join(text)


def _data() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data").rglob("*.yaml")))


@pytest.mark.parametrize(("finding", "words"), [
    (6, "23 septembre 2025"),  # a committee date no source gives
    (8, "seul l'auteur de la révélation est punissable"),
    (8, "seule la personne qui a révélé"),
    (12, "reste secrète pour vous"),  # public knowledge taught as settled criminal law
    (13, "votre appréciation du « péril grave »"),
])
def test_a_claim_the_review_found_unsourced_or_overstated_is_gone(finding, words):
    assert words not in _data(), f"finding {finding}"
    assert words not in _commentary(), f"finding {finding}"


def test_finding_6_the_bill_is_cited_from_its_source_and_its_fate_left_open(kb):
    note = kb.version("art458bis-2026").status_note
    assert "compsy.be" in note or "Commission des psychologues" in note
    assert "à vérifier" in note


def test_finding_8_participation_is_mentioned(kb):
    bound = {"necessary_confidant": True, "learned_in_function": True, "disclosed_unjustified": True}
    verdict = evaluate_one(kb, Situation(bound, D2026), "sanction_penale")
    assert "art. 66 et 67" in verdict.explanation and "à vérifier" in verdict.explanation


def test_finding_9_past_facts_can_still_open_the_second_branch_of_458bis(kb):
    help_ = kb.facts["danger_timing"].help
    assert "seconde branche" in help_ and "d'autres mineurs" in help_


def test_finding_14_civil_liability_names_the_employees_limited_liability(kb):
    text = " ".join(b.explanation for v in kb.provisions["responsabilite_civile"].versions
                    for b in (v.rule.base, *v.rule.exceptions))
    text += " ".join(r.text for v in kb.provisions["responsabilite_civile"].versions
                     for r in v.rule.remarks)
    assert "art. 18" in text and "3 juillet 1978" in text


@pytest.mark.parametrize("vid", ["art458-1867", "temoignage-1867", "art422bis-1867"])
def test_finding_15_anachronistic_texts_say_so(kb, vid):
    version = kb.version(vid)
    assert any("date" in c and ("anciens" in c or "ancien" in c) for c in version.corrections), vid


def test_finding_16_citation_slips(kb):
    assert "n2002029454" in kb.version("maladies-2002").url  # the arrêté quoted, not its sibling
    assert "arret" not in (kb.version("art458bis-2012").url or "")  # no longer a 2013 judgment
    assert "×10" in kb.version("art458-2017").penalty
    text = kb.version("discretion-statuts").text
    assert "Personnels de l'enseignement" not in text  # no editorial words inside the quotation


@pytest.mark.parametrize("vid", ["renseignement14-2010", "renseignement2-2010"])
def test_finding_17_later_amendments_of_the_1998_law_are_flagged(kb, vid):
    assert "30 mars 2017" in kb.version(vid).status_note


def test_evidence_e1_the_2011_law_applies_from_30_january_2012(kb):
    assert kb.version("art458bis-2012").valid_from == dt.date(2012, 1, 30)
    assert kb.version("art458bis-2001").valid_until == dt.date(2012, 1, 29)
    rows = [r for r in kb.tables["timeline"].rows if r[1] == "art458bis" and "30/11/2011" in r[2]]
    assert rows and rows[0][0] == "2012-01-30"
