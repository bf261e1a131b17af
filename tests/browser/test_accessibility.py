"""Accessibility of every dashboard (WCAG 2.2 AA since issue 19), offline with Debian's Chromium.

- axe-core 4.12.1 (axe-playwright-python) on every notebook of notebooks/, once its content has
  rendered and its accordions are open: no critical and no serious violation of the WCAG 2.0,
  2.1 and 2.2 A/AA rules (2.2 adds target size);
- what axe cannot see: the state of each answer (role=radio, aria-checked following the chosen
  answer), the name of each group of answers, one main, one h1, headings without jumps, a
  polite live region in each interactive component, accordion titles usable as buttons, French
  as the page's language; and the same facts as Chromium's accessibility tree gives them to a
  screen reader;
- the keyboard alone (Tab, Enter, Space, arrows, Home): the navigator to its synthesis, an
  explorer changing facts and its announcer saying the new verdict in one short line (what a
  session with Orca asked for, docs/accessibilite.md), an exercise revealed, each time with the
  focus where the answer changed;
- what WCAG 2.2 adds that axe cannot measure: every control, lists and text and date fields
  included, shows a focus indicator of at least 3:1 against the page (2.4.7, 1.4.11), and the
  compact verdict bar of a phone never hides the control that has the focus (2.4.11)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, OfflinePage

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                    "wcag22aa"]},
               "resultTypes": ["violations"]}
BLOCKING = ("critical", "serious")
WIDGET_OUTPUT = "application/vnd.jupyter.widget-view+json"
COMPONENTS = ".cb-explorer, .cb-navigator, .cb-predict"
MAX_TABS = 150

# Resolves once the page has not changed for one second: the widgets have drawn.
SETTLE = """() => new Promise((resolve) => {
  let timer = null;
  const done = () => { observer.disconnect(); resolve(true); };
  const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 1000); });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  timer = setTimeout(done, 1000);
})"""

# What the DOM says that axe does not check, gathered in one pass.
FACTS = """(components) => {
  const shown = (e) => e.getClientRects().length > 0;
  const main = document.querySelectorAll('main');
  const h1 = document.querySelectorAll('h1');
  const levels = [...document.querySelectorAll('#rendered_cells :is(h1, h2, h3, h4, h5, h6)')]
    .filter(shown).map((h) => ({level: Number(h.tagName[1]), text: h.textContent.trim().slice(0, 60)}));
  const toggles = [...document.querySelectorAll('.widget-toggle-buttons button')].map((b) => ({
    text: b.textContent.trim(), role: b.getAttribute('role'), checked: b.getAttribute('aria-checked'),
    active: b.classList.contains('mod-active')}));
  const groups = [...document.querySelectorAll('.widget-toggle-buttons')].map((g) => g.getAttribute('role'));
  const unnamed = [...document.querySelectorAll('#rendered_cells button')].filter((b) =>
    !b.textContent.trim() && !b.getAttribute('aria-label') && !b.getAttribute('aria-labelledby'))
    .map((b) => b.outerHTML.slice(0, 120));
  const found = [...document.querySelectorAll(components)].map((c) => ({
    name: c.className, live: [...c.querySelectorAll('[aria-live]')].map((r) =>
      [r.getAttribute('aria-live'), r.getAttribute('role')])}));
  const headers = [...document.querySelectorAll('.jupyter-widget-Collapse-header')].map((h) =>
    [h.getAttribute('role'), h.getAttribute('tabindex'), h.getAttribute('aria-expanded')]);
  return {main: main.length, h1: h1.length, h1InMain: h1.length === 1 && !!h1[0].closest('main'),
          lang: document.documentElement.lang, levels, toggles, groups, unnamed, components: found, headers};
}"""


def widget_outputs(path: Path) -> int:
    """How many outputs of the executed notebook are widgets (each must render in the page)."""
    return path.read_text(encoding="utf-8").count(f'"{WIDGET_OUTPUT}"')


def open_dashboard(page: Page, voila_url: str, path: Path) -> None:
    """Open a dashboard and wait until its widgets, and an explorer's verdict, have rendered."""
    page.goto(f"{voila_url}/voila/render/{path.name}")
    page.wait_for_selector("main#rendered_cells", state="visible", timeout=120_000)
    page.wait_for_function("n => document.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets')"
                           ".length >= n", arg=widget_outputs(path), timeout=120_000)
    if page.locator(".cb-explorer").count():
        page.wait_for_selector(".cb-explorer .cb-card", state="visible", timeout=120_000)
    page.evaluate(SETTLE)


