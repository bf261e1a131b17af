"""An instructor's course folder in the served dashboards, used as a person uses them: a server
started by `casebook serve` with a temporary course folder (the example course), then the
accueil's « Cas du cours » list and its links, a course case in an explorer's picker and by link,
a training round on the course's cases with a fixed seed, the instructor view (teaching notes,
the series exported for Moodle), a changed file picked up by the next page opened and a broken
one shown with its line, `casebook serve` refusing a bad course file, the Atelier opening a whole
course file, editing one case and downloading the file whole, and the printable fiche printed to
PDF.

Every action is a person's (`person.Person`, a laptop): elements are reached with the mouse
wheel and clicked where they show on screen, lists are chosen with the keyboard, text is typed."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

import casebook
from casebook.interface.pages import rounds
from casebook.interface.ui import builtin_scenarios
from casebook.law import casefile, course
from casebook.law.engine import evaluate_one
from casebook.law.labels import OUTCOME_ICONS, OUTCOMES

from .conftest import ARTIFACTS, ROOT, free_port, start_casebook, stop, wait_rendered
from .person import LAPTOP, Person

EXAMPLE = ROOT / "docs" / "exemple-cours" / "stages.yaml"
SEED, COUNT = 5, 3


# -- the server with a course folder ----------------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`casebook serve` with a course folder holding a copy of the example course (the folder
    is handed to Voilà through CASEBOOK_COURS, as `serve` does with --cours)."""
    folder = tmp_path_factory.mktemp("cours")
    shutil.copy(EXAMPLE, folder / "stages.yaml")
    port = free_port()
    before = os.environ.get(course.ENV)
    os.environ[course.ENV] = str(folder)
    try:
        proc = start_casebook(port)
    finally:
        if before is None:
            os.environ.pop(course.ENV)
        else:
            os.environ[course.ENV] = before
    yield f"http://127.0.0.1:{port}", folder
    stop(proc)


@pytest.fixture
def person(browser):
    someone = Person(browser, LAPTOP)
    yield someone
    someone.close()


@pytest.fixture(scope="module")
def cases():
    kb = casebook.load()
    return kb, course.load(kb, course.Folder(EXAMPLE.parent, "test"), builtin_scenarios())


def _open(page: Page, url: str, selector: str) -> None:
    page.goto(url)
    wait_rendered(page, selector)


# -- the accueil, the explorers, links ---------------------------------------------------------------

def test_the_accueil_lists_the_course_and_a_click_opens_a_case_in_its_explorer(person, served):
    url, _folder = served
    page = person.page
    _open(page, f"{url}/voila/render/00_accueil.ipynb", ".cb-course")
    listing = page.locator(".cb-course")
    expect(listing).to_contain_text("Votre enseignant·e a ajouté 3 cas au casebook.")
    expect(listing.locator(".cb-course-case")).to_have_count(3)
    person.reach(listing)
    page.screenshot(path=str(ARTIFACTS / "00_accueil_cas_du_cours.png"))
    person.click(listing.get_by_role("link", name=re.compile("Partager avec la psychologue")))
    page.wait_for_url(re.compile(r"03_secret_partage\.ipynb\?cas=exemple-stage-psychologue-accord$"))
    wait_rendered(page, ".cb-explorer-secret_partage")
    explorer = page.locator(".cb-explorer-secret_partage")
    picked = explorer.locator("select").nth(1).evaluate("s => s.options[s.selectedIndex].text")
    assert picked.replace("\xa0", " ") == (
        "Exemple — Partager avec la psychologue, avec l'accord de M. Renard — cas du cours")
    expect(explorer.locator(".cb-card").first).to_have_attribute("data-outcome", "faculte_de_partager")
    expect(explorer).to_contain_text("M. Renard")
    assert person.offline.blocked == []


