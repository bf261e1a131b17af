"""The training dashboard in a real browser: a round replayed from its link (`?graine=42&n=3`)
answered to a final score known in advance, its per-theme summary and CSV download, a round
restricted to a theme by `sujet` (Voilà keeps `theme` for itself), and a hostile seed refused in
French."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

import casebook
from casebook.interface import ui
from casebook.interface.pages import rounds
from casebook.law.engine import evaluate_one
from casebook.law.labels import DEONTIC, OUTCOME_ICONS, OUTCOMES

from .conftest import ARTIFACTS, wait_rendered


def _planned_round():
    """The round of seed 42 with three cases, as the dashboard will draw it, and answers chosen so
    that the first and last are right and the second wrong: the final score is « 2 / 3 »."""
    kb = casebook.load()
    questions = rounds.draw(rounds.questions(kb, ui.scenarios()), rounds.Settings(42, 3)).questions
    outcomes = [evaluate_one(kb, q.scenario.situation, q.pid).outcome for q in questions]
    wrong = next(o for o in DEONTIC if o != outcomes[1])
    return questions, outcomes, [outcomes[0], wrong, outcomes[2]]


def test_a_seeded_round_reaches_its_known_score_and_its_summary_downloads(offline, voila_url):
    questions, outcomes, plan = _planned_round()
    page = offline.page
    page.goto(f"{voila_url}/voila/render/18_entrainement.ipynb?graine=42&n=3")
    wait_rendered(page, ".cb-training")
    round_ = page.locator(".cb-training")
    score = round_.locator(".cb-score")
    expect(score).to_have_text("0 / 0")
    expect(round_).to_contain_text("Rien n'est enregistré")
    expect(round_.locator(".cb-replay .cb-share-link")).to_have_value(
        f"{voila_url}/voila/render/18_entrainement.ipynb?graine=42&n=3")
    right = 0
    for i, (q, choice) in enumerate(zip(questions, plan, strict=True)):
        box = round_.locator(".cb-training-question")
        expect(box.locator("h2")).to_contain_text(f"Cas {i + 1} sur 3 : {q.scenario.title}")
        label = re.compile(f"^{re.escape(OUTCOME_ICONS[choice] + ' ' + OUTCOMES[choice])}$")
        box.locator(".widget-toggle-button").filter(has_text=label).click()
        box.get_by_role("button", name="Vérifier ma réponse").click()
        right += choice == outcomes[i]
        expect(box.locator("[data-feedback]")).to_have_attribute(
            "data-feedback", "ok" if choice == outcomes[i] else "ko")
        expect(box.locator(".cb-card")).to_have_attribute("data-outcome", outcomes[i])
        expect(score).to_have_text(f"{right} / {i + 1}")
        if i == 1:  # the gallery's picture: a wrong answer, its reasoning and the misconception
            box.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "18_entrainement_correction.png"))
        box.get_by_role("button", name="Suivant").click()
    summary = round_.locator(".cb-summary")
    expect(summary).to_be_visible()
    expect(score).to_have_text("2 / 3")
    themes = summary.locator(".cb-summary-themes")
    for q in questions:
        expect(themes).to_contain_text(rounds.TOPICS[q.topic])
    with page.expect_download() as info:
        round_.locator(".cb-download-csv").click()
    download = info.value
    assert download.suggested_filename == "entrainement-graine-42.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Thème" and rows[-1] == ["Total", "3", "2", "67"]
    assert {r[0] for r in rows[1:-1]} == {rounds.TOPICS[q.topic] for q in questions}
    assert offline.blocked == []


def test_sujet_restricts_the_round_to_a_theme_and_its_link_replays_it(offline, voila_url):
    page = offline.page
    page.goto(f"{voila_url}/voila/render/18_entrainement.ipynb?graine=7&sujet=partage&n=2&theme=dark")
    wait_rendered(page, ".cb-training")
    round_ = page.locator(".cb-training")
    label = rounds.TOPICS["partage"]
    expect(round_.locator(".cb-replay .cb-share-link")).to_have_value(
        f"{voila_url}/voila/render/18_entrainement.ipynb?graine=7&n=2&sujet=partage")
    expect(round_.locator(".widget-dropdown select").first).to_have_value(label)
    expect(round_.locator(".cb-training-question .cb-badge").first).to_have_text(label)
    expect(page.locator(".cb-training-message")).to_have_text("")
    assert offline.blocked == []


def test_a_hostile_seed_is_refused_in_french_and_a_fresh_seed_is_linked(offline, voila_url):
    page = offline.page
    page.goto(f"{voila_url}/voila/render/18_entrainement.ipynb?graine=%3Cimg%20src%3Dx%20onerror%3D"
              "window.__xss%3D1%3E&n=2")
    wait_rendered(page, ".cb-training")
    message = page.locator(".cb-training-message")
    expect(message).to_contain_text("ignorée : un nombre entier de 0 à 999 999 est attendu")
    expect(message).to_contain_text("<img src=x")
    assert page.locator(".cb-training img").count() == 0 and page.evaluate("window.__xss") is None
    href = page.locator(".cb-replay .cb-share-link").input_value()
    seed = re.fullmatch(re.escape(f"{voila_url}/voila/render/18_entrainement.ipynb?graine=") + r"(\d+)&n=2",
                        href).group(1)
    expect(message).to_contain_text(f"graine {seed})")
    expect(page.locator(".cb-score")).to_have_text("0 / 0")
