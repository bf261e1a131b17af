"""The questions of a training round without its widget: difficulty, the seeded draw, link
settings (`sujet` rather than Voilà's own `theme`), the score, the summary and its downloads."""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import subprocess
import sys
from dataclasses import replace

import pytest

from casebook.interface import ui
from casebook.interface.blocks import page
from casebook.interface.pages import rounds as t
from casebook.law.engine import Situation, evaluate_one
from casebook.law.labels import DEONTIC
from casebook.law.scenarios import Expectation

HOSTILE = "<script>alert('x')</script>" + "A" * 200


@pytest.fixture(scope="module")
def pool(kb):
    return t.questions(kb, ui.scenarios())


def _case(sid: str):
    return next(s for s in ui.scenarios() if s.id == sid)


def _outcome(kb, q: t.Question) -> str:
    return evaluate_one(kb, q.scenario.situation, q.pid).outcome


def _wrong(outcome: str) -> str:
    return next(o for o in DEONTIC if o != outcome)


# -- difficulty -----------------------------------------------------------------------------------

def test_a_short_case_with_the_usual_answer_is_easy(kb):
    case = _case("bl-accueil-planning-familial")
    assert len(case.situation.facts) < 10 and len(case.expected) < 4
    assert t.difficulty(kb, case, "art458", "obligation_de_se_taire") == ("facile", ())


def test_each_criterion_adds_one_reason_and_the_levels_follow_the_points(kb):
    base = _case("bl-accueil-planning-familial")
    facts = dict(base.situation.facts)
    padding = [f for f in kb.facts if f not in facts and kb.facts[f].type == "bool"
               and f not in kb.provisions["art458"].facts()]
    many = {**facts, **dict.fromkeys(padding[: 10 - len(facts)], False)}
    more = {**facts, **dict.fromkeys(padding[: 16 - len(facts)], False)}
    ten = replace(base, situation=Situation(many, base.situation.date))
    sixteen = replace(base, situation=Situation(more, base.situation.date))
    four = replace(base, expected=tuple(Expectation(p, "non_applicable", None)
                                        for p in ("art458", "temoignage", "art458bis", "art422bis")))
    assert t.difficulty(kb, ten, "art458", "obligation_de_se_taire") == ("facile", ("10 faits à lire",))
    assert t.difficulty(kb, sixteen, "art458", "obligation_de_se_taire") == (
        "moyen", ("16 faits à lire", "beaucoup de faits à peser"))
    assert t.difficulty(kb, four, "art458", "obligation_de_se_taire")[1] == ("4 règles en jeu dans le cas",)
    assert t.difficulty(kb, base, "art458", "non_applicable")[1] == (
        "une réponse moins habituelle pour cette règle",)
    level, reasons = t.difficulty(kb, sixteen, "art458", "non_applicable")
    assert level == "difficile" and len(reasons) == 3


def test_judgement_calls_debates_and_dates_without_a_version_are_harder(kb):
    reasons = t.difficulty(kb, _case("con-cellule-informelle-2017"), "csil_r", "non_applicable")[1]
    assert reasons == ("aucune version en vigueur à la date des faits",)
    debated = _case("pub-cpas-chambre-2021-accord-libre-proprietaire")
    assert "une question débattue" in t.difficulty(kb, debated, "accord_personne", "non_applicable")[1]
    judged = next(s for s in ui.scenarios() if "grave_imminent_danger" in s.situation.facts
                  and any(e.provision == "etat_de_necessite" for e in s.expected))
    assert "une condition qui relève de votre appréciation" in t.difficulty(
        kb, judged, "etat_de_necessite", "non_applicable")[1]
    judgements = {f: None for f in judged.situation.facts if kb.facts[f].judgement}
    unjudged = replace(judged, situation=judged.situation.with_facts(**judgements))
    assert "une condition qui relève de votre appréciation" not in t.difficulty(
        kb, unjudged, "etat_de_necessite", "non_applicable")[1]


def test_the_pool_asks_only_answerable_questions_that_the_engine_confirms(kb, pool):
    expected = {(s.id, e.provision) for s in ui.scenarios() if s.depends_on is None
                for e in s.expected if e.outcome in DEONTIC}
    assert {(q.scenario.id, q.pid) for q in pool} == expected and len(pool) == len(expected)
    assert all(_outcome(kb, q) in DEONTIC for q in pool)
    assert {q.level for q in pool} == set(t.LEVELS)
    assert t.questions(kb, ui.scenarios()) == pool  # deterministic


