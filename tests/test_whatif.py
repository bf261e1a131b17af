"""casebook.law.whatif: the smallest changes of facts that change a provision's outcome, in French."""

from __future__ import annotations

import datetime as dt

import pytest

from casebook import DataErrors, Situation, evaluate_one, what_if
from casebook.law.scenarios import load_scenarios

D2020 = dt.date(2020, 5, 4)
FIVE = ("recipient_bound", "same_mission", "informed_consent", "only_necessary", "in_person_interest")
NO_CONSENT = {"necessary_confidant": True, "learned_in_function": True, "sharing_planned": True,
              **dict.fromkeys(FIVE, True), "informed_consent": False}


def test_consent_turns_silence_into_a_faculty_to_share(kb):
    results = what_if(kb, Situation(NO_CONSENT, D2020), "secret_partage")
    consent = [w for w in results if w.changes == (("informed_consent", True),)]
    assert len(consent) == 1
    w = consent[0]
    assert w.provision == "secret_partage"
    assert w.outcome == "faculte_de_partager"
    assert w.sentence == ("Si la personne avait donné son accord éclairé, la réponse (Secret partagé) "
                          "deviendrait : faculté de partager.")


def test_single_changes_only_when_one_suffices(kb):
    results = what_if(kb, Situation(NO_CONSENT, D2020), "secret_partage")
    assert results
    assert all(len(w.changes) == 1 for w in results)
    changed = {w.changes[0][0] for w in results}
    # giving up one of the scope conditions also changes the answer (to non applicable)
    assert {"informed_consent", "sharing_planned", "necessary_confidant"} <= changed
    # a condition that is already true cannot help by being made true again
    assert "recipient_bound" not in {f for w in results for f, v in w.changes if v is True}


def test_pairs_only_when_no_single_change_works(kb):
    s = Situation({"necessary_confidant": False, "learned_in_function": False}, D2020)
    assert evaluate_one(kb, s, "art458").outcome == "non_applicable"
    results = what_if(kb, s, "art458")
    assert [(w.changes, w.outcome) for w in results] == [
        ((("necessary_confidant", True), ("learned_in_function", True)), "obligation_de_se_taire")]
    assert results[0].sentence == (
        "Si votre fonction faisait de vous un confident nécessaire et si vous aviez appris "
        "l'information dans l'exercice de votre fonction, la réponse (Art. 458 CP) deviendrait : "
        "obligation de se taire.")


def test_no_pair_with_max_changes_one(kb):
    s = Situation({"necessary_confidant": False, "learned_in_function": False}, D2020)
    assert what_if(kb, s, "art458", max_changes=1) == []


def test_a_change_that_opens_a_question_is_completed(kb):
    # Asked by "une personne": témoignage does not apply. Being heard by a judge alone opens a
    # new question (under oath?), so the what-if completes it with each of its answers.
    s = Situation({"necessary_confidant": True, "learned_in_function": True, "forum": "personne"}, D2020)
    assert evaluate_one(kb, s, "temoignage").outcome == "non_applicable"
    results = {w.changes: w for w in what_if(kb, s, "temoignage")}
    oath = results[(("forum", "tribunal"), ("summoned_under_oath", True))]
    assert oath.outcome == "faculte_de_parler"
    assert oath.sentence == (
        "Si vous étiez appelé(e) devant une cour ou un tribunal et si vous étiez convoqué(e) et sous "
        "serment, la réponse (Témoignage en justice) deviendrait : faculté de parler.")
    # a judge without oath, or the police: testimony still does not open, nothing to offer
    assert (("forum", "tribunal"), ("summoned_under_oath", False)) not in results
    assert (("forum", "police"),) not in results
    assert all(w.outcome != "indetermine" for w in results.values())
    # a two-change entry is only ever the completion of a first change that left the answer open
    for changes in results:
        if len(changes) == 2:
            first = evaluate_one(kb, s.with_facts(**dict(changes[:1])), "temoignage")
            assert first.outcome == "indetermine"
            assert first.unknown[0] == changes[1][0]


def test_from_an_open_answer_only_known_outcomes_are_offered(kb):
    results = what_if(kb, Situation({}, D2020), "art458")
    assert {(w.changes, w.outcome) for w in results} == {
        ((("necessary_confidant", False),), "non_applicable"),
        ((("learned_in_function", False),), "non_applicable"),
        ((("profession", "enseignant"),), "non_applicable"),  # the job decides who is bound
    }


def _situations(kb):
    yield Situation(NO_CONSENT, D2020)
    yield Situation({}, D2020)
    yield Situation({"necessary_confidant": True, "learned_in_function": True, "forum": "tribunal"},
                    dt.date(2016, 1, 1))
    try:
        scenarios = load_scenarios(kb)
    except DataErrors:  # the scenario files are checked by test_scenarios.py
        scenarios = []
    for sc in scenarios[:15]:
        yield sc.situation


def test_what_ifs_never_repeat_the_current_outcome_and_are_true(kb):
    checked = 0
    for s in _situations(kb):
        for pid in kb.provisions:
            current = evaluate_one(kb, s, pid).outcome
            for w in what_if(kb, s, pid):
                checked += 1
                assert w.outcome != current, (pid, w)
                assert evaluate_one(kb, s.with_facts(**dict(w.changes)), pid).outcome == w.outcome
                assert w.sentence.startswith(("Si ", "S'"))  # "S'il ..." is French too
                assert w.sentence.endswith(".")
                assert f"({kb.provisions[pid].short})" in w.sentence
                if current == "indetermine":
                    assert w.outcome != "indetermine"
                for fid, value in w.changes:
                    assert kb.facts[fid].type != "date"
                    assert s.facts.get(fid) != value
    assert checked > 50


@pytest.mark.parametrize("pid", ["secret_partage", "art458", "temoignage"])
def test_changes_are_read_by_the_provision(kb, pid):
    for w in what_if(kb, Situation(NO_CONSENT, D2020), pid):
        assert {f for f, _ in w.changes} <= set(kb.facts_of(pid))


def test_nothing_is_offered_when_every_branch_answers_the_same(kb):
    # The person's consent is debated: every reading retained answers « non applicable ».
    s = Situation({"necessary_confidant": True, "learned_in_function": True,
                   "person_request": "accord_transmission"}, D2020)
    assert evaluate_one(kb, s, "accord_personne").outcome == "non_applicable"
    assert what_if(kb, s, "accord_personne") == []
