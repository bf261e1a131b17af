"""A case by link, in the served dashboards: every explorer opens on a worked case from its
link with the engine's verdict, the « Lien vers ce cas » field reopens what is on screen, hostile
links open the default page with one French line and run nothing, and the navigator (a preheated
page) skips what its link already answers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote, urljoin

import pytest
from playwright.sync_api import expect

import casebook
from casebook.interface import ui
from casebook.interface.pages.navigator import Navigator
from casebook.interface.pages.transfer import explorer_pages
from casebook.law.engine import Situation, evaluate_one
from casebook.law.labels import OUTCOMES

from .conftest import free_port, start_voila, stop, wait_rendered
from .person import LAPTOP, Person

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
SHARED = "03_secret_partage.ipynb"
CASE = "partage-sans-accord"
SCRIPT = "<script>alert(1)</script>"


def _explorers() -> list[tuple[str, tuple[str, ...]]]:
    """(notebook file, provisions) of every `ui.explorer(...)` call of the notebooks, as the
    builder's links find them."""
    return list(dict.fromkeys(explorer_pages(NOTEBOOKS[0].parent).values()))


def _case_for(pids: tuple[str, ...]) -> tuple[str, str, str]:
    """A worked case of the explorer, its provision and the engine's outcome for it: one with a
    determinate answer, about a provision other than the first when there is one."""
    kb = casebook.load()
    found = []
    for case in ui.scenarios():
        pid = next((p for p in pids if any(e.provision == p for e in case.expected)), None)
        if pid is not None:
            found.append((case.id, pid, evaluate_one(kb, case.situation, pid).outcome))
    found.sort(key=lambda f: (f[2] == "indetermine", f[1] == pids[0]))
    return found[0]


EXPLORERS = [(name, pids, *_case_for(pids)) for name, pids in _explorers()]


