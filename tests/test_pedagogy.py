"""Feedback after a prediction (`casebook.interface.blocks.pedagogy`): after a wrong answer, only
the misconceptions of the case keyed to that very answer (and provision) are shown, for every
worked case and every wrong answer; « se taire » answered about an exception that does not open
is told that the secret holds, why the exception's own answer is « Non applicable » and which
rules impose the secret, as the engine answers them."""

from __future__ import annotations

import dataclasses
import re

import pytest

from casebook.interface import ui
from casebook.interface.blocks.pedagogy import feedback, silence_lesson
from casebook.law.engine import evaluate, evaluate_one
from casebook.law.labels import DEONTIC
from casebook.law.scenarios import Misconception

SHOWN = re.compile(r"Idées? reçues? souvent en cause : (.*)$")


def _case(sid: str):
    return next(s for s in ui.scenarios() if s.id == sid)


def _holders(kb, situation) -> list[str]:
    """What the engine says imposes the secret in `situation`, in the casebook's order."""
    return [v.provision.short for v in evaluate(kb, situation).verdicts.values()
            if v.outcome == "obligation_de_se_taire"]


def _rules(kb, situation) -> str:
    holders = _holders(kb, situation)
    if len(holders) == 1:
        return f"la règle qui l'impose est « {holders[0]} »"
    return ("les règles qui l'imposent sont " + ", ".join(f"« {h} »" for h in holders[:-1])
            + f" et « {holders[-1]} »")


def _shown(text: str) -> list[str]:
    found = SHOWN.search(text)
    return re.findall(r"« (.*?) »(?: ;|$)", found.group(1)) if found else []


def test_every_misconception_shown_is_keyed_to_the_wrong_answer_given(kb):
    shown_once = set()
    for sc in ui.scenarios():
        for exp in sc.expected:
            verdict = evaluate_one(kb, sc.situation, exp.provision)
            for chosen in DEONTIC:
                text = feedback(kb, sc, verdict, chosen)
                if chosen == verdict.outcome:
                    assert text.startswith("Bonne réponse") and not _shown(text), sc.id
                    continue
                want = [m.text for m in sc.misconceptions
                        if m.answer == chosen and m.provision in (None, exp.provision)]
                assert _shown(text) == want, (sc.id, exp.provision, chosen)
                shown_once.update((sc.id, t) for t in want)
    keyed = {(sc.id, m.text) for sc in ui.scenarios() for m in sc.misconceptions if m.answer}
    assert shown_once == keyed  # every keyed misconception is shown after some wrong answer
    plain = [m for sc in ui.scenarios() for m in sc.misconceptions if m.answer is None]
    assert plain and all((sc.id, m.text) not in shown_once
                         for sc in ui.scenarios() for m in sc.misconceptions if m.answer is None)


def test_a_misconception_keyed_to_the_opposite_answer_is_not_shown(kb):
    sc = _case("partage-sans-accord")
    verdict = evaluate_one(kb, sc.situation, "secret_partage")
    opposite = dataclasses.replace(sc, misconceptions=(
        Misconception("Le secret interdit tout partage.", "obligation_de_se_taire"),
        Misconception("Une idée pour l'enseignant·e seulement."),
        Misconception("Dans l'intérêt de la personne, je peux partager.", "faculte_de_partager",
                      "ufas_deontologie")))
    text = feedback(kb, opposite, verdict, "faculte_de_partager")
    assert "Une condition manque" in text and "Idée reçue" not in text
    ufas = evaluate_one(kb, sc.situation, "ufas_deontologie")
    assert _shown(feedback(kb, opposite, ufas, "faculte_de_partager")) == [
        "Dans l'intérêt de la personne, je peux partager."]


def test_two_misconceptions_for_the_same_answer_are_both_shown(kb):
    sc = _case("tem-temoin-ordinaire-accident")
    verdict = evaluate_one(kb, sc.situation, "art458")
    text = feedback(kb, sc, verdict, "obligation_de_se_taire")
    assert "Idées reçues souvent en cause : « Mon métier me dispense de témoigner en justice, quoi " \
           "que j'aie vu. » ; « Le secret professionnel est un droit du travailleur social. »" in text


def test_silence_for_an_exception_that_does_not_open_is_told_the_secret_holds(kb):
    sc = _case("ass-aider-sans-denoncer")
    verdict = evaluate_one(kb, sc.situation, "etat_de_necessite")
    assert verdict.outcome == "non_applicable"
    text = feedback(kb, sc, verdict, "obligation_de_se_taire")
    assert text.startswith("Vous avez raison sur le fond : ici, le secret tient.")
    assert "la question portait sur l'exception « État de nécessité »" in text
    assert "(la condition « Aucun autre moyen de protéger (dernier recours) » n'est pas remplie)" in text
    assert "sa propre réponse est donc « Non applicable »" in text
    assert text.endswith(f"ici, {_rules(kb, sc.situation)}.")


def test_the_rules_that_impose_the_secret_are_those_the_engine_answers(kb):
    sc = _case("pub-cpas-chambre-2016-appel-police")
    verdict = evaluate_one(kb, sc.situation, "art46bis1")
    holders = _holders(kb, sc.situation)
    assert len(holders) > 1 and {"Art. 458 CP", "Loi organique des CPAS, art. 36 et 50"} <= set(holders)
    text = silence_lesson(kb, sc.situation, verdict)
    assert "(elle n'est pas en vigueur à la date des faits)" in text  # 46bis/1 dates from 2017
    named = ", ".join(f"« {h} »" for h in holders[:-1]) + f" et « {holders[-1]} »"
    assert text.endswith(f"les règles qui l'imposent sont {named}.")


@pytest.mark.parametrize(("sid", "pid", "words"), [
    ("tem-temoin-ordinaire-accident", "temoignage",
     ("L'exception « Témoignage en justice » ne s'ouvre pas (la condition « Vous êtes tenu(e) au "
      "secret (art. 458) » n'est pas remplie) : sa réponse est « Non applicable ».",
      "aucune règle du casebook ne vous impose le secret")),
    ("nec-fait-passe-abus-anciens", "ambulatoire_cocof",
     ("Cette disposition ne vise pas cette situation",
      "Le secret tient pourtant ici, mais par une autre règle : « Art. 458 CP »")),
    ("tem-audition-police", "temoignage",
     ("Vous avez raison sur le fond", "elle ne s'ouvre pas : sa propre réponse")),  # no single cause
])
def test_the_lesson_follows_the_rule_and_its_trace(kb, sid, pid, words):
    sc = _case(sid)
    verdict = evaluate_one(kb, sc.situation, pid)
    assert verdict.outcome == "non_applicable"
    text = feedback(kb, sc, verdict, "obligation_de_se_taire")
    for word in words:
        assert word in text


def test_other_wrong_answers_keep_their_family_feedback(kb):
    sc = _case("ass-aider-sans-denoncer")
    verdict = evaluate_one(kb, sc.situation, "etat_de_necessite")
    assert "raison sur le fond" not in feedback(kb, sc, verdict, "faculte_de_parler")
    art422 = evaluate_one(kb, sc.situation, "art422bis")
    text = feedback(kb, sc, art422, "obligation_de_communiquer")
    assert _shown(text) == ["L'art. 422bis m'oblige à dénoncer l'auteur à la police ou au procureur."]
