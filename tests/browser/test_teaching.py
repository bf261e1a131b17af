"""The two views in the browser. In the student view, for every « Prédisez d'abord » exercise of
every dashboard, the answer of the case it asks about (the engine's outcome and explanation) is
not visible anywhere on the page before « Vérifier ma réponse », and is after; the other worked
cases open one by one. In the instructor view (`?mode=enseignant`) the same page shows the
badge, the answers, the teaching notes and the expected answer of each exercise; its link leads
back to the student view and its switch sets the projection layout (larger type, the verdict
beside the facts).

"Visible" is the rendered text (`innerText`): Chromium leaves out what a closed <details> or a
hidden element holds, whereas Playwright's `is_visible` sees a closed <details> as visible."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page, expect

import casebook
from casebook.interface import ui
from casebook.law.engine import evaluate_one
from casebook.law.labels import OUTCOMES

from .conftest import wait_rendered

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def _predict_calls(path: Path) -> list[tuple[str, ...]]:
    source = "\n".join(c.source for c in nbformat.read(path, 4).cells if c.cell_type == "code")
    return [tuple(ast.literal_eval(f"({args},)")) for args in re.findall(r"ui\.predict\(([^)]*)\)", source)]


EXERCISES = [(p, calls) for p in NOTEBOOKS if (calls := _predict_calls(p))]


def _answers(calls: list[tuple[str, ...]]):
    """For each exercise: its case and the engine's verdict on it (what must stay hidden)."""
    kb = casebook.load()
    out = []
    for call in calls:
        case = ui.exercise_case(*call)
        assert case is not None, call
        out.append((case, evaluate_one(kb, case.situation, call[0])))
    return out


def _open(page: Page, url: str, exercises: int) -> None:
    page.goto(url)
    wait_rendered(page, ".cb-predict")
    expect(page.locator(".cb-predict")).to_have_count(exercises)
    expect(page.locator(".cb-predict .widget-toggle-button").first).to_be_visible()


def _text(page: Page) -> str:
    return " ".join(page.inner_text("body").split())


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_dashboard_with_an_exercise_is_checked():
    assert len(EXERCISES) >= 14 and sum(len(calls) for _, calls in EXERCISES) >= 20


@pytest.mark.parametrize(("path", "calls"), EXERCISES, ids=[p.stem for p, _ in EXERCISES])
def test_student_view_hides_the_predicted_answer_until_checked(offline, voila_url, path, calls):
    page = offline.page
    answers = _answers(calls)
    assert len({case.id for case, _ in answers}) == len(answers)  # one exercise per case
    _open(page, f"{voila_url}/voila/render/{path.name}", len(calls))
    assert "Vue enseignant" not in _text(page)
    for i, (case, verdict) in enumerate(answers):
        label = OUTCOMES[verdict.outcome]
        rows = page.locator(f'tr.cb-case[data-case="{case.id}"]')
        assert rows.count() >= 1, f"{case.id} n'est pas dans les cas pratiques de la page"
        exercise = page.locator(".cb-predict").nth(i)
        # Before: the case's rows are held back and nothing on the page gives its answer.
        for j in range(rows.count()):
            row = _words(rows.nth(j).inner_text())
            assert "Répondez d'abord à l'exercice" in row and label not in row
            assert "Voir la réponse" not in row
        assert _words(verdict.explanation) not in _text(page), case.id
        expect(exercise.locator(".cb-card")).to_have_count(0)
        # The student answers: the exercise gives the answer, the rows can be opened.
        exercise.locator(".widget-toggle-button").first.click()
        exercise.get_by_role("button", name="Vérifier ma réponse").click()
        expect(exercise.locator(f'.cb-card[data-outcome="{verdict.outcome}"]')).to_be_visible()
        assert label in exercise.inner_text() and _words(verdict.explanation) in _text(page)
        row = rows.first
        expect(row.get_by_text("Voir la réponse")).to_be_visible()
        assert label not in _words(row.inner_text())  # still folded until asked
        row.get_by_text("Voir la réponse").click()
        expect(row).to_contain_text(label)


def test_student_view_reveals_worked_cases_one_at_a_time(offline, voila_url):
    page = offline.page
    _open(page, f"{voila_url}/voila/render/01_art458.ipynb", 1)
    held = ui.exercise_case("art458").id
    rows = page.locator(f'tr.cb-case:not([data-case="{held}"])')
    first, second = rows.nth(0), rows.nth(1)
    closed = _words(second.inner_text())
    first.get_by_text("Voir la réponse").click()
    assert any(label in first.inner_text() for label in OUTCOMES.values())
    assert _words(second.inner_text()) == closed  # opening one case leaves the others folded
    first.locator("summary").focus()
    page.keyboard.press("Enter")  # keyboard: the same control folds it again
    assert "Voir la réponse" in first.inner_text() and "✔" not in first.inner_text()


@pytest.mark.parametrize(("path", "calls"), EXERCISES, ids=[p.stem for p, _ in EXERCISES])
def test_instructor_view_shows_answers_and_teaching_notes(offline, voila_url, path, calls):
    page = offline.page
    _open(page, f"{voila_url}/voila/render/{path.name}?mode=enseignant", len(calls))
    expect(page.locator(".cb-view-bar").get_by_text("Vue enseignant")).to_be_visible()
    assert page.locator("details.cb-reveal").count() == 0
    for i, (case, verdict) in enumerate(_answers(calls)):
        row = page.locator(f'tr.cb-case[data-case="{case.id}"]').first
        expect(row).to_contain_text(OUTCOMES[verdict.outcome])
        expect(row).to_contain_text(_words(case.teaching_notes))
        expect(row).to_contain_text(_words(case.misconceptions[0].text))
        exercise = page.locator(".cb-predict").nth(i)
        expect(exercise).to_contain_text("Réponse attendue")
        expect(exercise).to_contain_text(_words(verdict.explanation))


def _font_size(page: Page, selector: str) -> float:
    return float(page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def test_instructor_view_projects_and_links_back_to_the_student_view(offline, voila_url):
    page = offline.page
    _open(page, f"{voila_url}/voila/render/03_secret_partage.ipynb?mode=enseignant&cas=x", 1)
    bar = page.locator(".cb-view-bar")
    toggle = bar.get_by_label("Mode projection")
    expect(toggle).to_be_checked()
    button = ".cb-explorer .widget-toggle-button"
    big, text_big = _font_size(page, button), _font_size(page, ".cb-cases td")
    # The verdict stays beside the facts, even in large type.
    form, card = page.locator(".cb-explorer .cb-form").first, page.locator(".cb-explorer .cb-card").first
    assert card.bounding_box()["x"] >= form.bounding_box()["x"] + form.bounding_box()["width"] - 1
    toggle.uncheck()
    assert _font_size(page, button) < big and _font_size(page, ".cb-cases td") < text_big
    toggle.check()
    assert _font_size(page, button) == big
    bar.get_by_role("link", name="Revenir à la vue étudiant").click()
    page.wait_for_url(re.compile(r"/03_secret_partage\.ipynb\?cas=x$"), wait_until="commit")
    wait_rendered(page, ".cb-predict")
    assert page.locator(".cb-view-bar").count() == 0 and page.locator("details.cb-reveal").count() > 0
