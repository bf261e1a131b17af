"""casebook.interface.blocks.teaching: the student view keeps every worked case's answer folded and
shows no teaching note; the instructor view shows answers, notes and misconceptions, a badge, a
link back to the student view and the projection switch. Also `ui.view`, `ui.worked_cases` in
each view and the committed notebooks (executed in the student view)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html import escape
from pathlib import Path

import nbformat
import pytest

from casebook.interface import ui
from casebook.interface.blocks import page, teaching
from casebook.law.labels import OUTCOME_ICONS, OUTCOMES
from casebook.law.scenarios import Misconception, Provenance

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
DETAILS = re.compile(r'<details class="cb-reveal">.*?</details>', re.S)


@pytest.fixture(scope="module")
def cases():
    return ui.cases_for("secret_partage")


def _labels(html: str) -> list[str]:
    return [label for label in OUTCOMES.values() if escape(label) in html]


def test_student_view_folds_every_answer_and_shows_no_teaching_note(kb, cases):
    html = teaching.worked_cases_html(kb, cases)
    assert html.count('<details class="cb-reveal"><summary>Voir la réponse</summary>') == len(cases)
    assert html.count('<p class="cb-held">') == len(cases)
    assert _labels(html)  # the answers are there, to reveal…
    assert _labels(DETAILS.sub("", html)) == []  # …but none outside the folded parts
    for sc in cases:
        assert f'<tr class="cb-case" data-case="{sc.id}">' in html
        assert f"<code>{sc.id}</code>" in html and escape(sc.narrative) in html
        assert escape(sc.teaching_notes) not in html
        assert not any(escape(m.text) in html for m in sc.misconceptions)
    assert "cb-teaching" not in html


def test_instructor_view_shows_answers_notes_and_misconceptions(kb, cases):
    html = teaching.worked_cases_html(kb, cases, teaching.TEACHER)
    assert "<details" not in html and "cb-held" not in html
    for sc in cases:
        row = html.split(f'data-case="{sc.id}">', 1)[1].split("</tr>", 1)[0]
        assert escape(sc.teaching_notes) in row
        assert all(escape(m.text) in row for m in sc.misconceptions)
        outcome = next(e.outcome for e in sc.expected if e.provision == "secret_partage")
        assert f"{escape(OUTCOMES[outcome])} ✔" in row  # the engine agrees with the expected answer


def test_instructor_view_gives_the_answer_each_misconception_leads_to(kb, cases):
    sc = dataclasses.replace(cases[0], misconceptions=(
        Misconception("Entre collègues, tout se dit."),
        Misconception("Le partage devient obligatoire.", "obligation_de_communiquer"),
        Misconception("L'accord suffit <toujours>.", "faculte_de_partager", "secret_partage")))
    html = teaching.teaching_html(kb, sc)
    assert "<li>Entre collègues, tout se dit.</li>" in html  # not keyed: no answer
    assert ('<li>Le partage devient obligatoire. <span class="cb-answer-key">(réponse : Obligation '
            "de communiquer)</span></li>") in html
    assert ('<li>L&#x27;accord suffit &lt;toujours&gt;. <span class="cb-answer-key">(réponse : '
            "Faculté de partager, pour « Secret partagé »)</span></li>") in html


def test_worked_cases_escape_data_and_name_a_published_source(kb, cases):
    hostile = dataclasses.replace(cases[0], title="<script>x</script>", teaching_notes="<b>n</b>",
                                  misconceptions=(Misconception("<i>m</i>"),), provenance=Provenance(
                                      "publie", "Commission <X>", reference="avis 88/07",
                                      url="https://example.org/avis", date=dt.date(2007, 5, 10)))
    for mode in page.MODES:
        html = teaching.worked_cases_html(kb, [hostile], mode)
        assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
        assert "D'après : Commission &lt;X&gt;, avis 88/07 (10/05/2007)" in html
    html = teaching.worked_cases_html(kb, [hostile], teaching.TEACHER)
    assert "&lt;b&gt;n&lt;/b&gt;" in html and "&lt;i&gt;m&lt;/i&gt;" in html


def test_a_course_case_is_marked_in_both_views(kb, course_cases):
    for mode in (teaching.STUDENT, teaching.TEACHER):
        html = teaching.worked_cases_html(kb, [*course_cases[:1], ui.cases_for("art458")[0]], mode)
        assert html.count('<span class="cb-badge cb-course">cas du cours</span>') == 1
    notes = teaching.worked_cases_html(kb, course_cases[:1], teaching.TEACHER)
    assert escape(course_cases[0].teaching_notes[:40]) in notes


def test_held_back_style_hides_only_that_cases_answer():
    css = teaching.held_back_style("con-reunion-de-reseau-2016")
    row = '.cb-case[data-case="con-reunion-de-reseau-2016"]'
    assert css == f"<style>{row} .cb-reveal{{display:none}}{row} .cb-held{{display:block}}</style>"
    for bad in ('x"] *{display:none}', "</style><script>", "Majuscule", ""):
        with pytest.raises(ValueError):
            teaching.held_back_style(bad)


def test_exercise_key_gives_the_expected_answer_and_the_notes(kb, cases):
    from casebook.law.engine import evaluate_one

    sc = cases[0]
    verdict = evaluate_one(kb, sc.situation, "secret_partage")
    html = teaching.exercise_key_html(kb, sc, "secret_partage", verdict)
    label = f"{OUTCOME_ICONS[verdict.outcome]} {escape(OUTCOMES[verdict.outcome])}"
    assert f"<b>Réponse attendue</b> : {label}" in html and escape(verdict.explanation) in html
    assert escape(sc.teaching_notes) in html
    assert "le cas attend" not in html  # the engine and the case agree
    other = next(o for o in OUTCOMES if o != verdict.outcome)
    wrong = dataclasses.replace(verdict, outcome=other)
    assert f"le cas attend « {escape(OUTCOMES[verdict.outcome])} »" in teaching.exercise_key_html(
        kb, sc, "secret_partage", wrong)


def test_view_bar_links_back_to_the_student_view_keeping_the_other_parameters():
    html = teaching.view_bar_html({"mode": "enseignant", "cas": "partage-sans-accord",
                                   "x": '"><script>alert(1)</script>'})
    assert '<span class="cb-badge cb-teacher">Vue enseignant</span>' in html
    href = html.split('class="cb-student-link" href="', 1)[1].split('"', 1)[0]
    assert href.startswith("?cas=partage-sans-accord&amp;x=") and "mode" not in href
    assert "<script>" not in html.replace("<style>", "")
    assert '<input type="checkbox" class="cb-projection-toggle" checked>' in html
    assert "body:has(.cb-projection-toggle:checked)" in html
    assert 'href="?"' in teaching.view_bar_html({"mode": "enseignant"})


@pytest.fixture
def instructor(monkeypatch):
    monkeypatch.setattr(page, "query", lambda: {"mode": "enseignant"})


def test_ui_view_is_empty_in_the_student_view():
    assert page.mode() == "etudiant"  # outside Voilà
    assert ui.view() is None


def test_ui_view_and_worked_cases_in_the_instructor_view(instructor):
    assert "Vue enseignant" in ui.view().data
    html = ui.worked_cases("secret_partage", "accord_personne").data
    assert "<details" not in html
    assert all(escape(s.teaching_notes) in html for s in ui.cases_for("accord_personne"))


def test_ui_worked_cases_in_the_student_view_hold_every_answer():
    html = ui.worked_cases("secret_partage", "accord_personne").data
    cases = ui.cases_for("secret_partage") + ui.cases_for("accord_personne")
    assert html.count("<details") == len(cases)
    assert _labels(DETAILS.sub("", html)) == []


def test_exercise_case_is_the_named_case_or_the_first_where_the_provision_applies():
    named = ui.exercise_case("ufas_deontologie", "partage-sans-accord")
    assert named is not None and named.id == "partage-sans-accord"
    applies = [s for s in ui.cases_for("temoignage")
               if any(e.provision == "temoignage" and e.outcome != "non_applicable" for e in s.expected)]
    assert applies[0] is not ui.cases_for("temoignage")[0]  # the default skips cases where it does not apply
    assert ui.exercise_case("temoignage") is applies[0]
    assert ui.exercise_case("secret_partage", "absent") is None
    html = ui.predict("secret_partage", "<absent>").data
    assert "Exercice indisponible" in html and "<absent>" not in html


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebooks_show_the_student_view(path):
    outputs = [o.get("data", {}).get("text/html", "")
               for c in nbformat.read(path, 4).cells if c.cell_type == "code" for o in c.outputs]
    html = "".join(outputs)
    assert "Vue enseignant" not in html and 'class="cb-teaching' not in html
    for sc in ui.scenarios():
        assert escape(sc.teaching_notes) not in html, sc.id
    for table in (o for o in outputs if "cb-cases" in o):
        assert _labels(DETAILS.sub("", table)) == []
