"""The November and December 2026 legal reviews (shared/law/review-2026-11.md, -12.md): the
findings whose fix is a wording, a source or an address, checked in the data and the notebooks'
commentary. The findings
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
    bound = {"necessary_confidant": True, "learned_in_function": True, "disclosed_unjustified": True,
             "relied_on_annulled_provision": False}
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


# --- December 2026 review -------------------------------------------------------------------
def test_december_1_the_follow_up_reports_rest_on_named_sources_not_on_the_review(kb):
    version = kb.version("rapports-2001")
    assert "revue juridique du casebook" not in version.corrections[0]
    assert "1999021298" in version.status_source  # the 1998 cooperation agreement


def test_december_3_the_1988_judgment_is_dated_as_cited_by_the_2012_summary(kb):
    assert "cité par Cass., 31 octobre 2012" in kb.version("victime-client-2010").label


def test_december_7_every_new_code_version_says_what_applies_if_the_code_was_postponed(kb):
    """The 2024 Criminal Code's entry into force (8 April 2026) is announced, not confirmed on
    Justel: each version that starts that day says that the 1867 article stays in force if the
    date was postponed."""
    new_code = [v for p in kb.provisions.values() for v in p.versions
                if v.valid_from == dt.date(2026, 4, 8)]
    assert len(new_code) >= 9
    for v in new_code:
        assert any("reportée" in c and "1867" in c for c in v.corrections), v.id


def test_december_8_art_18_speaks_of_dol_and_volunteers_have_their_own_rule(kb):
    facts = {"disclosed_unjustified": True, "damage_caused": True}
    volunteer = evaluate_one(kb, Situation({**facts, "capacity": "benevole"}, D2026),
                             "responsabilite_civile")
    assert "dol" in volunteer.explanation and "en général" not in volunteer.explanation
    assert any("3 juillet 2005" in r for r in volunteer.remarks)
    employee = evaluate_one(kb, Situation({**facts, "capacity": "professionnel"}, D2026),
                            "responsabilite_civile")
    assert not any("3 juillet 2005" in r for r in employee.remarks)


def test_december_9_the_internal_order_remark_quotes_the_wording_of_its_date(kb):
    order = {"necessary_confidant": True, "learned_in_function": True,
             "internal_order_to_report": True}
    old = evaluate_one(kb, Situation(order, dt.date(2015, 5, 4)), "art458")
    new = evaluate_one(kb, Situation(order, dt.date(2019, 5, 4)), "art458")
    assert any("« la loi les oblige à faire connaître ces secrets »" in r for r in old.remarks)
    assert not any("décret ou l'ordonnance" in r for r in old.remarks)
    assert any("décret ou l'ordonnance" in r for r in new.remarks)


def test_december_10_the_surete_debate_belongs_to_the_2010_wording_only(kb):
    assert not any(b.debate for b in kb.version("renseignement14-1998").rule.exceptions)
    assert any(b.debate for b in kb.version("renseignement14-2010").rule.exceptions)


def test_december_11_the_documents_remark_names_the_prosecutors_seizure(kb):
    (remark,) = [r for r in kb.version("temoignage-2017").rule.remarks if "documents" in r.text]
    assert "procureur du Roi" in remark.text and "à vérifier" in remark.text


def test_december_12_art_29_notes_the_2022_whistleblower_law(kb):
    assert "8 décembre 2022" in kb.version("art29-2019").status_note


def test_december_14_help_texts_claim_no_more_than_their_provisions(kb):
    assert "lient tout le personnel" not in kb.facts["sector"].help
    assert "à vérifier" in kb.facts["school_role"].help


def test_december_16_the_peril_question_no_longer_asks_for_your_own_view(kb):
    assert not kb.facts["grave_peril"].question.startswith("Selon votre appréciation")
    assert "objectivement" in kb.facts["grave_peril"].help
