"""Printing a dashboard (the template's print.css and print.js): Chromium prints the page to PDF
and the PDF's text holds the situation, the verdict, the reasoning and the citations, without
buttons, unanswered questions or the spinner; accordions and <details> print open."""

from __future__ import annotations

import unicodedata

from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import ARTIFACTS, wait_rendered
from .person import LAPTOP, Person

SCOPE = ".cb-explorer-art458"
PROBE = ('<details id="cb-print-probe"><summary>Sonde</summary>'
         "<p>Contenu replié de la sonde</p></details>")


def _pdf_text(page, path) -> str:
    page.pdf(path=str(path), format="A4")
    text = "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)
    return unicodedata.normalize("NFKC", text)  # the PDF writes « fi » as a ligature


def _choose(page, fact: str, label: str) -> None:
    page.locator(f"{SCOPE} .cb-fact-{fact}").get_by_text(label, exact=True).click()


def test_printing_an_explorer_gives_the_situation_verdict_reasoning_and_citation(
        offline, voila_url, tmp_path):
    page = offline.page
    page.goto(f"{voila_url}/voila/render/01_art458.ipynb")
    wait_rendered(page, SCOPE)
    date = page.locator(f"{SCOPE} input[type=date]").first
    date.fill("2016-03-15")
    date.dispatch_event("change")
    _choose(page, "necessary_confidant", "Oui")
    _choose(page, "learned_in_function", "Oui")
    card = page.locator(f"{SCOPE} .cb-card").first
    expect(card).to_have_attribute("data-outcome", "obligation_de_se_taire")
    expect(card).to_contain_text("Code pénal du 8 juin 1867")
    # On screen: the reasoning is folded away, the buttons and the unanswered questions show.
    trace_line = "✔ La personne est un confident nécessaire par sa fonction — remplie"
    expect(page.locator(f"{SCOPE} .cb-trace")).to_be_hidden()
    screen = page.inner_text("body")
    assert "Vérifier ma réponse" in screen and "Je ne sais pas" in screen
    assert "L'information est-elle déjà connue de tous" in screen
    page.locator("#rendered_cells").evaluate("(el, html) => el.insertAdjacentHTML('beforeend', html)",
                                             PROBE)

    text = _pdf_text(page, tmp_path / "art458.pdf")
    (ARTIFACTS.parent / "print-01_art458.txt").write_text(text, encoding="utf-8")
    lines = [line.strip() for line in text.splitlines()]

    # The situation: the answered facts, each with its answer, and only those.
    question = next(i for i, line in enumerate(lines)
                    if "votre fonction fait-elle de vous un" in line.lower())
    answer = next(line for line in lines[question + 1:] if line.startswith("→"))
    assert answer == "→ Oui"  # the first answer printed after the question is its own
    assert "Un trait pointillé" not in text  # the screen's legend does not print
    assert "L'information est-elle déjà connue de tous" not in text
    assert "Les questions laissées sans réponse ne sont pas imprimées." in text
    # The verdict, its citation and the reasoning folded away on screen.
    assert "⊘ Obligation de se taire" in lines
    assert "Version appliquée : Code pénal du 8 juin 1867, art. 458" in text
    assert "Raisonnement détaillé" in text and trace_line in text
    # No control, placeholder or spinner.
    for word in ("Vérifier ma réponse", "Je ne sais pas", "— je ne sais pas —",
                 "— choisir un cas pratique —", "Donnez un titre à votre cas", "Running"):
        assert word not in text, word
    # A <details> element prints open, and is closed again once printed.
    assert "Contenu replié de la sonde" in text
    assert page.locator("#cb-print-probe").evaluate("el => el.open") is False
    # A link prints its address.
    href = page.locator("#rendered_cells a[href^='https://lex.be']").first.get_attribute("href")
    assert href in "".join(text.split())
    assert offline.blocked == []


