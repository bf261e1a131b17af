"""The cases the « Atelier de cas » edits, as plain data (`casebook.interface.pages.draft`): a case id
repeated in the file is named among the problems, and the fact form's answers go into the case
with each fact kept in its place."""

from __future__ import annotations

import copy

from test_casefile import CASE

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
