"""The « Ligne du temps » dashboard in a real browser: changing the date, a quick button and a
refused date update (or keep) the listing of the versions in force and the marker."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import wait_rendered

SCOPE = ".cb-timeline-explorer"


def _set_date(page, value: str) -> None:
    field = page.locator(f"{SCOPE} .cb-timeline-date input[type=date]")
    field.fill(value)
    field.dispatch_event("change")


def test_changing_the_date_lists_the_versions_of_that_day(offline, voila_url):
    page = offline.page
    page.goto(f"{voila_url}/voila/render/16_ligne_du_temps.ipynb")
    wait_rendered(page, SCOPE)
    listing = page.locator(f"{SCOPE} .cb-timeline-at")
    art458 = listing.locator("[data-provision=art458]")

    _set_date(page, "2016-03-15")
    expect(listing).to_have_attribute("data-date", "2016-03-15")
    expect(art458).to_have_attribute("data-version", "art458-1867")
    expect(page.locator(f"{SCOPE} .cb-timeline-marker-label")).to_have_text("15/03/2016")

    _set_date(page, "2026-05-01")
    expect(listing).to_have_attribute("data-date", "2026-05-01")
    expect(art458).to_have_attribute("data-version", "art458-2026")
    expect(art458.locator(".cb-unverified")).to_have_text("à vérifier")
    expect(art458).to_contain_text("Remplace « Rédaction issue de la loi « Pot-pourri V »")
    expect(listing.locator("[data-provision=art46bis1_p3]")).to_contain_text("annulé")

    page.locator(SCOPE).get_by_role("button", name="03/08/2017", exact=True).click()
    expect(listing).to_have_attribute("data-date", "2017-08-03")
    expect(page.locator(f"{SCOPE} .cb-timeline-date input[type=date]")).to_have_value("2017-08-03")
    expect(listing.locator("[data-provision=art458ter]")).to_have_attribute("data-version",
                                                                            "art458ter-2017")

    _set_date(page, "1985-06-01")
    expect(page.locator(f"{SCOPE} .cb-timeline-message")).to_contain_text("hors de la période")
    expect(listing).to_have_attribute("data-date", "2017-08-03")
    expect(page.locator(f"{SCOPE} .cb-timeline-marker-label")).to_have_text("03/08/2017")
    assert offline.blocked == []