def open_accordions(page: Page) -> None:
    for header in page.locator(".jupyter-widget-Collapse-header[aria-expanded=false]").all():
        header.click()
    page.evaluate(SETTLE)


def axe_problems(page: Page, stem: str) -> list[dict]:
    """Run axe on the page; keep its whole result in test-artifacts/axe/; return the critical
    and serious violations."""
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    folder = ARTIFACTS.parent / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.json").write_text(json.dumps(violations, indent=1, ensure_ascii=False))
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}) : {v['help']}")
        lines += [f"    {', '.join(map(str, n['target']))} : {n['html'][:200]}" for n in v["nodes"][:5]]
    return "\n".join(lines)


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda p: p.stem)
def dashboard(request, browser, voila_url):
    """One rendered dashboard, its accordions open, shared by the checks of that notebook."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    offline = OfflinePage(context.new_page())
    open_dashboard(offline.page, voila_url, request.param)
    open_accordions(offline.page)
    yield request.param.stem, offline
    context.close()


def test_axe_finds_no_critical_or_serious_violation(dashboard):
    stem, offline = dashboard
    problems = axe_problems(offline.page, stem)
    assert not problems, f"{stem} :\n{describe(problems)}"
    assert offline.blocked == []


def test_states_names_landmarks_and_headings_are_exposed(dashboard):
    _stem, offline = dashboard
    page = offline.page
    facts = page.evaluate(FACTS, COMPONENTS)
    assert facts["lang"] == "fr"
    assert (facts["main"], facts["h1"], facts["h1InMain"]) == (1, 1, True), facts
    levels = [h["level"] for h in facts["levels"]]
    jumps = [(a, b) for a, b in zip(facts["levels"], facts["levels"][1:], strict=False)
             if b["level"] > a["level"] + 1]
    assert levels[0] == 1 and not jumps, f"titres qui sautent un niveau : {jumps}"
    assert set(facts["groups"]) <= {"radiogroup"}
    wrong = [t for t in facts["toggles"] if t["role"] != "radio" or t["checked"] != str(t["active"]).lower()]
    assert not wrong, f"état des réponses non exposé : {wrong}"
    assert not facts["unnamed"], facts["unnamed"]
    assert all(h == ["button", "0", "true"] for h in facts["headers"]), facts["headers"]
    for component in facts["components"]:
        # its announcer, and a link's « Lien copié » confirmation where it has one: all polite
        assert ["polite", "status"] in component["live"], component
        assert all(live == ["polite", "status"] for live in component["live"]), component
    for group in page.locator("[role=radiogroup], .cb-choices").all():
        expect(group).to_have_accessible_name(re.compile(r"\S"))


def _ax(page: Page, selector: str) -> dict:
    """Chromium's accessibility node for the first element matching `selector`: role, name,
    description and properties, as a screen reader receives them."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node_id = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    tree = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})
    node = tree["nodes"][0]
    cdp.detach()
    return {"role": node["role"]["value"], "name": node.get("name", {}).get("value", ""),
            "description": node.get("description", {}).get("value", ""),
            **{p["name"]: p["value"].get("value") for p in node.get("properties", [])}}