def test_an_explorer_offers_the_course_case_in_its_picker_marked(person, served, cases):
    url, _folder = served
    kb, course_cases = cases
    page = person.page
    _open(page, f"{url}/voila/render/01_art458.ipynb", ".cb-explorer-art458")
    explorer = page.locator(".cb-explorer-art458")
    picker = explorer.locator("select").first
    label = f"{course_cases[0].title} — cas du cours"
    assert label in [t.replace("\xa0", " ") for t in picker.evaluate("s => [...s.options].map(o => o.text)")]
    person.choose(picker, label)
    expect(explorer).to_contain_text("Son institutrice vous arrête")
    verdict = evaluate_one(kb, course_cases[0].situation, "art458").outcome
    expect(explorer.locator(".cb-card").first).to_have_attribute("data-outcome", verdict)
    expect(explorer.locator(".cb-share-link")).to_have_value(re.compile(r"cas=exemple-stage-enseignant-curieux"))
    person.reach(picker)
    page.screenshot(path=str(ARTIFACTS / "01_art458_cas_du_cours.png"))
    assert person.offline.blocked == []


# -- training -------------------------------------------------------------------------------------

def _planned(cases):
    kb, course_cases = cases
    pool = rounds.questions(kb, builtin_scenarios() + course_cases)
    drawn = rounds.draw(pool, rounds.Settings(SEED, COUNT, rounds.COURSE)).questions
    return drawn, [evaluate_one(kb, q.scenario.situation, q.pid).outcome for q in drawn]


def test_a_training_round_on_the_course_with_a_fixed_seed(person, served, cases):
    url, _folder = served
    drawn, outcomes = _planned(cases)
    assert {q.scenario.course for q in drawn} == {True} and len(drawn) == COUNT
    page = person.page
    _open(page, f"{url}/voila/render/18_entrainement.ipynb?graine={SEED}&sujet=cours&n={COUNT}",
          ".cb-training-question")
    round_ = page.locator(".cb-training")
    expect(round_.locator(".widget-dropdown select").first).to_have_value("Cas du cours")
    for i, (q, outcome) in enumerate(zip(drawn, outcomes, strict=True)):
        box = round_.locator(".cb-training-question")
        expect(box.locator("h2")).to_contain_text(f"Cas {i + 1} sur {COUNT} : {q.scenario.title}")
        label = re.compile(f"^{re.escape(OUTCOME_ICONS[outcome] + ' ' + OUTCOMES[outcome])}$")
        person.click(box.locator(".widget-toggle-button").filter(has_text=label))
        person.click(box.get_by_role("button", name="Vérifier ma réponse"))
        expect(box.locator("[data-feedback]")).to_have_attribute("data-feedback", "ok")
        if i == 0:
            page.screenshot(path=str(ARTIFACTS / "18_entrainement_cas_du_cours.png"))
        person.click(box.get_by_role("button", name="Suivant"))
    expect(round_.locator(".cb-score")).to_have_text(f"{COUNT} / {COUNT}")
    assert person.offline.blocked == []


# -- the instructor view ----------------------------------------------------------------------------

def test_the_instructor_view_shows_the_course_case_notes_and_exports_the_series(person, served, cases):
    url, _folder = served
    _kb, course_cases = cases
    page = person.page
    _open(page, f"{url}/voila/render/03_secret_partage.ipynb?mode=enseignant", ".cb-view-bar")
    # the worked cases' table: the course case, marked, with its notes shown
    row = page.locator('.cb-case[data-case="exemple-stage-psychologue-accord"]').first
    person.reach(row)
    shown = " ".join(row.inner_text().split())
    assert "cas du cours" in shown and " ".join(course_cases[1].teaching_notes.split())[:60] in shown
    drawn, outcomes = _planned(cases)
    _open(page, f"{url}/voila/render/18_entrainement.ipynb?graine={SEED}&sujet=cours&n={COUNT}"
                "&mode=enseignant", ".cb-moodle")
    box = page.locator(".cb-training-question")
    label = re.compile(f"^{re.escape(OUTCOME_ICONS[outcomes[0]] + ' ' + OUTCOMES[outcomes[0]])}$")
    person.click(box.locator(".widget-toggle-button").filter(has_text=label))
    person.click(box.get_by_role("button", name="Vérifier ma réponse"))
    notes = box.locator(".cb-teaching")
    expect(notes).to_be_visible()
    expect(notes).to_contain_text(" ".join(drawn[0].scenario.teaching_notes.split())[:60])
    with page.expect_download() as info:
        person.click(page.locator(".cb-training-teacher .cb-moodle"))
    download = info.value
    assert download.suggested_filename == f"entrainement-graine-{SEED}-moodle.xml"
    bank = ET.fromstring(Path(download.path()).read_bytes())
    assert [q.findtext("idnumber") for q in bank.iter("question") if q.get("type") == "multichoice"] == [
        f"casebook:{q.scenario.id}:{q.pid}" for q in drawn]
    assert person.offline.blocked == []


