"""The cases the « Atelier de cas » edits, as plain data (`casebook.interface.pages.draft`): a case id
repeated in the file is named among the problems, the fact form's answers go into the case
with each fact kept in its place, and the « Idées reçues » field keys a line to an answer (and a
provision) written in brackets, strictly and without loss."""

from __future__ import annotations

import copy

import pytest
from test_casefile import CASE

from casebook.interface import ui
from casebook.interface.pages.draft import CaseDraft
from casebook.law import casefile
from casebook.law.scenarios import scenario_files


def test_a_case_id_repeated_in_the_file_is_refused(kb):
    path = next(p for p in scenario_files() if p.name == "partage.yaml")
    draft = CaseDraft(kb)
    draft.load(casefile.read(kb, path.read_bytes(), path.name).cases, path.name)
    draft.index = 1
    assert draft.problems() == []
    draft.set(("id",), draft.cases[0]["id"])
    assert any("identifiant de cas en double" in p for p in draft.problems())


def test_answering_a_fact_keeps_the_others_in_their_place(kb):
    draft = CaseDraft(kb)
    draft.load([{**copy.deepcopy(CASE), "facts": {"only_necessary": True, "necessary_confidant": True}}])
    draft.set_facts({"informed_consent": False, "necessary_confidant": True, "only_necessary": True})
    assert list(draft.case["facts"].items()) == [
        ("only_necessary", True), ("necessary_confidant", True), ("informed_consent", False)]
    draft.set_facts({"informed_consent": False, "necessary_confidant": True})  # only_necessary: « ? »
    assert draft.case["facts"] == {"necessary_confidant": True, "informed_consent": False}


def test_a_keyed_line_of_the_field_is_written_as_the_file_holds_it(kb):
    draft = CaseDraft(kb)
    draft.load([{**copy.deepcopy(CASE), "expected": {"secret_partage": {"outcome": "faculte_de_partager"},
                                                     "art458": {"outcome": "obligation_de_se_taire"}}}])
    draft.set_misconceptions("Entre collègues, tout se dit.\n\n"
                             "[Obligation de communiquer] Le partage devient obligatoire.\n"
                             "  [faculte de partager — Art. 458 CP]   L’accord suffit toujours.\n"
                             "[Obligation d’agir - art458] Il faut agir.")
    assert draft.case["misconceptions"] == [
        "Entre collègues, tout se dit.",
        {"text": "Le partage devient obligatoire.", "answer": "obligation_de_communiquer"},
        {"text": "L’accord suffit toujours.", "answer": "faculte_de_partager", "provision": "art458"},
        {"text": "Il faut agir.", "answer": "obligation_d_agir", "provision": "art458"},
    ]
    assert draft.misconceptions_text() == (
        "Entre collègues, tout se dit.\n"
        "[Obligation de communiquer] Le partage devient obligatoire.\n"
        "[Faculté de partager — Art. 458 CP] L’accord suffit toujours.\n"
        "[Obligation d'agir — Art. 458 CP] Il faut agir.")
    assert draft.problems() == []


@pytest.mark.parametrize(("line", "words"), [
    ("[Faculté de partagr] Entre collègues, tout se dit.",
     ("« Faculté de partagr » n&#x27;est pas une réponse", "Obligation de se taire, Faculté de partager")),
    ("[Faculté de partager — Secret partagée] Tout se dit.",
     ("« Secret partagée » n&#x27;est pas une disposition du casebook",
      "visées par ce cas : Secret partagé")),
    ("[Faculté de partager Entre collègues", ("crochet fermant « ] » manquant",)),
    ("[Faculté de partager]  ", ("le texte de l&#x27;idée reçue manque",)),
])
def test_brackets_that_name_no_answer_are_an_error_and_the_line_is_kept(kb, line, words):
    draft = CaseDraft(kb)
    draft.load([copy.deepcopy(CASE)])
    draft.set_misconceptions(f"Entre collègues, tout se dit.\n{line}")
    assert draft.case["misconceptions"] == ["Entre collègues, tout se dit.", line]  # as typed
    (problem,) = draft.problems()
    assert problem.startswith("Idées reçues, « [")
    for word in words:
        assert word in problem
    assert draft.misconceptions_text() == f"Entre collègues, tout se dit.\n{line}"


def test_a_keyed_misconception_the_case_cannot_show_gets_the_loaders_error(kb):
    draft = CaseDraft(kb)
    draft.load([copy.deepcopy(CASE)])
    draft.set_misconceptions("[Faculté de partager] La réponse attendue elle-même.\n"
                             "[Non applicable — Art. 458 CP] Une disposition que le cas ne vise pas.")
    problems = draft.problems()
    assert any(p.startswith("Idées reçues : « faculte_de_partager » (Faculté de partager) est la "
                            "réponse attendue de « secret_partage »") for p in problems)
    assert any(p.startswith("Idées reçues : disposition « art458 » absente des réponses attendues")
               for p in problems)


def test_every_misconception_of_the_casebook_survives_the_field(kb):
    draft = CaseDraft(kb)
    keyed = 0
    for sc in ui.scenarios():
        data = casefile.case_data(sc)
        draft.load([copy.deepcopy(data)])
        draft.set_misconceptions(draft.misconceptions_text())
        assert draft.case["misconceptions"] == data["misconceptions"], sc.id
        keyed += sum(isinstance(m, dict) for m in data["misconceptions"])
    assert keyed > 200