def test_printing_the_timeline_gives_the_whole_listing_without_its_buttons(
        offline, voila_url, tmp_path):
    page = offline.page
    page.goto(f"{voila_url}/voila/render/16_ligne_du_temps.ipynb")
    wait_rendered(page, ".cb-timeline-explorer")
    field = page.locator(".cb-timeline-date input[type=date]")
    field.fill("2018-03-15")
    field.dispatch_event("change")
    listing = page.locator(".cb-timeline-at")
    expect(listing).to_have_attribute("data-date", "2018-03-15")
    last = listing.locator(".cb-at").last
    expect(last).not_to_be_in_viewport()  # below the fold of its scrolled box on screen
    last_text = " ".join(last.inner_text().split()[:6])

    text = " ".join(_pdf_text(page, tmp_path / "timeline.pdf").split())
    assert "Le 15/03/2018 :" in text
    assert last_text in text
    for word in ("Aujourd'hui", "Dates clés", "— aller à un changement daté —"):
        assert word not in text, word


# The browser's print dialog is its own window: the person's click reaches page.js, which prepares
# the part to print and calls window.print(); this stand-in records the call in place of the dialog,
# and Chromium's PDF printer then prints what the dialog would have printed.
_NO_DIALOG = "window.print = () => { window.cbPrinted = (window.cbPrinted || 0) + 1; };"


def _pages(path) -> int:
    return len(PdfReader(str(path)).pages)


def test_imprimer_ce_cas_prints_the_explorer_alone_on_at_most_three_pages(browser, voila_url, tmp_path):
    person = Person(browser, LAPTOP)
    person.page.add_init_script(_NO_DIALOG)
    scope = ".cb-explorer-secret_partage"
    try:
        person.open(f"{voila_url}/voila/render/03_secret_partage.ipynb", f"{scope} .cb-card",
                    "cas=partage-sans-accord&titre=Mme%20D.%20refuse")
        person.click(person.page.locator(f"{scope} button.cb-print"))
        assert person.page.evaluate("() => window.cbPrinted") == 1
        path = tmp_path / "cas.pdf"
        text = " ".join(_pdf_text(person.page, path).split())
        assert _pages(path) <= 3
        for shown in ("Mme D. refuse", "Obligation de se taire", "Raisonnement", "Version appliquée :",
                      "Lien vers ce cas", "cas=partage-sans-accord", "Mme D. refuse que la psychologue"):
            assert shown in text, shown
        # Printing from the browser's menu still prints the whole dashboard; the case alone
        # leaves out the rest of it (its title, the texts of the law, the exercise).
        person.page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
        whole_path = tmp_path / "page.pdf"
        whole = " ".join(_pdf_text(person.page, whole_path).split())
        assert _pages(whole_path) > 3
        h1 = person.page.locator("#rendered_cells h1").first.inner_text().strip(" ¶")
        for rest in (h1, "Prédisez d'abord", "Ce que vous saurez faire"):
            assert rest in whole and rest not in text, rest
    finally:
        person.close()


def test_imprimer_le_bilan_prints_the_training_summary_alone(browser, voila_url, tmp_path):
    person = Person(browser, LAPTOP)
    person.page.add_init_script(_NO_DIALOG)
    try:
        person.open(f"{voila_url}/voila/render/18_entrainement.ipynb", ".cb-training", "graine=42&n=1")
        question = person.page.locator(".cb-training-question")
        person.click(question.locator(".widget-toggle-button").first)
        person.click(question.get_by_role("button", name="Vérifier ma réponse"))
        person.click(question.get_by_role("button", name="Suivant"))
        person.click(person.page.get_by_role("button", name="Imprimer le bilan"))
        path = tmp_path / "bilan.pdf"
        text = " ".join(_pdf_text(person.page, path).split())
        assert "Bilan" in text and "graine 42" in text
        for hidden in ("Rien n'est enregistré", "Commencer cette série", "Entraînement"):
            assert hidden not in text, hidden
        assert _pages(path) == 1
    finally:
        person.close()