def test_a_case_that_continues_another_is_never_asked_alone(kb, pool):
    alone, follows = _case("partage-cinq-conditions"), _case("bl-accueil-planning-familial")
    dependent = replace(follows, depends_on=alone.id)
    asked = t.questions(kb, [alone, dependent])
    assert asked and {q.scenario.id for q in asked} == {alone.id}
    assert t.questions(kb, [dependent]) == []
    assert t.draw(t.questions(kb, [dependent]), t.Settings(1, 5)).questions == ()
    assert all(q.scenario.depends_on is None for q in pool)
    standing = [sc for sc in ui.scenarios() if sc.depends_on is None]
    assert {q.scenario.id for q in pool} == {q.scenario.id for q in t.questions(kb, standing)}


def test_every_topic_has_a_french_label(kb):
    assert {p.topic for p in kb.provisions.values()} <= set(t.TOPICS)


# -- the draw -------------------------------------------------------------------------------------

def test_the_same_seed_draws_the_same_round_and_another_seed_another(pool):
    first = t.draw(pool, t.Settings(42))
    assert first == t.draw(pool, t.Settings(42))
    assert len(first.questions) == t.DEFAULT_CASES
    assert len({q.scenario.id for q in first.questions}) == t.DEFAULT_CASES
    others = {tuple(q.scenario.id for q in t.draw(pool, t.Settings(s)).questions) for s in range(1, 6)}
    assert len(others) == 5


def test_the_draw_depends_only_on_the_seed_not_on_the_machine_or_run(kb, pool):
    fake = [replace(pool[0], scenario=replace(pool[0].scenario, id=f"c{i}")) for i in range(20)]
    assert [q.scenario.id for q in t.draw(fake, t.Settings(42, 5)).questions] == [
        "c3", "c0", "c8", "c7", "c16"]
    code = ("from casebook.interface import ui; from casebook.interface.pages import rounds as t; "
            "import casebook; "
            "d = t.draw(t.questions(casebook.load(), ui.scenarios()), t.Settings(42, 10, '', 'moyen')); "
            "print(' '.join(q.scenario.id + '#' + q.pid for q in d.questions))")
    drawn = t.draw(pool, t.Settings(42, 10, "", "moyen")).questions
    here = " ".join(q.scenario.id + "#" + q.pid for q in drawn)
    for hash_seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": hash_seed})
        assert out.stdout.strip() == here


def test_theme_and_difficulty_filter_the_questions(pool):
    for topic, level in (("partage", ""), ("", "difficile"), ("secteurs", "facile")):
        drawn = t.draw(pool, t.Settings(7, 30, topic, level))
        assert drawn.questions
        assert all(topic in ("", q.topic) and level in ("", q.level) for q in drawn.questions)


def test_the_course_theme_draws_only_course_cases_and_all_themes_mixes_them(kb, pool, course_cases):
    mixed = pool + t.questions(kb, course_cases)
    assert t.topics_of(pool)[-1] != t.COURSE and t.topics_of(mixed)[-1] == t.COURSE
    assert t.topic_label(t.COURSE) == "Cas du cours"
    drawn = t.draw(mixed, t.Settings(5, 30, t.COURSE))
    assert drawn.available == 3 and {q.scenario.id for q in drawn.questions} == {s.id for s in course_cases}
    everything = t.draw(mixed, t.Settings(5, 30))
    assert t.draw(mixed, t.Settings(5, 30)) == everything
    assert t.draw(pool, t.Settings(5, 30, t.COURSE)).questions == ()
    settings, notes = t.settings_from_query({"sujet": "cours"}, t.topics_of(mixed))
    assert settings.topic == t.COURSE and notes == []


def test_asking_for_more_cases_than_match_gives_all_of_them(pool):
    matching = {q.scenario.id for q in pool if q.topic == "sanctions"}
    drawn = t.draw(pool, t.Settings(3, 30, "sanctions"))
    assert drawn.available == len(matching) < 30
    assert {q.scenario.id for q in drawn.questions} == matching


# -- link settings --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["0", "42", "999999", " 17 "])
def test_good_seeds_are_kept(text):
    assert t.seed_or_fresh(text) == (int(text), [])


@pytest.mark.parametrize("text", ["", "-1", "1000000", "4.2", "abc", "٤٢", "1e3", HOSTILE])
def test_bad_seeds_are_refused_with_a_french_line_and_a_fresh_seed(text):
    seed, notes = t.seed_or_fresh(text)
    assert 0 <= seed <= t.MAX_SEED
    assert len(notes) == 1 and "ignorée" in notes[0] and f"graine {seed})" in notes[0]
    assert "<script>" not in notes[0] and len(notes[0]) < 250


