"""The « Atelier de cas » in the served dashboard: a case filled in through the page shows the
engine's answer live, downloads as a file `casebook check` accepts, an invalid upload lists its
errors and keeps the fields, a valid upload restores them, and the case link opens the explorer
on the same situation. All offline."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from playwright.sync_api import Page, expect

import casebook
from casebook import cli
from casebook.law import casefile

from .conftest import ARTIFACTS, answer, wait_rendered

SCOPE = ".cb-builder"
SHARING = ("necessary_confidant", "learned_in_function", "sharing_planned", "recipient_bound",
           "same_mission", "informed_consent", "only_necessary", "in_person_interest")
TITLE = "Partager avec la psychologue, avec l'accord de Mme D."


def _type(page: Page, field: str, text: str) -> None:
    page.locator(f"{SCOPE} .cb-builder-{field}").locator("input, textarea").fill(text)


def _upload(page: Page, name: str, content: bytes) -> None:
    """Choose a file in the FileUpload button's file dialog."""
    with page.expect_file_chooser() as chooser:
        page.locator(f"{SCOPE} .cb-builder-upload").click()
    chooser.value.set_files(files=[{"name": name, "mimeType": "application/x-yaml", "buffer": content}])


def _selected(page: Page, selector: str) -> str:
    return page.locator(selector).evaluate("s => s.value")


def _fill(page: Page) -> None:
    _type(page, "id", "partage-navigateur")
    _type(page, "title", TITLE)
    _type(page, "narrative", "Mme D. accepte que vous partagiez avec la psychologue ce qui est utile.")
    date = page.locator(f"{SCOPE} .cb-builder-date input[type=date]")
    date.fill("2026-11-02")
    date.dispatch_event("change")
    provision = casebook.load().provisions["secret_partage"]
    page.locator(f"{SCOPE} .cb-builder-provisions select").select_option(
        label=f"{provision.short} — {provision.title}")
    expected = page.locator(f"{SCOPE} .cb-expected-secret_partage select")
    expect(expected).to_be_visible()
    expected.select_option(label="Faculté de partager")
    for fact in SHARING:
        answer(page, SCOPE, fact, "Oui")
    _type(page, "teaching-notes", "Les cinq conditions sont réunies : le partage reste une faculté.")
    _type(page, "misconceptions", "Entre collègues, tout se dit.")
    _type(page, "source", "Cas écrit en atelier")


def test_builder_round_trip_through_the_page(offline, voila_url, tmp_path):
    page = offline.page
    page.goto(f"{voila_url}/voila/render/17_atelier_de_cas.ipynb")
    wait_rendered(page, SCOPE)
    _fill(page)
    compared = page.locator(f"{SCOPE} .cb-compare[data-provision=secret_partage]")
    expect(compared).to_have_attribute("data-engine", "faculte_de_partager")
    expect(compared).to_have_attribute("data-agrees", "oui")
    answer(page, SCOPE, "informed_consent", "Non")
    expect(compared).to_have_attribute("data-engine", "obligation_de_se_taire")
    expect(compared).to_have_attribute("data-agrees", "non")
    expect(compared.locator("mark")).to_have_text("Obligation de se taire")
    page.locator(f"{SCOPE} .cb-builder-provisions").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "17_atelier_de_cas_comparaison.png"))
    answer(page, SCOPE, "informed_consent", "Oui")
    expect(compared).to_have_attribute("data-agrees", "oui")

    link = page.locator(f"{SCOPE} a.cb-download").first
    expect(link).to_have_attribute("download", "partage-navigateur.yaml")
    with page.expect_download() as info:
        link.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "partage-navigateur.yaml"
    (case,) = casefile.read(casebook.load(), saved.read_bytes()).cases
    assert case["title"] == TITLE and case["facts"] == dict.fromkeys(SHARING, True)
    assert cli.main(["check", str(saved)]) == 0

    _upload(page, "mauvais.yaml", b"schema_version: 1\ncases:\n  - id: [\n")
    errors = page.locator(f"{SCOPE} .cb-import-errors")
    expect(errors).to_contain_text("« mauvais.yaml » n'a pas été importé")
    expect(errors).to_contain_text("mauvais.yaml, ligne 4 : erreur de syntaxe YAML")
    expect(page.locator(f"{SCOPE} .cb-builder-title input")).to_have_value(TITLE)
    expect(compared).to_have_attribute("data-agrees", "oui")

    _type(page, "title", "Un titre changé")
    answer(page, SCOPE, "informed_consent", "Non")
    expect(compared).to_have_attribute("data-agrees", "non")
    _upload(page, saved.name, saved.read_bytes())
    expect(page.locator(f"{SCOPE} .cb-import-ok").first).to_contain_text("importé : 1 cas")
    expect(page.locator(f"{SCOPE} .cb-builder-title input")).to_have_value(TITLE)
    expect(compared).to_have_attribute("data-agrees", "oui")
    assert _selected(page, f"{SCOPE} .cb-expected-secret_partage select") == "Faculté de partager"
    consent = page.locator(f"{SCOPE} .cb-fact-informed_consent")
    expect(consent.get_by_role("radio", name="Oui", exact=True)).to_have_attribute("aria-checked", "true")

    share = page.locator(f"{SCOPE} a.cb-case-link").first
    href = share.get_attribute("href")
    assert href.startswith("03_secret_partage.ipynb?date=2026-11-02&")
    page.goto(urljoin(page.url, href))
    wait_rendered(page, ".cb-explorer-secret_partage")
    card = page.locator(".cb-explorer-secret_partage .cb-card").first
    expect(card).to_have_attribute("data-outcome", "faculte_de_partager")
    assert offline.blocked == []


def test_builder_imports_a_scenario_file_of_the_project(offline, voila_url):
    page = offline.page
    page.goto(f"{voila_url}/voila/render/17_atelier_de_cas.ipynb")
    wait_rendered(page, SCOPE)
    path = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "partage.yaml"
    _upload(page, path.name, path.read_bytes())
    expect(page.locator(f"{SCOPE} .cb-import-ok").first).to_contain_text("« partage.yaml » importé")
    picker = page.locator(f"{SCOPE} .cb-builder-picker select")
    expect(picker).to_be_visible()
    picker.select_option(index=1)
    expect(page.locator(f"{SCOPE} .cb-builder-id input")).to_have_value("partage-sans-accord")
    links = page.locator(f"{SCOPE} a.cb-download")
    expect(links).to_have_count(3)  # this case, the whole file, this case's Moodle questions
    expect(links.nth(1)).to_have_attribute("download", "partage.yaml")
    expect(links.nth(2)).to_have_attribute("download", "partage-sans-accord-moodle.xml")
    assert offline.blocked == []
