"""What a person does and checks on a served casebook, whatever serves it (an installed package,
a Jupyter server under a prefix, JupyterHub): the casebook's own page (its template, French,
its session script talking to the kernel), no code, no error, no remote request; an explorer
opened on a worked case shows the engine's verdict and shares a link that reopens it at the
same address; the accueil's map and the navigator answer clicks, a training round opens on its
first case. Every click is a person's (`mouse.click`)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from playwright.sync_api import Page, expect

import casebook
from casebook.interface import ui
from casebook.law.engine import evaluate_one

from .conftest import OfflinePage, wait_rendered
from .mouse import click

SHARED = "03_secret_partage.ipynb"
CASE = "partage-sans-accord"
SCOPE = ".cb-explorer-secret_partage"


def watch(page: Page) -> list[str]:
    """Page errors and dialogs the page raises from now on (dialogs dismissed)."""
    seen: list[str] = []
    page.on("pageerror", lambda err: seen.append(f"pageerror: {err}"))
    page.on("dialog", lambda dialog: (seen.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    return seen


def case_outcome() -> str:
    """The engine's answer to the worked case CASE for the shared secret."""
    case = next(s for s in ui.scenarios() if s.id == CASE)
    return evaluate_one(casebook.load(), case.situation, "secret_partage").outcome


def is_the_casebooks_page(offline: OfflinePage, seen: list[str]) -> None:
    """The casebook's template (in French, its session script in touch with the page's kernel),
    no source, no traceback or error output, no remote request, no page error."""
    page = offline.page
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("body")).to_have_attribute("data-cb-session", "ok", timeout=60_000)
    html = page.content()
    assert "from casebook" not in html and "Traceback" not in html
    assert page.locator(".jp-InputArea-editor, .jp-CodeCell .jp-InputArea").count() == 0
    assert page.locator(".jp-OutputArea-output[data-mime-type*='stderr']").count() == 0
    assert page.locator(".cb-link-ignored").count() == 0
    assert seen == [] and offline.blocked == [], (seen, offline.blocked)


def explorer_case(offline: OfflinePage, pages: str, first: str = "") -> str:
    """Open the explorer of `pages` (the address of the notebooks' folder, ending in « / ») on
    CASE (`first`: query parameters the address starts with, e.g. a server's token) and see the
    engine's verdict; the shared link is the page's own address with the case, and a link that
    changes one fact is followed. Returns the shared link."""
    page = offline.page
    seen = watch(page)
    page.goto(f"{pages}{SHARED}?{first}cas={CASE}")
    wait_rendered(page, SCOPE)
    expect(page.locator(f"{SCOPE} .cb-card").first).to_have_attribute("data-outcome", case_outcome())
    is_the_casebooks_page(offline, seen)
    field = page.locator(f"{SCOPE} .cb-share-link")
    expect(field).to_have_value(f"{SHARED}?cas={CASE}")
    link = page.locator(f"{SCOPE} a.cb-share-open").evaluate("a => a.href")
    assert link == urljoin(page.url, field.input_value()) == f"{pages}{SHARED}?cas={CASE}"
    page.goto(f"{link}&informed_consent=oui")
    wait_rendered(page, SCOPE)
    expect(field).to_have_value(f"{SHARED}?cas={CASE}&informed_consent=oui")
    is_the_casebooks_page(offline, seen)
    return link


def accueil_to_explorer(offline: OfflinePage, pages: str, first: str = "") -> None:
    """The accueil, then its map's link to the shared secret, clicked: the explorer opens at the
    address of the served notebooks."""
    page = offline.page
    seen = watch(page)
    page.goto(f"{pages}00_accueil.ipynb?{first}")
    wait_rendered(page, ".cb-navigator")
    is_the_casebooks_page(offline, seen)
    click(page, page.locator(f"a[href='{SHARED}']").first)
    page.wait_for_url(f"{pages}{SHARED}", timeout=120_000)
    wait_rendered(page, f"{SCOPE} .cb-card")
    is_the_casebooks_page(offline, seen)


def navigator_asks(offline: OfflinePage, pages: str, first: str = "") -> None:
    """« Puis-je parler ? »: a theme chosen by a click brings its first question."""
    page = offline.page
    seen = watch(page)
    page.goto(f"{pages}15_puis_je_parler.ipynb?{first}")
    wait_rendered(page, ".cb-navigator")
    nav = page.locator(".cb-navigator")
    heading = nav.locator("h2").first
    before = heading.inner_text()
    click(page, nav.get_by_role("button", name=re.compile("On me demande de parler")))
    expect(heading).not_to_have_text(before)
    expect(heading).to_contain_text("?")
    is_the_casebooks_page(offline, seen)


def training_round(offline: OfflinePage, pages: str, first: str = "") -> None:
    """« Entraînement »: a seeded round opens on its first case; the replay link stays at the
    page's address."""
    page = offline.page
    seen = watch(page)
    page.goto(f"{pages}18_entrainement.ipynb?{first}graine=42&n=3")
    wait_rendered(page, ".cb-training .cb-training-question")
    expect(page.locator(".cb-training .cb-training-question h2")).to_contain_text("Cas 1 sur 3")
    replay = page.locator(".cb-training .cb-replay-link").evaluate("a => a.href")
    assert replay == f"{pages}18_entrainement.ipynb?graine=42&n=3"
    is_the_casebooks_page(offline, seen)