def test_a_link_sets_the_round_and_what_is_wrong_in_it_is_said(pool):
    topics = t.topics_of(pool)
    assert t.settings_from_query({"graine": "42", "n": "3", "sujet": "partage", "difficulte": "moyen"},
                                 topics) == (t.Settings(42, 3, "partage", "moyen"), [])
    settings, notes = t.settings_from_query({"graine": "x", "n": "31", "sujet": HOSTILE,
                                             "difficulte": "extrême"}, topics)
    assert settings.n == t.DEFAULT_CASES and settings.topic == "" and settings.level == ""
    assert len(notes) == 4 and all("<script>" not in n for n in notes)
    assert settings.link() == f"18_entrainement.ipynb?graine={settings.seed}&n=10"
    assert t.settings_from_query({}, topics)[1] == []
    assert t.Settings(5, 4, "partage", "facile").link() == (
        "18_entrainement.ipynb?graine=5&n=4&sujet=partage&difficulte=facile")


def test_the_theme_is_read_from_sujet_and_voilas_own_theme_is_left_alone(pool):
    topics = t.topics_of(pool)
    assert t.settings_from_query({"graine": "3", "theme": "partage"}, topics) == (t.Settings(3), [])
    assert t.settings_from_query({"graine": "3", "sujet": "dark"}, topics) == (
        t.Settings(3), ["sujet « dark » inconnu : tous les thèmes sont proposés"])
    for settings in (t.Settings(3, 5, "partage"), t.Settings(0, 30, "sanctions", "difficile")):
        query, problems = page.parse(settings.link().split("?", 1)[1])
        assert "theme" not in query and problems == []
        assert t.settings_from_query(query, topics) == (settings, [])


# -- score and summary ----------------------------------------------------------------------------

def _answers(kb, questions, right: set[int]) -> list[t.Answer]:
    out = []
    for i, q in enumerate(questions):
        outcome = _outcome(kb, q)
        out.append(t.Answer(q, outcome if i in right else _wrong(outcome), outcome))
    return out


def test_score_and_per_theme_summary(kb, pool):
    questions = t.draw(pool, t.Settings(11, 6)).questions
    answers = _answers(kb, questions, {0, 2, 3})
    assert t.score_text(answers) == "3 / 6" and t.score_text(answers[:1]) == "1 / 1"
    assert t.score_text([]) == "0 / 0"
    rows = t.by_topic(answers)
    assert sum(r[1] for r in rows) == 6 and sum(r[2] for r in rows) == 3
    order = list(t.TOPICS)
    assert [r[0] for r in rows] == sorted({q.topic for q in questions}, key=order.index)
    assert (t.percent(1, 3), t.percent(2, 3), t.percent(1, 2), t.percent(0, 0)) == (33, 67, 50, 0)


def test_summary_csv_has_one_line_per_theme_and_a_total(kb, pool):
    answers = _answers(kb, t.draw(pool, t.Settings(11, 6)).questions, {0, 2, 3})
    rows = list(csv.reader(io.StringIO(t.summary_csv(answers)), delimiter=";"))
    assert rows[0] == ["Thème", "Questions", "Bonnes réponses", "Pourcentage"]
    assert rows[-1] == ["Total", "6", "3", "50"]
    assert rows[1:-1] == [[t.TOPICS[topic], str(n), str(r), str(t.percent(r, n))]
                          for topic, n, r in t.by_topic(answers)]


def test_summary_html_and_downloads_carry_the_same_summary_escaped(kb, pool):
    questions = list(t.draw(pool, t.Settings(11, 2)).questions)
    questions[0] = replace(questions[0], scenario=replace(questions[0].scenario, title="<b>titre</b>"))
    answers = _answers(kb, questions, {0})
    settings = t.Settings(11, 2)
    page = t.summary_html(answers, settings)
    assert "&lt;b&gt;titre&lt;/b&gt;" in page and "<b>titre</b>" not in page
    assert "Bilan : 1 / 2" in page and "cb-summary-themes" in page and "✘ à revoir" in page
    links = dict(re.findall(r'class="(cb-download-\w+)" download="[^"]+" href="data:[^;]+;charset=utf-8;'
                            r'base64,([A-Za-z0-9+/=]+)"', t.downloads_html(answers, settings)))
    assert base64.b64decode(links["cb-download-csv"]).decode("utf-8") == "\ufeff" + t.summary_csv(answers)
    document = base64.b64decode(links["cb-download-html"]).decode("utf-8")
    assert document.startswith("<!DOCTYPE html>") and page in document
    assert 'download="entrainement-graine-11.csv"' in t.downloads_html(answers, settings)
