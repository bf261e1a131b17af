"""Every dashboard renders offline without code or errors, scrolls as a person scrolls it, and
fits a phone.

On a laptop (the page loaded once for both): the page shows its main component with no source
code, traceback or error output and asks for no remote host; then the mouse wheel, PageDown,
Space, the arrow keys, End and Home, and a click in the scrollbar's track (scrollbars shown, as
on a desktop) each move it. On a phone held in portrait: a finger's swipe; nothing reaches past
the right edge of the screen unless it sits in a box that scrolls sideways by itself; help text
is at least 14 px and answer buttons at least 44 × 44 px. Under a URL prefix, as Binder and
JupyterHub serve the pages, the page scrolls too and its links carry the prefix."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, free_port, start_voila, stop
from .person import LAPTOP, PHONE, Person

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def _main_selector(name: str) -> str:
    """What shows once the dashboard has rendered: its explorer, navigator, round, workshop or
    timeline."""
    notebook = nbformat.read(ROOT / "notebooks" / name, 4)
    source = "".join(c.source for c in notebook.cells if c.cell_type == "code")
    for call, selector in (("ui.explorer(", ".cb-explorer"), ("ui.navigator(", ".cb-navigator"),
                           ("ui.training(", ".cb-training"), ("ui.builder(", ".cb-builder")):
        if call in source:
            return selector
    return "svg.cb-timeline"

# Elements past the right edge of the window that no ancestor scrolls sideways by itself.
_PAST_THE_EDGE = """() => {
  const out = [];
  for (const el of document.querySelectorAll('#rendered_cells *')) {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.right <= innerWidth + 1) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    let a = el.parentElement, contained = false;
    while (a && !contained) {
      const cs = getComputedStyle(a);
      contained = /auto|scroll/.test(cs.overflowX) && a.scrollWidth > a.clientWidth;
      a = a.parentElement;
    }
    if (!contained) out.push(el.tagName + '.' + String(el.className).slice(0, 50) + ' → '
                             + Math.round(r.right));
  }
  return out.slice(0, 10);
}"""

_SMALL_HELP = """() => [...document.querySelectorAll('.cb-help')]
  .filter(el => el.getClientRects().length && parseFloat(getComputedStyle(el).fontSize) < 14)
  .map(el => el.textContent.slice(0, 40))"""

_SMALL_ANSWERS = """() => [...document.querySelectorAll('#rendered_cells .widget-toggle-button')]
  .filter(el => { const r = el.getBoundingClientRect();
                  return r.width > 0 && (r.width < 44 || r.height < 44); })
  .map(el => el.textContent.trim() + ' ' + Math.round(el.getBoundingClientRect().width) + '×'
       + Math.round(el.getBoundingClientRect().height))"""


@pytest.fixture(scope="module")
def desktop_browser(browser):
    """Chromium with its scrollbars shown, as on a desktop (headless hides them by default)."""
    shown = browser.browser_type.launch(
        executable_path=CHROMIUM, ignore_default_args=["--hide-scrollbars"], args=LAUNCH_ARGS)
    yield shown
    shown.close()


@pytest.fixture(scope="module")
def laptop(desktop_browser):
    someone = Person(desktop_browser, LAPTOP)
    yield someone
    someone.close()


@pytest.fixture(scope="module")
def phone(browser):
    someone = Person(browser, PHONE)
    yield someone
    someone.close()


def _moved(person: Person, act, name: str) -> None:
    before = person.scroll_y()
    act()
    assert person.scroll_y() > before, f"{name} ne fait pas défiler la page"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_dashboard_renders_offline_and_a_laptop_scrolls_it_by_wheel_keys_and_scrollbar(
        laptop, voila_url, name):
    laptop.open(f"{voila_url}/voila/render/{name}", _main_selector(name))
    page = laptop.page
    html = page.content()
    assert "from casebook" not in html and "Traceback" not in html
    assert "Error" not in page.inner_text("body")
    assert page.locator(".jp-OutputArea-output[data-mime-type*='stderr']").count() == 0
    assert page.locator(".jp-InputArea-editor, .jp-CodeCell .jp-InputArea").count() == 0
    page.screenshot(path=str(ARTIFACTS / f"{Path(name).stem}.png"))
    assert laptop.offline.blocked == []  # remote requests are refused, and the page asked for none
    assert page.evaluate("() => document.documentElement.scrollHeight") > LAPTOP.height
    width = page.evaluate("() => document.documentElement.clientWidth")
    assert width < LAPTOP.width, "aucune barre de défilement"
    inputs = {
        "la molette": lambda: laptop.wheel(500),
        "PageDown": lambda: laptop.press("PageDown"),
        "Espace": lambda: laptop.press("Space"),
        "la flèche vers le bas": lambda: laptop.press("ArrowDown"),
        "un clic dans la barre de défilement": lambda: (
            page.mouse.click(width + 5, LAPTOP.height - 40), laptop.still()),
    }
    for name_, act in inputs.items():
        laptop.press("Home")
        assert laptop.scroll_y() == 0, "Début ne ramène pas en haut de la page"
        _moved(laptop, act, name_)
    laptop.press("End")
    assert laptop.at_bottom(), "Fin ne mène pas au bas de la page"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_phone_scrolls_every_dashboard_by_touch_and_nothing_passes_its_edge(phone, voila_url, name):
    phone.open(f"{voila_url}/voila/render/{name}", _main_selector(name))
    _moved(phone, lambda: phone.swipe(400), "un glissement du doigt")
    assert phone.page.evaluate(_PAST_THE_EDGE) == []
    assert phone.page.evaluate(_SMALL_HELP) == []
    assert phone.page.evaluate(_SMALL_ANSWERS) == []
    headings = phone.page.evaluate("""() => [...document.querySelectorAll('#rendered_cells h1, h2')]
      .filter(h => h.getClientRects().length).map(h => parseFloat(getComputedStyle(h).fontSize))""")
    assert headings and min(headings) >= 16


def test_under_a_url_prefix_the_page_scrolls_and_its_link_carries_the_prefix(browser):
    """Standalone Voilà under `/user/etudiant/`, as a prefixed server serves it."""
    port = free_port()
    proc = start_voila("notebooks", port, prefix="/user/etudiant/")
    person = Person(browser, LAPTOP)
    try:
        base = f"http://127.0.0.1:{port}/user/etudiant"
        scope = ".cb-explorer-secret_partage"
        person.open(f"{base}/voila/render/03_secret_partage.ipynb", f"{scope} .cb-card")
        _moved(person, lambda: person.wheel(600), "la molette")
        _moved(person, lambda: person.press("PageDown"), "PageDown")
        field = person.page.locator(f"{scope} .cb-share-link")
        expect(field).to_have_value(re.compile(re.escape(f"{base}/voila/render/03_secret_partage.ipynb?date=")))
    finally:
        person.close()
        stop(proc)