def _watch(page) -> list[str]:
    """Page errors and dialogs (alert, confirm…) seen by the page, dialogs dismissed."""
    seen: list[str] = []
    page.on("pageerror", lambda err: seen.append(f"pageerror: {err}"))
    page.on("dialog", lambda dialog: (seen.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    return seen


def _picked(page, scope: str, first_option: str | None = None) -> str:
    """The label shown by a dropdown of `scope`: the case picker, or the first select."""
    selects = page.locator(f"{scope} select")
    if first_option is not None:
        selects = selects.filter(has=page.locator("option", has_text=first_option))
    return selects.first.evaluate("s => s.selectedOptions[0].textContent").replace("\xa0", " ")


def _case_picked(page, scope: str) -> str:
    return _picked(page, scope, "choisir un cas pratique")


def _answer(page, scope: str, fact: str, label: str) -> None:
    """Click the toggle button `label` of a fact (whatever role the template gives it)."""
    page.locator(f"{scope} .cb-fact-{fact} button", has_text=re.compile(f"^{re.escape(label)}$")).click()


def _verdict(page, pid: str):
    return page.locator(f".cb-explorer-{pid} .cb-card").first


@pytest.mark.parametrize(("notebook", "pids", "case_id", "pid", "expected"), EXPLORERS,
                         ids=[e[0].removesuffix(".ipynb") for e in EXPLORERS])
def test_each_explorer_opens_on_the_case_of_its_link(offline, voila_url, notebook, pids, case_id, pid,
                                                     expected):
    page = offline.page
    seen = _watch(page)
    page.goto(f"{voila_url}/voila/render/{notebook}?cas={case_id}")
    wait_rendered(page, f".cb-explorer-{pid}")
    card = _verdict(page, pids[0])
    expect(card).to_have_attribute("data-outcome", expected)
    expect(card).to_contain_text(OUTCOMES[expected])
    explorer = page.locator(f".cb-explorer-{pids[0]}")
    scope = f".cb-explorer-{pids[0]}"
    assert _case_picked(page, scope) == next(s.title for s in ui.scenarios() if s.id == case_id)
    if len(pids) > 1:
        assert _picked(page, scope) == casebook.load().provisions[pid].short
    regle = "" if pid == pids[0] else f"&regle={pid}"
    expect(explorer.locator(".cb-share-link")).to_have_value(
        f"{voila_url}/voila/render/{notebook}?cas={case_id}{regle}")
    assert explorer.locator(".cb-link-ignored").count() == 0
    assert seen == [] and offline.blocked == []


def test_the_copied_link_reopens_the_same_situation(offline, voila_url, browser):
    page = offline.page
    scope = ".cb-explorer-secret_partage"
    page.goto(f"{voila_url}/voila/render/{SHARED}?cas={CASE}")
    wait_rendered(page, scope)
    expect(_verdict(page, "secret_partage")).to_have_attribute("data-outcome", "obligation_de_se_taire")
    _answer(page, scope, "informed_consent", "Oui")
    field = page.locator(f"{scope} .cb-share-link")
    expect(field).to_have_value(f"{voila_url}/voila/render/{SHARED}?cas={CASE}&informed_consent=oui")
    _answer(page, scope, "only_necessary", "Je ne sais pas")
    expect(field).to_have_value(
        f"{voila_url}/voila/render/{SHARED}?cas={CASE}&informed_consent=oui&only_necessary=inconnu")
    outcome = _verdict(page, "secret_partage").get_attribute("data-outcome")
    link = urljoin(page.url, field.input_value())
    assert link == f"{voila_url}/voila/render/{SHARED}?cas={CASE}&informed_consent=oui&only_necessary=inconnu"
    assert page.locator(f"{scope} a.cb-share-open").evaluate("a => a.href") == link
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    try:
        other = context.new_page()
        other.goto(link)
        wait_rendered(other, scope)
        expect(_verdict(other, "secret_partage")).to_have_attribute("data-outcome", outcome)
        expect(other.locator(f"{scope} .cb-share-link")).to_have_value(field.input_value())
        assert _case_picked(other, scope) == _case_picked(page, scope) != "— choisir un cas pratique —"
    finally:
        context.close()


HOSTILE = [
    ("cas=pas-un-cas", "cas pratique « pas-un-cas » inconnu"),
    ("fait_inconnu=oui", "paramètre « fait_inconnu » inconnu"),
    ("informed_consent=peut-etre", "valeur « peut-etre » refusée"),
    ("date=2021-02-30", "date « 2021-02-30 » impossible"),
    (f"informed_consent={quote(SCRIPT)}", f"valeur « {SCRIPT} » refusée"),
    (f"{quote(SCRIPT)}=oui", f"paramètre « {SCRIPT} » inconnu"),
    ("informed_consent=" + "x" * 5000, "adresse trop longue"),
    ("informed_consent=%3Cimg%20src%3Dx%20onerror%3D%22window.__xss%3D1%22%3E",
     'valeur « <img src=x onerror="window.__xss=1"> » refusée'),
]


@pytest.mark.parametrize(("query", "said"), HOSTILE, ids=[f"h{i}" for i in range(len(HOSTILE))])
def test_a_hostile_link_opens_the_default_with_one_french_line(offline, voila_url, query, said):
    page = offline.page
    seen = _watch(page)
    scope = ".cb-explorer-secret_partage"
    page.goto(f"{voila_url}/voila/render/{SHARED}?{query}")
    wait_rendered(page, scope)
    line = page.locator(f"{scope} .cb-link-ignored")
    expect(line).to_be_visible()
    expect(line).to_contain_text("Lien : ignoré — " + said)
    default = evaluate_one(casebook.load(), Situation({}, dt.date.today()), "secret_partage").outcome
    expect(_verdict(page, "secret_partage")).to_have_attribute("data-outcome", default)
    assert _picked(page, scope) == casebook.load().provisions["secret_partage"].short
    assert _case_picked(page, scope) == "— choisir un cas pratique —"
    expect(page.locator(f"{scope} .cb-share-link")).to_have_value(
        f"{voila_url}/voila/render/{SHARED}?date={dt.date.today()}")
    assert page.evaluate("() => [...document.scripts].some(s => s.textContent.includes('alert(1)'))") is False
    assert page.locator(f"{scope} img, {scope} script").count() == 0
    assert page.evaluate("window.__xss") is None
    assert seen == [] and offline.blocked == []


def test_the_navigator_skips_what_its_link_answers(offline, voila_url):
    kb = casebook.load()
    plain = Navigator(kb)
    plain.choose_theme("parole")
    first, _ = plain.current()
    linked = Navigator(kb)
    linked.follow({"sujet": "parole", first: "police"})  # who asks: the first question
    asked, _ = linked.current()
    assert asked != first
    page = offline.page
    seen = _watch(page)
    for turn in range(2):  # the preheated kernel, then the one that replaces it
        if turn:
            page.wait_for_timeout(15_000)  # the pool refills 6 s after a use (voila.json), then runs it
        page.goto(f"{voila_url}/voila/render/15_puis_je_parler.ipynb?sujet=parole&{first}=police&{quote(SCRIPT)}=1")
        wait_rendered(page, ".cb-navigator")
        nav = page.locator(".cb-navigator")
        expect(nav).to_contain_text(f"Question 1 : {kb.facts[asked].question}")
        expect(nav.locator(".cb-link-ignored")).to_contain_text(f"paramètre « {SCRIPT} » inconnu")
    nav.get_by_role("button", name="Recommencer").click()
    expect(nav).to_contain_text("Que se passe-t-il ?")
    assert seen == [] and offline.blocked == []


@pytest.fixture(scope="module")
def short_timeout_url():
    """A Voilà whose cells time out after 5 s: a pool kernel waits far longer than that for its
    first browser, as it does in a real class between two students."""
    port = free_port()
    proc = start_voila("notebooks", port, "--VoilaExecutor.timeout=5")
    yield f"http://127.0.0.1:{port}"
    stop(proc)


def test_a_preheated_page_opened_long_after_its_kernel_was_ready_follows_its_link(offline, short_timeout_url):
    kb = casebook.load()
    plain = Navigator(kb)
    plain.choose_theme("parole")
    first, _ = plain.current()
    page = offline.page
    page.wait_for_timeout(20_000)  # the pool's kernel has run the notebook and waits
    page.goto(f"{short_timeout_url}/voila/render/15_puis_je_parler.ipynb?sujet=parole&mode=enseignant")
    wait_rendered(page, ".cb-navigator")
    nav = page.locator(".cb-navigator")
    expect(nav).to_contain_text(f"Question 1 : {kb.facts[first].question}")
    expect(page.locator(".cb-view-bar")).to_contain_text("Vue enseignant")
    assert page.locator(".jp-OutputArea-output[data-mime-type*='stderr']").count() == 0
    assert "timed out" not in page.inner_text("body")


def test_copier_le_lien_puts_the_whole_address_on_the_clipboard_and_says_so(browser, voila_url):
    """A person clicks « Copier le lien » on screen: the clipboard holds the page's whole address
    with the case and its title, and the status line (read by screen readers) confirms it."""
    person = Person(browser, LAPTOP)
    person.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=voila_url)
    scope = ".cb-explorer-secret_partage"
    try:
        person.open(f"{voila_url}/voila/render/{SHARED}", f"{scope} .cb-card",
                    f"cas={CASE}&titre=Mme%20D.%20refuse")
        expect(person.page.locator(f"{scope} .cb-title input")).to_have_value("Mme D. refuse")
        person.click(person.page.locator(f"{scope} .cb-copy"))
        status = person.page.locator(f"{scope} .cb-copied")
        expect(status).to_have_text("Lien copié dans le presse-papiers.")
        assert status.get_attribute("role") == "status"
        copied = person.page.evaluate("() => navigator.clipboard.readText()")
        assert copied == f"{voila_url}/voila/render/{SHARED}?cas={CASE}&titre=Mme%20D.%20refuse"
    finally:
        person.close()