# -- a changed file, a broken file ----------------------------------------------------------------------

def test_a_changed_file_is_picked_up_by_the_next_page_and_a_broken_one_is_shown_with_its_line(
        person, served):
    url, folder = served
    path = folder / "stages.yaml"
    original = path.read_text(encoding="utf-8")
    page = person.page
    try:
        changed = original.replace("Exemple — L'institutrice demande", "Exemple — La directrice demande")
        path.write_text(changed, encoding="utf-8")
        _open(page, f"{url}/voila/render/01_art458.ipynb", ".cb-explorer-art458")
        options = page.locator(".cb-explorer-art458 select").first.evaluate(
            "s => [...s.options].map(o => o.text.replace(/\\u00a0/g, ' '))")
        assert any(o.startswith("Exemple — La directrice demande") for o in options)
        path.write_text(original.replace("capacity: stagiaire", "capacity: astronaute", 1), encoding="utf-8")
        _open(page, f"{url}/voila/render/00_accueil.ipynb", ".cb-course-errors")
        alert = page.locator(".cb-course-errors")
        expect(alert).to_contain_text("aucun de ses cas n'est affiché")
        expect(alert).to_contain_text("stages.yaml, ligne 16 (cases[0].facts.capacity) : valeur inconnue")
        expect(alert).to_contain_text("reçu : « astronaute »")
        _open(page, f"{url}/voila/render/01_art458.ipynb", ".cb-explorer-art458")
        options = page.locator(".cb-explorer-art458 select").first.evaluate(
            "s => [...s.options].map(o => o.text)")
        assert not any("cas du cours" in o.replace("\xa0", " ") for o in options)
    finally:
        path.write_text(original, encoding="utf-8")
    assert person.offline.blocked == []


