"""« Puis-je parler ? » as a student uses it (issue 19 §6, issue 20 §6): only real wheel turns and
clicks at the coordinates of what is on screen. It asks what happened and to whom before the
questions of appreciation, ends with « Que faire maintenant ? », and keeps the legal reasons
one click away, with one line for each rule that does not apply."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from .conftest import wait_rendered

ANSWERS = {"Qui vous demande l'information": "la police",
           "Quelle est votre profession": "assistant(e) social(e)",
           "dans l'exercice de votre fonction": "Oui"}


def _on_screen(page: Page, target: Locator) -> dict | None:
    """The target's centre when it is visible, inside the window and not covered."""
    box = target.bounding_box()
    if not box or box["width"] == 0 or box["height"] == 0:
        return None
    size = page.viewport_size
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if not (0 <= x < size["width"] and 0 <= y < size["height"]):
        return {"x": x, "y": y, "hidden": True}
    covered = target.evaluate("(e, p) => !e.contains(document.elementFromPoint(p.x, p.y))",
                              {"x": x, "y": y})
    return {"x": x, "y": y, "hidden": covered}


def click_as_a_person(page: Page, target: Locator) -> None:
    """Turn the wheel until the target is on screen, then click where it is."""
    for _ in range(60):
        spot = _on_screen(page, target)
        if spot and not spot["hidden"]:
            page.mouse.click(spot["x"], spot["y"])
            return
        height = page.viewport_size["height"]
        down = spot is None or spot["y"] > height / 2
        page.mouse.move(640, 400)
        page.mouse.wheel(0, 300 if down else -300)
        page.wait_for_timeout(120)
    raise AssertionError("élément jamais visible à l'écran")


def test_the_navigator_ends_with_what_to_do_and_its_reasons_one_click_away(offline, voila_url):
    page = offline.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{voila_url}/voila/render/15_puis_je_parler.ipynb")
    wait_rendered(page, ".cb-navigator")
    nav = page.locator(".cb-navigator")
    click_as_a_person(page, nav.get_by_role("button", name=re.compile("On me demande de parler")))
    asked: list[str] = []
    for _ in range(40):
        heading = nav.locator("h2").first
        expect(heading).not_to_have_text(re.compile("Que se passe"))
        text = heading.inner_text()
        if "Synthèse" in text:
            break
        asked.append(text)
        label = next((v for k, v in ANSWERS.items() if k in text), "Je ne sais pas")
        click_as_a_person(page, nav.get_by_role("button", name=label, exact=True))
        expect(nav.locator("h2").first).not_to_have_text(text)
    else:
        raise AssertionError(f"pas de synthèse après {asked}")
    assert "Qui vous demande l'information" in asked[0]  # what happened and to whom, first
    judged = [i for i, q in enumerate(asked) if "(votre appréciation)" in q]
    assert not judged or all(i > j for j, q in enumerate(asked) if "(votre appréciation)" not in q
                             for i in judged[:1])
    assert not any("confident nécessaire" in q for q in asked)  # the job decided it
    todo = nav.locator(".cb-todo")
    expect(todo).to_contain_text("Que faire maintenant ?")
    for heading in ("Qui contacter", "Ce que vous pouvez dire", "Ce que vous ne dites pas",
                    "Ce que vous notez"):
        expect(todo).to_contain_text(heading)
    cards = nav.locator(".cb-reasons .cb-card")
    expect(cards.first).to_be_hidden()  # the legal reasons wait one click away
    click_as_a_person(page, nav.locator(".cb-reasons > summary"))
    expect(cards.first).to_be_visible()
    reasons = nav.locator(".cb-reasons")
    expect(reasons).to_contain_text("Ne s'appliquent pas ici")
    expect(reasons.locator(".cb-not-applicable li").first).to_contain_text(" : ")
    assert "ne changeraient pas cette réponse" not in nav.inner_text()
