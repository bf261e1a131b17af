"""casebook.law.report: the plain-text French rendering of versions, traces, verdicts and
assessments."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from casebook import Situation, evaluate, evaluate_one, synthesize
from casebook.law.logic import TraceNode
from casebook.law.report import (
    assessment_text,
    trace_lines,
    verdict_text,
    version_line,
    version_span,
    why_not,
)

D2020 = dt.date(2020, 5, 4)
BOUND = {"necessary_confidant": True, "learned_in_function": True}
FIVE = ("recipient_bound", "same_mission", "informed_consent", "only_necessary", "in_person_interest")
SHARING = {**BOUND, "sharing_planned": True, **dict.fromkeys(FIVE, True)}


@pytest.mark.parametrize(("start", "end", "expected"), [
    (None, None, "en vigueur avant 1990 et toujours en vigueur"),
    (None, dt.date(2017, 8, 2), "en vigueur avant 1990, jusqu'au 02/08/2017"),
    (dt.date(2017, 8, 3), None, "depuis le 03/08/2017"),
    (dt.date(2017, 8, 3), dt.date(2026, 4, 7), "du 03/08/2017 au 07/04/2026"),
])
def test_version_span(kb, start, end, expected):
    version = dataclasses.replace(kb.version("art458-2017"), valid_from=start, valid_until=end)
    assert version_span(version) == expected


def test_version_line(kb):
    assert version_line(None) == "aucune version en vigueur"
    v = kb.version("art458-2017")
    assert version_line(v) == f"{v.citation} (du 03/08/2017 au 07/04/2026) [source secondaire]"
    assert version_line(kb.version("art458-2026")).endswith("(depuis le 08/04/2026) [à vérifier]")


def test_trace_lines_marks_values_and_judgement():
    verdict = dataclasses.make_dataclass("V", ["trace"])(trace=(
        TraceNode("Champ", "c", None, children=(
            TraceNode("Oui", "c", True),
            TraceNode("Non", "c", False),
            TraceNode("Grave ?", "c", None, judgement=True),
        )),
    ))
    assert trace_lines(verdict) == [
        "? Champ : inconnue",
        "  ✔ Oui : remplie",
        "  ✘ Non : non remplie",
        "  ? Grave ? : inconnue — votre appréciation",
    ]


def test_verdict_text_for_an_exception(kb):
    v = evaluate_one(kb, Situation(SHARING, D2020), "secret_partage")
    text = verdict_text(v)
    lines = text.splitlines()
    assert lines[0] == v.provision.title
    assert lines[1] == "  → Faculté de partager (Les cinq conditions cumulatives sont réunies)"
    assert lines[2] == f"  Version appliquée : {version_line(v.version)}"
    assert f"  {v.explanation}" in lines
    assert "  À qui : un intervenant tenu au secret, qui le sait et poursuit la même mission" in lines
    assert "  Quoi : uniquement ce qui est nécessaire à la mission commune" in lines
    assert any(line.startswith("  Dans quelle mesure : ") for line in lines)
    assert "  Raisonnement :" in lines
    assert "    ✔ Champ d'application : remplie" in lines
    assert "    ✔ Exception : Les cinq conditions cumulatives sont réunies : remplie" in lines


def test_verdict_text_with_penalty_and_remarks(kb):
    v = evaluate_one(kb, Situation({**BOUND, "function_ended": True}, D2020), "art458")
    text = verdict_text(v)
    assert f"  Peine : {v.penalty_text}" in text
    assert "  Remarque : Quitter la fonction ne libère pas du secret" in text


def test_verdict_text_for_an_annulled_provision(kb):
    v = evaluate_one(kb, Situation({}, dt.date(2018, 1, 1)), "art46bis1_p3")
    text = verdict_text(v)
    assert "→ Non applicable (Hors vigueur)" in text
    assert "Version appliquée : aucune version en vigueur" in text
    assert "Annulé par la Cour constitutionnelle" in text


def test_assessment_text(kb):
    assessment = evaluate(kb, Situation(SHARING, D2020))
    text = assessment_text(kb, assessment)
    assert text.startswith("Situation au 04/05/2020\n\n" + synthesize(kb, assessment) + "\n")
    assert text.endswith("\n")
    assert kb.provisions["secret_partage"].title in text
    assert "  Et si… Si " in text
    skipped = [v for v in assessment.verdicts.values()
               if v.outcome == "non_applicable" and not v.debate]  # a debate is always shown
    assert skipped
    # each provision that does not apply is named with, in one line, why it does not apply
    assert "Ne s'appliquent pas ici :" in text
    for v in skipped:
        assert f"\n  - {v.provision.short} : {why_not(v, D2020)}.\n" in text + "\n"
    assert "condition non remplie : Quelqu'un vous demande de parler" in text  # nobody asks
    for v in skipped:
        assert f"\n{v.provision.title}\n" not in text


def test_assessment_text_can_show_everything(kb):
    assessment = evaluate(kb, Situation(SHARING, D2020))
    text = assessment_text(kb, assessment, only_relevant=False)
    for p in kb.provisions.values():
        assert p.title in text
    assert "Ne s'appliquent pas ici" not in text