def test_serve_refuses_a_bad_course_file_and_says_its_line(tmp_path):
    folder = tmp_path / "cours"
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8").replace("id: exemple-stage-inspecteur",
                                                       "id: partage-sans-accord")
    (folder / "stages.yaml").write_text(text, encoding="utf-8")
    line = 1 + next(i for i, row in enumerate(text.splitlines()) if "id: partage-sans-accord" in row)
    port = free_port()
    script = Path(sys.executable).with_name("casebook")
    proc = subprocess.run([str(script), "serve", "--no-browser", f"--port={port}", "--cours", str(folder)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Le casebook ne démarre pas : corrigez d'abord ces erreurs")
    assert (f"{folder / 'stages.yaml'}, ligne {line} (cases[2].id) : identifiant de cas en double : "
            "partage-sans-accord (déjà dans data/scenarios/partage.yaml)") in proc.stderr
    assert "Traceback" not in proc.stderr
    with socket.socket() as probe, contextlib.suppress(OSError):
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # nothing listens: Voilà never started


# -- the Atelier ----------------------------------------------------------------------------------------

def test_the_atelier_opens_a_course_file_edits_one_case_and_downloads_the_file_whole(person, served, cases):
    url, folder = served
    kb, _course_cases = cases
    page = person.page
    _open(page, f"{url}/voila/render/17_atelier_de_cas.ipynb", ".cb-builder-course-file")
    person.choose(page.locator(".cb-builder-course-file select"), "stages.yaml")
    expect(page.locator(".cb-builder-import")).to_contain_text("« stages.yaml » importé : 3 cas.")
    picker = page.locator(".cb-builder-picker select")
    person.choose(picker, "3. Exemple — L'inspecteur veut le dossier d'une résidente")
    title = page.locator(".cb-builder-title input")
    expect(title).to_have_value("Exemple — L'inspecteur veut le dossier d'une résidente")
    person.type(title, "Exemple — L'inspectrice veut le dossier")
    whole = page.locator(".cb-builder-export a.cb-download", has_text="Télécharger le fichier entier")
    expect(whole).to_contain_text("(stages.yaml)")
    expect(page.locator(".cb-builder-export")).to_contain_text(
        "déposez le fichier téléchargé dans le dossier")
    person.reach(whole)
    page.screenshot(path=str(ARTIFACTS / "17_atelier_de_cas_cours.png"))
    with page.expect_download() as info:
        person.click(whole)
    text = Path(info.value.path()).read_text(encoding="utf-8")
    before = casefile.read(kb, (folder / "stages.yaml").read_bytes()).cases
    after = casefile.read(kb, text.encode("utf-8")).cases
    assert list(after[:2]) == list(before[:2])
    assert after[2] == {**before[2], "title": "Exemple — L'inspectrice veut le dossier"}
    with page.expect_download() as info:
        person.click(page.locator(".cb-builder-export a.cb-moodle"))
    assert info.value.suggested_filename == "exemple-stage-inspecteur-moodle.xml"
    bank = ET.fromstring(Path(info.value.path()).read_bytes())
    names = [q.findtext("name/text") for q in bank.iter("question") if q.get("type") == "multichoice"]
    assert names == ["exemple-stage-inspecteur — temoignage", "exemple-stage-inspecteur — art458"]
    assert person.offline.blocked == []


# -- the printable fiche ----------------------------------------------------------------------------------

def _printed(browser, html: str, path: Path) -> str:
    """The PDF Chromium prints of a page, as text."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(html)
        page.pdf(path=str(path), format="A4")
    finally:
        context.close()
    text = "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)
    return unicodedata.normalize("NFKC", text)


def test_the_fiche_prints_the_sheet_without_answers_and_the_key_with_them(browser, tmp_path, cases):
    kb, course_cases = cases
    script = Path(sys.executable).with_name("casebook")
    subprocess.run([str(script), "export", "fiche", "--cours", str(EXAMPLE.parent), "--theme", "cours",
                    "--out", str(tmp_path / "fiche")], check=True, timeout=180, capture_output=True)
    sheet = _printed(browser, (tmp_path / "fiche" / "fiche-exercices.html").read_text(encoding="utf-8"),
                     tmp_path / "exercices.pdf")
    key = _printed(browser, (tmp_path / "fiche" / "fiche-corrige.html").read_text(encoding="utf-8"),
                   tmp_path / "corrige.pdf")
    (ARTIFACTS.parent / "print-fiche-exercices.txt").write_text(sheet, encoding="utf-8")
    (ARTIFACTS.parent / "print-fiche-corrige.txt").write_text(key, encoding="utf-8")
    flat_sheet, flat_key = (" ".join(t.split()) for t in (sheet, key))
    for sc in course_cases:
        assert sc.title in flat_sheet and sc.title in flat_key
        assert " ".join(sc.teaching_notes.split())[:50] not in flat_sheet
        assert " ".join(sc.teaching_notes.split())[:50] in flat_key
    assert flat_sheet.count("Réponse et raison") == 5
    for word in ("Réponse du casebook", "Raisonnement", "Version appliquée", "Idées reçues"):
        assert word not in flat_sheet and word in flat_key
    for sc in course_cases:
        for exp in sc.expected:
            verdict = evaluate_one(kb, sc.situation, exp.provision)
            assert f"Réponse du casebook : {OUTCOMES[verdict.outcome]}" in flat_key
            assert " ".join(verdict.version.citation.split())[:40] in flat_key
