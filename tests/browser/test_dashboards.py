"""No page asks for a remote host; facts change verdicts; the navigator and a predict-then-reveal
exercise work end to end. (That every dashboard renders offline without code or errors is checked
where a laptop scrolls it, tests/browser/test_scrolling.py: one load for both.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import answer, outcome, wait_rendered


def test_no_page_requests_a_remote_host(offline, voila_url):
    page = offline.page
    for name in ("00_accueil.ipynb", "03_secret_partage.ipynb"):
        page.goto(f"{voila_url}/voila/render/{name}")
        wait_rendered(page, ".cb-navigator" if name.startswith("00") else ".cb-explorer")
    page.goto(f"{voila_url}/voila/tree")
    page.wait_for_load_state("networkidle")
    assert offline.blocked == []


EXPLORER_CHANGES = [
    ("03_secret_partage", "secret_partage",
     [("necessary_confidant", "Oui"), ("learned_in_function", "Oui"), ("sharing_planned", "Oui"),
      ("recipient_bound", "Oui"), ("same_mission", "Oui"), ("informed_consent", "Oui"),
      ("only_necessary", "Oui"), ("in_person_interest", "Oui")],
     "faculte_de_partager", [("informed_consent", "Non")], "obligation_de_se_taire"),
    ("04_temoignage", "temoignage",
     [("necessary_confidant", "Oui"), ("learned_in_function", "Oui"), ("forum", "la police")],
     "non_applicable",
     [("forum", "une cour ou un tribunal"), ("summoned_under_oath", "Oui")], "faculte_de_parler"),
    ("06_art422bis", "art422bis", [("grave_peril", "Oui"), ("helping_is_dangerous", "Oui")],
     "obligation_d_agir", [("grave_peril", "Non")], "non_applicable"),
    ("08_art29_30_cic", "art29_cic",
     [("necessary_confidant", "Non"), ("public_agent", "Oui"), ("knows_crime", "Oui"),
      ("learned_in_function", "Oui"), ("sector", "autre secteur")],
     "obligation_de_communiquer",
     [("necessary_confidant", "Oui")], "non_applicable"),
    ("10_art458bis", "art458bis",
     [("necessary_confidant", "Oui"), ("learned_in_function", "Oui"),
      ("profession", "éducateur / éducatrice"),
      ("offence_type", "coups et blessures volontaires"),
      ("offence_status", "commise : les faits ont eu lieu"),
      ("victim", "un(e) mineur(e)"), ("victim_grave_danger", "Oui"),
      ("danger_timing", "actuel ou à venir"), ("other_victims_risk", "Non"),
      ("can_protect_otherwise", "Non")],
     "faculte_de_parler",
     [("offence_status", "projetée ou annoncée (menace) : rien n'a encore été commis sur la victime")],
     "non_applicable"),
]


@pytest.mark.parametrize(("nb", "pid", "setup", "first", "change", "then"), EXPLORER_CHANGES,
                         ids=[c[0] for c in EXPLORER_CHANGES])
def test_changing_facts_changes_the_verdict(offline, voila_url, nb, pid, setup, first, change, then):
    page = offline.page
    scope = f".cb-explorer-{pid}"
    page.goto(f"{voila_url}/voila/render/{nb}.ipynb")
    wait_rendered(page, scope)
    date = page.locator(f"{scope} input[type=date]")
    date.fill("2026-11-02")
    date.dispatch_event("change")
    for fact, label in setup:
        answer(page, scope, fact, label)
    expect(page.locator(f"{scope} .cb-card").first).to_have_attribute("data-outcome", first)
    for fact, label in change:
        answer(page, scope, fact, label)
    expect(page.locator(f"{scope} .cb-card").first).to_have_attribute("data-outcome", then)
    assert outcome(page, scope) == then


COMMON = {  # questions either run may meet, depending on what is still open
    "Dans quel secteur": "autre secteur", "agent d'un service public": "Non",
    "La personne accepte-t-elle, ou vous demande-t-elle": "non : elle n'a rien demandé ni accepté de tel",
    "Une circulaire, votre hiérarchie": "Non",
    "Avez-vous été convoqué(e)": "Non",
}
NAVIGATOR_RUNS = {
    "police": ("On me demande de parler", {
        "confident nécessaire": "Oui", "dans l'exercice de votre fonction": "Oui",
        "Qui vous demande l'information": "la police",
        "Quelle est votre profession": "éducateur / éducatrice", **COMMON},
        "tenu(e) au secret"),
    "partage": ("Je voudrais partager", {
        "confident nécessaire": "Oui", "dans l'exercice de votre fonction": "Oui",
        "partager l'information avec un autre intervenant": "Oui", "lui-même tenu au secret": "Oui",
        "même mission": "Oui", "donné son accord": "Oui", "nécessaire à la mission": "Oui",
        "l'intérêt de la personne": "Oui", "Quelle est votre profession": "assistant(e) social(e)",
        "faits objectifs ou de confidences": "des faits objectifs et vérifiables",
        "Qui vous demande l'information": "personne : aucune demande", **COMMON},
        "partager selon Secret partagé"),
}


@pytest.mark.parametrize("run", sorted(NAVIGATOR_RUNS))
def test_navigator_end_to_end(offline, voila_url, run):
    theme, answers, expected = NAVIGATOR_RUNS[run]
    page = offline.page
    page.goto(f"{voila_url}/voila/render/15_puis_je_parler.ipynb")
    wait_rendered(page, ".cb-navigator")
    nav = page.locator(".cb-navigator")
    nav.get_by_role("button", name=re.compile(re.escape(theme))).click()
    for _ in range(40):
        heading = nav.locator("h2").first
        expect(heading).not_to_have_text(re.compile("Que se passe"))
        text = heading.inner_text()
        if "Synthèse" in text:
            break
        key = next((k for k in answers if k in text), None)
        assert key, f"question inattendue : {text}"
        nav.get_by_role("button", name=answers[key], exact=True).click()
        expect(nav.locator("h2").first).not_to_have_text(text)
    expect(nav.locator(".cb-synthesis")).to_contain_text(expected)


def test_predict_then_reveal_gives_feedback(offline, voila_url):
    page = offline.page
    page.goto(f"{voila_url}/voila/render/03_secret_partage.ipynb")
    wait_rendered(page, ".cb-predict")
    exercise = page.locator(".cb-predict").first
    exercise.get_by_role("radio", name=re.compile("Non applicable")).click()
    exercise.get_by_role("button", name="Vérifier ma réponse").click()
    expect(exercise.locator("[data-feedback]")).to_be_visible()
    expect(exercise.locator(".cb-card")).to_be_visible()