def test_accessibility_tree_says_the_question_the_answer_chosen_and_the_verdict(offline, voila_url):
    page = offline.page
    open_dashboard(page, voila_url, NOTEBOOK_DIR.joinpath("01_art458.ipynb"))
    scope = ".cb-explorer .cb-fact-necessary_confidant"
    group = _ax(page, scope)
    assert group["role"] == "radiogroup"
    # asked as the professional's own judgement where the job (unknown here) does not decide it
    assert group["name"].startswith(
        "Selon votre appréciation, votre fonction fait-elle de vous un « confident nécessaire »")
    assert group["description"].startswith("Pour les métiers que la loi")  # the help, read by Orca
    answers = [_ax(page, f"{scope} button:nth-of-type({i})") for i in (1, 2, 3)]
    assert [(a["role"], a["name"], a["checked"]) for a in answers] == [
        ("radio", "Oui", "false"), ("radio", "Non", "false"), ("radio", "Je ne sais pas", "true")]
    choice = _ax(page, ".cb-explorer .cb-fact-capacity select")
    assert choice["role"] == "combobox" and choice["name"].startswith("À quel titre")
    assert all(a["description"] == group["description"] for a in answers)  # Orca reads it
    verdict = _ax(page, ".cb-explorer .cb-announcer")
    assert (verdict["role"], verdict["live"], verdict["atomic"]) == ("status", "polite", True)
    assert page.locator(".widget-label[title='null']").count() == 0  # read as « null » by Orca
    page.locator(f"{scope} [role=radio]", has_text="Oui").click()
    expect(page.locator(f"{scope} [role=radio]", has_text="Oui")).to_have_attribute("aria-checked", "true")
    assert _ax(page, f"{scope} button:nth-of-type(1)")["checked"] == "true"


FACT_ORDER = """() => [...document.querySelectorAll(".cb-explorer [class*='cb-fact-']")]
  .map((e) => [...e.classList].find((c) => c.startsWith('cb-fact-')))"""


def _active(page: Page) -> dict:
    """The focused element; `top` is its position within its explorer (the page scrolls inside
    a container, not the window)."""
    return page.evaluate("""() => { const e = document.activeElement;
      return {tag: e.tagName, text: (e.textContent || '').trim(), role: e.getAttribute('role'),
              fact: [...(e.closest('[class*="cb-fact-"]') || {classList: []}).classList]
                    .find((c) => c.startsWith('cb-fact-')) || null,
              top: Math.round(e.getBoundingClientRect().top
                              - (e.closest('.cb-explorer') || document.body).getBoundingClientRect().top)};
    }""")


