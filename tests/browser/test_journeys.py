"""Journeys a person makes through the main dashboards on a laptop, a projector (the instructor's
projection mode) and a phone, using only what a person can do (`person`): scrolling with the
wheel or a finger, clicking or tapping what is visible on screen, reading what is there.

Each journey asserts that the page moves when the person scrolls, and ends on what the person
came for: a verdict in sight after the last answer, the synthesis of « Puis-je parler ? », a
training round's summary, the engine's answer beside the one the instructor expects."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import casebook

from .conftest import ARTIFACTS
from .person import DEVICES, PHONE, Person

SHARING = ("necessary_confidant", "learned_in_function", "sharing_planned", "recipient_bound",
           "same_mission", "informed_consent", "only_necessary", "in_person_interest")


@pytest.fixture(params=DEVICES, ids=lambda d: d.name)
def person(request, browser):
    someone = Person(browser, request.param)
    yield someone
    assert someone.offline.blocked == []
    someone.close()


def _moves_when_scrolled(person: Person) -> None:
    before = person.scroll_y()
    person.scroll(400)
    assert person.scroll_y() > before, f"la page ne défile pas ({person.device.name})"


def _shot(person: Person, stem: str) -> None:
    """What the person sees now, for docs/gallery (`make gallery`)."""
    person.page.screenshot(path=str(ARTIFACTS / f"{stem}_{person.device.name}.png"))


def _verdict_in_sight(person: Person, scope: str) -> str:
    """The verdict a person sees now: the card (wide screens) or the compact bar (a phone)."""
    shown = person.page.locator(f"{scope} {'.cb-bar' if person.device is PHONE else '.cb-card'}").first
    assert person.intersects_viewport(shown), f"verdict hors de l'écran ({person.device.name})"
    return shown.get_attribute("data-outcome")


def test_accueil_a_person_scrolls_to_the_navigator_and_starts_it(person, voila_url):
    person.open(f"{voila_url}/voila/render/00_accueil.ipynb", ".cb-navigator")
    _moves_when_scrolled(person)
    nav = person.page.locator(".cb-navigator")
    person.click(nav.get_by_role("button", name=re.compile("Je voudrais partager")))
    question = nav.locator("h2").first
    expect(question).not_to_have_text(re.compile("Que se passe"))
    person.reach(question)
    assert person.scroll_y() > 0
    _shot(person, "00_accueil")


def _question_places(person: Person, scope: str) -> list[float]:
    """Where each question of the form is in the page (not on screen: scrolling does not count)."""
    return person.page.locator(f"{scope} .cb-question").evaluate_all(
        "qs => qs.map(q => Math.round(q.getBoundingClientRect().top + scrollY))")


def test_secret_partage_the_verdict_stays_in_sight_while_answering(person, voila_url):
    scope = ".cb-explorer-secret_partage"
    person.open(f"{voila_url}/voila/render/03_secret_partage.ipynb", scope)
    _moves_when_scrolled(person)
    moot = person.page.locator(f"{scope} .cb-moot .cb-question").count()
    places = _question_places(person, scope)
    for fact in SHARING:
        person.answer(scope, fact, "Oui")
    card = person.page.locator(f"{scope} .cb-card").first
    expect(card).to_have_attribute("data-outcome", "faculte_de_partager")
    # other questions are now marked without effect, and nothing moved under the person's finger
    assert person.page.locator(f"{scope} .cb-moot .cb-question").count() != moot
    assert _question_places(person, scope) == places
    assert _verdict_in_sight(person, scope) == "faculte_de_partager"
    person.answer(scope, "informed_consent", "Non")
    expect(card).to_have_attribute("data-outcome", "obligation_de_se_taire")
    assert _verdict_in_sight(person, scope) == "obligation_de_se_taire"
    expect(person.page.locator(f"{scope} .cb-change")).to_contain_text("Obligation de se taire")
    _shot(person, "03_secret_partage")


def test_secret_partage_a_case_link_opens_at_the_explorer(person, voila_url):
    scope = ".cb-explorer-secret_partage"
    person.open(f"{voila_url}/voila/render/03_secret_partage.ipynb", f"{scope} .cb-card",
                "cas=partage-sans-accord")
    picker = person.page.locator(f"{scope} select").first
    expect(picker).to_be_visible()
    person.page.wait_for_function(
        "(s) => Math.abs(document.querySelector(s).getBoundingClientRect().top) < 40", arg=scope)
    assert person.scroll_y() > 0
    assert person.sees(person.page.locator(f"{scope} .cb-share-link"))


def test_puis_je_parler_a_person_reaches_the_synthesis(person, voila_url):
    answers = {"confident nécessaire": "Oui", "dans l'exercice de votre fonction": "Oui",
               "partager l'information avec un autre intervenant": "Oui",
               "lui-même tenu au secret": "Oui", "même mission": "Oui", "donné son accord": "Oui",
               "nécessaire à la mission": "Oui", "l'intérêt de la personne": "Oui"}
    person.open(f"{voila_url}/voila/render/15_puis_je_parler.ipynb", ".cb-navigator")
    nav = person.page.locator(".cb-navigator")
    person.click(nav.get_by_role("button", name=re.compile("Je voudrais partager")))

    def choose(text: str):
        key = next((k for k in answers if k in text), None)
        if key:
            return nav.get_by_role("button", name=answers[key], exact=True)
        choices = nav.locator(".cb-choices button, .widget-toggle-button")
        doubt = choices.filter(has_text=re.compile("^(Non|Je ne sais pas)$"))
        return doubt.last if doubt.count() else choices.first

    person.walk_navigator(nav, choose)
    person.click(nav.locator(".cb-reasons > summary"))  # the legal reasons, one click away
    synthesis = nav.locator(".cb-synthesis")
    person.reach(synthesis)
    expect(synthesis).to_contain_text("partager")
    _shot(person, "15_puis_je_parler")


def test_entrainement_settings_a_round_and_its_summary(person, voila_url):
    person.open(f"{voila_url}/voila/render/18_entrainement.ipynb", ".cb-training", "graine=42&n=2")
    round_ = person.page.locator(".cb-training")
    start = round_.get_by_role("button", name="Commencer cette série")
    person.reach(start)
    for control in (round_.locator("select").first, start):
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= person.device.width, "réglage coupé"
    person.click(start)
    for i in range(2):
        question = round_.locator(".cb-training-question")
        expect(question.locator("h2")).to_contain_text(f"Cas {i + 1} sur 2")
        person.click(question.locator(".widget-toggle-button").first)
        person.click(question.get_by_role("button", name="Vérifier ma réponse"))
        expect(question.locator("[data-feedback]")).to_be_visible()
        person.click(question.get_by_role("button", name="Suivant"))
    summary = round_.locator(".cb-training-summary")
    person.reach(summary.get_by_role("button", name="Imprimer le bilan"))
    expect(round_.locator(".cb-score")).to_have_text(re.compile(r"^\d / 2$"))
    _shot(person, "18_entrainement")


def test_atelier_an_instructor_writes_a_case_and_sees_the_engine(person, voila_url):
    scope = ".cb-builder"
    person.open(f"{voila_url}/voila/render/17_atelier_de_cas.ipynb", scope)
    page = person.page
    person.type(page.locator(f"{scope} .cb-builder-title input"), "Partager avec la psychologue")
    person.type(page.locator(f"{scope} .cb-builder-narrative textarea"),
                "Mme D. accepte que vous partagiez avec la psychologue ce qui est utile.")
    provisions = page.locator(f"{scope} .cb-builder-provisions select")
    provision = casebook.load().provisions["secret_partage"]
    person.choose(provisions, f"{provision.short} — {provision.title}")
    person.choose(page.locator(f"{scope} .cb-expected-secret_partage select"), "Faculté de partager")
    for fact in SHARING:
        person.answer(scope, fact, "Oui")
    compared = page.locator(f"{scope} .cb-compare[data-provision=secret_partage]")
    expect(compared).to_have_attribute("data-agrees", "oui")
    person.reach(compared)
    assert person.scroll_y() > 0
