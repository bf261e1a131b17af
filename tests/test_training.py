"""The training round's widget, its callbacks driven from Python: a round from its first question
to its summary, refused and forged values, the settings on screen, and the round a link asks for."""

from __future__ import annotations

import contextlib
import re
from html import escape

import pytest
from traitlets import TraitError

from casebook.interface import ui
from casebook.interface.blocks import teaching
from casebook.interface.pages import rounds, training
from casebook.law.engine import evaluate_one
from casebook.law.labels import DEONTIC

HOSTILE = "<script>alert('x')</script>" + "A" * 200


@pytest.fixture(scope="module")
def pool(kb):
    return rounds.questions(kb, ui.scenarios())


def _outcome(kb, q: rounds.Question) -> str:
    return evaluate_one(kb, q.scenario.situation, q.pid).outcome


def _wrong(outcome: str) -> str:
    return next(o for o in DEONTIC if o != outcome)


# -- the widget -----------------------------------------------------------------------------------

def _score(round_: training.TrainingRound) -> str:
    return re.search(r'class="cb-score"[^>]*>([^<]*)<', round_.score.value).group(1)


def _comm_update(widget, **state) -> None:
    msg = {"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []}
    with contextlib.suppress(TraitError):
        widget._handle_msg(msg)


def test_a_round_from_question_to_summary(kb, pool):
    r = training.TrainingRound(kb, pool, rounds.Settings(42, 3))
    assert r.questions == rounds.draw(pool, rounds.Settings(42, 3)).questions
    assert _score(r) == "0 / 0" and "question 1 sur 3" in r.score.value
    assert "Rien n'est enregistré" in r.widget.children[0].value
    assert 'href="18_entrainement.ipynb?graine=42&amp;n=3"' in r.replay.value
    assert r.check.disabled and r.next.disabled
    r.advance()
    assert "Répondez d'abord" in r.result.value and r.index == 0
    first = _outcome(kb, r.current())
    r.choice.value = first
    assert not r.check.disabled
    r.check.click()
    assert 'data-feedback="ok"' in r.result.value and 'class="cb-card"' in r.result.value
    assert "cb-trace" in r.result.value and _score(r) == "1 / 1"
    assert f"Difficulté « {r.current().level} »" in r.result.value
    r.check.click()  # a second check of the same question counts nothing
    assert _score(r) == "1 / 1" and r.choice.disabled and not r.next.disabled
    r.next.click()
    q = r.current()
    wrong = _wrong(_outcome(kb, q))
    r.choice.value = wrong
    r.check.click()
    assert 'data-feedback="ko"' in r.result.value and _score(r) == "1 / 2"
    keyed = q.scenario.misconceptions_for(wrong, q.pid)  # only those behind this very answer
    assert ("souvent en cause" in r.result.value) == bool(keyed)
    assert all(escape(m.text) in r.result.value for m in keyed)
    r.next.click()
    r.choice.value = _outcome(kb, r.current())
    r.check.click()
    r.next.click()
    assert _score(r) == "2 / 3" and "série terminée" in r.score.value
    assert r.stage.children == (r.summary,)
    assert "Bilan : 2 / 3" in r.summary.value and "cb-download-csv" in r.summary.value
    assert 'data-cb-print="bilan"' in r.summary.value and "cb-training-summary" in r.summary._dom_classes
    r.next.click()  # nothing after the end
    assert _score(r) == "2 / 3"


def test_forged_and_refused_values_leave_the_round_unchanged(kb, pool):
    r = training.TrainingRound(kb, pool, rounds.Settings(42, 3))
    r._choice_changed({"owner": r.choice, "new": "indetermine", "old": None})
    assert "Réponse refusée" in r.message.value and r.check.disabled
    _comm_update(r.choice, index=99)
    _comm_update(r.theme, value="<img src=x onerror=alert(1)>")
    assert r.choice.value is None and r.theme.value == ""
    r._setting_changed({"owner": r.level, "new": "extrême", "old": ""})
    assert "Valeur refusée" in r.message.value
    r.answer()
    assert "Choisissez d'abord" in r.result.value and r.answers == []


def test_settings_on_screen_start_a_new_round(kb, pool):
    r = training.TrainingRound(kb, pool, rounds.Settings(42, 3))
    r.theme.value, r.level.value, r.count.value = "partage", "facile", 2
    r.seed.value = "8"
    r.start_button.click()
    assert r.questions == rounds.draw(pool, rounds.Settings(8, 2, "partage", "facile")).questions
    assert "graine=8&amp;n=2&amp;sujet=partage&amp;difficulte=facile" in r.replay.value
    r.seed.value = HOSTILE
    r.start_button.click()
    assert "ignorée" in r.message.value and "&lt;script&gt;" in r.message.value
    seed = int(re.search(r"graine=(\d+)", r.replay.value).group(1))
    assert f"graine {seed})" in r.message.value and r.seed.value == HOSTILE  # what was typed is kept
    r.random_button.click()
    assert r.seed.value == re.search(r"graine=(\d+)", r.replay.value).group(1)
    assert r.message.value == ""


def test_no_matching_case_and_too_few_cases_are_said(kb, pool):
    empty_topic = next((topic, level) for topic in rounds.topics_of(pool) for level in rounds.LEVELS
                       if not any(q.topic == topic and q.level == level for q in pool))
    r = training.TrainingRound(kb, pool, rounds.Settings(1, 5, *empty_topic))
    assert "Aucun cas ne correspond" in r.message.value and r.stage.children == ()
    assert _score(r) == "0 / 0"
    r.start(rounds.Settings(1, 30, "sanctions"))
    assert "Seulement" in r.message.value and len(r.questions) < 30


def test_from_query_reads_the_link_and_escapes_what_it_ignores(kb):
    r = training.from_query(kb, ui.scenarios(), {"graine": HOSTILE, "n": "3"}, ["paramètre « <i> » répété"])
    assert len(r.questions) == 3 and "&lt;i&gt;" in r.message.value and "<script>" not in r.message.value
    assert "ignorée" in r.message.value


def test_ui_training_is_the_round_widget_outside_voila():
    widget = ui.training()
    assert "cb-training" in widget._dom_classes


def test_the_question_shows_its_date_and_provision_but_not_its_answer(kb, pool):
    r = training.TrainingRound(kb, pool, rounds.Settings(42, 1))
    q = r.current()
    assert q.scenario.situation.date.strftime("%d/%m/%Y") in r.case.value
    assert f"Que dit « {escape(q.short)} »" in r.case.value
    assert "data-outcome" not in r.widget.children[0].value + r.case.value + r.result.value


def test_a_wrong_answer_shows_the_misconception_behind_it_and_no_other(kb, pool):
    (q,) = [q for q in pool if q.scenario.id == "ass-menace-suicidaire-2026" and q.pid == "art422bis"]
    for chosen, shown in (("non_applicable", "Depuis le nouveau Code pénal, l'obligation de porter "
                                             "secours a disparu."),
                          ("obligation_de_se_taire", "Le secret m'interdit de donner l'adresse d'une "
                                                     "personne aux services de secours."),
                          ("faculte_de_parler", None)):
        r = training.TrainingRound(kb, [q], rounds.Settings(1, 1))
        r.choice.value = chosen
        r.check.click()
        assert 'data-feedback="ko"' in r.result.value
        if shown:
            assert escape(f"Idée reçue souvent en cause : « {shown} »") in r.result.value
            assert r.result.value.count("souvent en cause") == 1
        else:
            assert "souvent en cause" not in r.result.value


def test_silence_for_an_exception_that_does_not_open_is_explained_in_the_round(kb, pool):
    (q,) = [q for q in pool if q.scenario.id == "ass-aider-sans-denoncer" and q.pid == "etat_de_necessite"]
    r = training.TrainingRound(kb, [q], rounds.Settings(1, 1))
    r.choice.value = "obligation_de_se_taire"
    r.check.click()
    assert "Vous avez raison sur le fond : ici, le secret tient." in r.result.value
    assert escape("sa propre réponse est donc « Non applicable »") in r.result.value


def test_the_instructor_view_exports_the_series_and_shows_the_notes(kb, pool, course_cases):
    import base64
    import xml.etree.ElementTree as ET

    mixed = pool + rounds.questions(kb, course_cases)
    r = training.TrainingRound(kb, mixed, rounds.Settings(4, 3, rounds.COURSE), mode=teaching.TEACHER)
    assert 'download="entrainement-graine-4-moodle.xml"' in r.teacher.value
    payload = re.search(r"base64,([^\"]+)", r.teacher.value).group(1)
    ids = [q.findtext("idnumber") for q in ET.fromstring(base64.b64decode(payload)).iter("question")
           if q.get("type") == "multichoice"]
    assert ids == [f"casebook:{q.scenario.id}:{q.pid}" for q in r.questions]
    r.choice.value = _outcome(kb, r.current())
    r.answer()
    assert escape(r.current().scenario.teaching_notes[:30]) in r.result.value
    student = training.TrainingRound(kb, mixed, rounds.Settings(4, 3, rounds.COURSE))
    student.choice.value = _outcome(kb, student.current())
    student.answer()
    assert student.teacher.value == "" and "Notes pour l" not in student.result.value
