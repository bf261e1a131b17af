"""« Puis-je parler ? » as a student uses it (issue 19 §6, issue 20 §6), acting as a person
(`person.Person`: the wheel and clicks at the coordinates of what is on screen): it asks what
happened and to whom before the questions of appreciation, never for the conclusion the job
decides, ends with « Que faire maintenant ? », and keeps the legal reasons one click away, with
one line for each rule that does not apply."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .person import LAPTOP, Person

ANSWERS = {"Qui vous demande l'information": "la police",
           "Quelle est votre profession": "assistant(e) social(e)",
           "dans l'exercice de votre fonction": "Oui"}


@pytest.fixture
def person(browser):
    someone = Person(browser, LAPTOP)
    yield someone
    assert someone.offline.blocked == []
    someone.close()


def test_the_navigator_ends_with_what_to_do_and_its_reasons_one_click_away(person, voila_url):
    person.open(f"{voila_url}/voila/render/15_puis_je_parler.ipynb", ".cb-navigator")
    nav = person.page.locator(".cb-navigator")
    person.click(nav.get_by_role("button", name=re.compile("On me demande de parler")))
    asked: list[str] = []
    for _ in range(40):
        heading = nav.locator("h2").first
        expect(heading).not_to_have_text(re.compile("Que se passe"))
        person.reach(heading)
        text = heading.inner_text()
        if "Synthèse" in text:
            break
        asked.append(text)
        label = next((v for k, v in ANSWERS.items() if k in text), "Je ne sais pas")
        person.click(nav.get_by_role("button", name=label, exact=True))
        expect(nav.locator("h2").first).not_to_have_text(text)
    else:
        raise AssertionError(f"pas de synthèse après {asked}")
    assert "Qui vous demande l'information" in asked[0]  # what happened and to whom, first
    judged = [i for i, q in enumerate(asked) if "(votre appréciation)" in q]
    plain = [i for i, q in enumerate(asked) if "(votre appréciation)" not in q]
    assert not judged or max(plain) < min(judged)
    assert not any("confident nécessaire" in q for q in asked)  # the job decided it
    todo = nav.locator(".cb-todo")
    person.reach(todo.locator("h2"))
    expect(todo).to_contain_text("Que faire maintenant ?")
    for heading in ("Qui contacter", "Ce que vous pouvez dire", "Ce que vous ne dites pas",
                    "Ce que vous notez"):
        expect(todo).to_contain_text(heading)
    cards = nav.locator(".cb-reasons .cb-card")
    expect(cards.first).to_be_hidden()  # the legal reasons wait one click away
    person.click(nav.locator(".cb-reasons > summary"))
    expect(cards.first).to_be_visible()
    reasons = nav.locator(".cb-reasons")
    expect(reasons).to_contain_text("Ne s'appliquent pas ici")
    expect(reasons.locator(".cb-not-applicable li").first).to_contain_text(" : ")
    assert "ne changeraient pas cette réponse" not in nav.inner_text()