def _tab_until(page: Page, wanted, what: str) -> dict:
    """Press Tab until the focused element satisfies `wanted`; return it."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        active = _active(page)
        if wanted(active):
            return active
    raise AssertionError(f"{what} : jamais atteint au clavier en {MAX_TABS} tabulations")


NAVIGATOR_ANSWERS = {  # the police asks: anything else is answered « Je ne sais pas »
    "confident nécessaire": "Oui", "dans l'exercice de votre fonction": "Oui",
    "Qui vous demande l'information": "la police", "Quelle est votre profession": "éducateur / éducatrice",
}


def test_keyboard_alone_leads_the_navigator_to_its_synthesis(offline, voila_url):
    page = offline.page
    open_dashboard(page, voila_url, NOTEBOOK_DIR.joinpath("15_puis_je_parler.ipynb"))
    nav = page.locator(".cb-navigator")
    choices = nav.locator(".cb-choices")
    _tab_until(page, lambda a: a["tag"] == "BUTTON" and a["text"].startswith("On me demande de parler"),
               "le thème « On me demande de parler »")
    page.keyboard.press("Enter")
    previous, asked = "Que se passe-t-il ?", []
    for step in range(40):
        # The focus moves by itself to the new question (a11y.js), never to the page's start:
        page.wait_for_function("""prev => { const e = document.activeElement;
            return e.tagName === 'H2' && !!e.closest('.cb-navigator') && e.textContent.trim() !== prev; }""",
                               arg=previous, timeout=60_000)
        heading = _active(page)["text"]
        if heading == "Synthèse":
            break
        asked.append(heading)
        label = next((v for k, v in NAVIGATOR_ANSWERS.items() if k in heading), "Je ne sais pas")
        expect(choices).to_have_accessible_name(heading)
        expect(choices.get_by_role("button", name=label, exact=True)).to_be_visible()
        _tab_until(page, lambda a, label=label: a["tag"] == "BUTTON" and a["text"] == label, label)
        page.keyboard.press("Enter" if step % 2 else "Space")
        previous = heading
    else:
        raise AssertionError(f"pas de synthèse après {asked}")
    assert len(asked) >= 3
    synthesis = nav.locator("[aria-live=polite]")
    expect(synthesis).to_contain_text("tenu(e) au secret")
    problems = axe_problems(page, "15_puis_je_parler-synthese")
    assert not problems, describe(problems)


def test_keyboard_alone_changes_facts_in_an_explorer_and_the_live_region_says_the_verdict(offline, voila_url):
    page = offline.page
    open_dashboard(page, voila_url, NOTEBOOK_DIR.joinpath("01_art458.ipynb"))
    verdict = page.locator(".cb-explorer .cb-announcer")
    expect(page.locator(".cb-explorer .cb-card")).to_contain_text("Indéterminé")
    expect(verdict).to_have_text("")  # the page's first verdict is read with the page, not announced
    facts = page.evaluate(FACT_ORDER)
    first = _tab_until(page, lambda a: a["fact"] is not None, "la première question")
    assert first["fact"] == facts[0]
    # Every question comes next, each once, top to bottom, in the order shown:
    seen, top = [first["fact"]], first["top"]
    for _ in range(MAX_TABS):
        if len(seen) == len(facts):
            break
        page.keyboard.press("Tab")
        active = _active(page)
        if active["fact"] and active["fact"] != seen[-1]:
            assert active["top"] > top, f"{active['fact']} n'est pas sous {seen[-1]}"
            seen.append(active["fact"])
            top = active["top"]
            if active["fact"] == "cb-fact-necessary_confidant":
                assert (active["role"], active["text"]) == ("radio", "Je ne sais pas")  # one stop
                page.keyboard.press("Home")
                expect(page.locator(".cb-fact-necessary_confidant [aria-checked=true]")).to_have_text("Oui")
                expect(verdict).to_have_text(  # one short line
                    re.compile(r"^Inchangé : \? Indéterminé — Art\. 458 CP$"))
            if active["fact"] == "cb-fact-learned_in_function":
                assert (active["role"], active["text"]) == ("radio", "Je ne sais pas")
                page.keyboard.press("ArrowLeft")  # to « Non »
                page.keyboard.press("ArrowLeft")  # then to « Oui »
                expect(page.locator(".cb-fact-learned_in_function [aria-checked=true]")).to_have_text("Oui")
                expect(verdict).to_have_text(re.compile(r"^⊘ Obligation de se taire — Art\. 458 CP$"))
    assert seen == facts
    header = _tab_until(page, lambda a: a["role"] == "button" and "Raisonnement" in a["text"],
                        "le titre « Raisonnement détaillé »")
    assert header["tag"] == "DIV"
    page.keyboard.press("Enter")
    expect(page.locator(".cb-explorer .jupyter-widget-Collapse-header")).to_have_attribute(
        "aria-expanded", "true")
    expect(page.locator(".cb-explorer .cb-trace")).to_be_visible()
    expect(page.locator(".cb-explorer .cb-trace li").first).to_contain_text("remplie")


def test_keyboard_alone_reveals_an_exercise_and_the_focus_goes_to_the_correction(offline, voila_url):
    page = offline.page
    open_dashboard(page, voila_url, NOTEBOOK_DIR.joinpath("03_secret_partage.ipynb"))
    exercise = page.locator(".cb-predict").first
    check = exercise.get_by_role("button", name="Vérifier ma réponse")
    _tab_until(page, lambda a: a["role"] == "radio" and not a["fact"], "les réponses de l'exercice")
    page.keyboard.press("Space")
    expect(exercise.locator("[role=radio][aria-checked=true]")).to_have_count(1)
    expect(check).to_be_enabled()
    _tab_until(page, lambda a: a["text"] == "Vérifier ma réponse", "« Vérifier ma réponse »")
    page.keyboard.press("Enter")
    result = exercise.locator(".cb-live")
    expect(result.locator(".cb-announcer")).to_have_attribute("aria-live", "polite")
    expect(result.locator("h4").first).to_be_focused(timeout=60_000)
    expect(result.locator("h4").first).to_contain_text("Votre prédiction")
    expect(result.locator("[data-feedback]")).to_be_visible()
    page.wait_for_timeout(1000)  # what has the focus is read: the announcer says nothing more
    expect(result.locator(".cb-announcer")).to_have_text("")
    problems = axe_problems(page, "03_secret_partage-exercice")
    assert not problems, describe(problems)


def test_an_explorer_reflows_into_one_column_at_320_pixels(browser, voila_url):
    """WCAG 1.4.10: at 400 % zoom (320 CSS pixels) nothing needs a horizontal scroll."""
    context = browser.new_context(viewport={"width": 320, "height": 700}, locale="fr-BE")
    page = OfflinePage(context.new_page()).page
    try:
        open_dashboard(page, voila_url, NOTEBOOK_DIR.joinpath("01_art458.ipynb"))
        widths = page.evaluate("""() => { const ex = document.querySelector('.cb-explorer');
          const form = ex.querySelector('.cb-form').getBoundingClientRect();
          const card = ex.querySelector('.cb-card').getBoundingClientRect();
          return {page: document.documentElement.scrollWidth, explorer: ex.scrollWidth,
                  room: ex.clientWidth, stacked: card.top >= form.bottom}; }""")
        assert widths["page"] <= 320 and widths["explorer"] <= widths["room"] + 5, widths
        assert widths["stacked"], widths
    finally:
        context.close()


# The focused element's outline, its contrast with what lies around it, and whether it is hidden.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = (c) => { const v = rgb(c).map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92
    : Math.pow((x + 0.055) / 1.055, 2.4); }); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  let bg = null;
  for (let a = el.parentElement; a && !bg; a = a.parentElement) {
    const c = getComputedStyle(a).backgroundColor;
    if (!/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') bg = c;
  }
  bg = bg || 'rgb(255, 255, 255)';
  const s = getComputedStyle(el);
  const [a, b] = [lum(s.outlineColor), lum(bg)].sort((x, y) => y - x);
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + Math.min(r.height / 2, 10);
  const hit = document.elementFromPoint(x, y);
  return {tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 30),
          style: s.outlineStyle, width: parseFloat(s.outlineWidth), ratio: (a + 0.05) / (b + 0.05),
          onScreen: r.bottom > 0 && r.top < innerHeight,
          hidden: !!hit && !(hit === el || el.contains(hit) || hit.contains(el))};
}"""


def _focus_walk(page: Page, steps: int) -> list[dict]:
    seen = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUS)
        if found:
            seen.append(found)
    return seen


@pytest.mark.parametrize("name", ["03_secret_partage.ipynb", "17_atelier_de_cas.ipynb",
                                  "18_entrainement.ipynb"])
def test_every_control_shows_a_focus_indicator_of_three_to_one(browser, voila_url, name):
    """Lists, text and date fields, answers and buttons: a solid outline of at least 2 px at 3:1."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-BE")
    page = OfflinePage(context.new_page()).page
    try:
        open_dashboard(page, voila_url, NOTEBOOK_DIR / name)
        seen = _focus_walk(page, 40)
        kinds = {f["tag"] for f in seen}
        assert {"SELECT", "BUTTON"} <= kinds or {"INPUT", "BUTTON"} <= kinds, kinds
        weak = [f for f in seen if f["style"] in ("none", "hidden") or f["width"] < 2 or f["ratio"] < 3]
        assert not weak, weak[:5]
    finally:
        context.close()


def test_on_a_phone_the_verdict_bar_never_hides_the_focused_control(browser, voila_url):
    """WCAG 2.4.11: Tab through an explorer on a phone; each control that takes the focus is on
    screen and not covered by the compact verdict bar kept at the bottom."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                  locale="fr-BE")
    page = OfflinePage(context.new_page()).page
    try:
        open_dashboard(page, voila_url, NOTEBOOK_DIR / "03_secret_partage.ipynb")
        expect(page.locator(".cb-explorer .cb-bar").first).to_be_visible()
        seen = _focus_walk(page, 60)
        assert len(seen) > 30
        hidden = [f for f in seen if not f["onScreen"] or f["hidden"]]
        assert not hidden, hidden[:5]
    finally:
        context.close()
