"""The session (template `session.js`): when a dashboard's kernel is killed or culled while its page is
open, the page says so in French with a reload button and its controls stop taking clicks (no page
error); a live page shows no banner and its controls work."""

from __future__ import annotations

import json
import re
import signal
import time
import urllib.error
import urllib.request

import psutil
import pytest
from playwright.sync_api import Page, expect

from .conftest import answer, free_port, start_voila, stop, wait_rendered

EXPIRED = "La session a expiré : rechargez la page."
NOTEBOOK = "03_secret_partage.ipynb"
SCOPE = ".cb-explorer-secret_partage"
CULL_AFTER = 15  # seconds of inactivity after which the culling server shuts a kernel down


@pytest.fixture(scope="module")
def culling_url():
    """A Voilà that culls idle kernels even while their page is open (no preheated pool)."""
    port = free_port()
    proc = start_voila("notebooks", port, f"--MappingKernelManager.cull_idle_timeout={CULL_AFTER}",
                       "--MappingKernelManager.cull_interval=2", "--MappingKernelManager.cull_connected=True",
                       "--VoilaConfiguration.preheat_kernel=False")
    yield f"http://127.0.0.1:{port}"
    stop(proc)


def _open(page: Page, url: str) -> list[str]:
    """Open the dashboard, wait for its explorer and for the kernel's first answer to the page;
    return the list that collects the page's errors."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/voila/render/{NOTEBOOK}")
    wait_rendered(page, SCOPE)
    expect(page.locator("body")).to_have_attribute("data-cb-session", "ok", timeout=30_000)
    return errors


def _kernel_id(page: Page) -> str:
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def _expect_expired(page: Page, errors: list[str], seconds: float) -> None:
    """The banner is announced (role=alert) and holds the focus; a click on a fact is swallowed."""
    banner = page.get_by_role("alert").filter(has_text=EXPIRED)
    expect(banner).to_be_visible(timeout=seconds * 1000)
    expect(page.locator("body")).to_have_attribute("data-cb-session", "expired")
    expect(banner.get_by_role("button", name="Recharger la page")).to_be_focused()
    answer(page, SCOPE, "necessary_confidant", "Oui")
    page.wait_for_timeout(1000)
    assert errors == []
    yes = page.locator(f"{SCOPE} .cb-fact-necessary_confidant button").filter(has_text=re.compile("^Oui$"))
    expect(yes).not_to_have_class(re.compile(r"\bmod-active\b"))


def test_a_killed_kernel_expires_the_session_and_reload_brings_a_new_one(offline, voila_url):
    page = offline.page
    errors = _open(page, voila_url)
    kernel_id = _kernel_id(page)
    kernels = [p for p in psutil.process_iter(["cmdline"])
               if any(kernel_id in part for part in p.info["cmdline"] or [])
               and "ipykernel_launcher" in p.info["cmdline"]]
    assert len(kernels) == 1
    kernels[0].send_signal(signal.SIGKILL)
    _expect_expired(page, errors, 20)
    page.get_by_role("button", name="Recharger la page").click()
    wait_rendered(page, SCOPE)
    expect(page.locator("body")).to_have_attribute("data-cb-session", "ok", timeout=30_000)
    assert _kernel_id(page) != kernel_id
    expect(page.get_by_role("alert").filter(has_text=EXPIRED)).to_have_count(0)
    assert errors == []


def test_a_culled_kernel_expires_the_session(offline, culling_url):
    page = offline.page
    errors = _open(page, culling_url)
    _expect_expired(page, errors, CULL_AFTER + 45)
    with pytest.raises(urllib.error.HTTPError) as gone:  # culled by the server, not killed
        urllib.request.urlopen(f"{culling_url}/api/kernels/{_kernel_id(page)}", timeout=10)
    assert gone.value.code == 404


def test_a_live_page_shows_no_banner_and_its_controls_work(offline, voila_url):
    page = offline.page
    errors = _open(page, voila_url)
    date = page.locator(f"{SCOPE} input[type=date]")
    date.fill("2026-11-02")
    date.dispatch_event("change")
    for fact in ("necessary_confidant", "learned_in_function", "sharing_planned", "recipient_bound",
                 "same_mission", "informed_consent", "only_necessary", "in_person_interest"):
        answer(page, SCOPE, fact, "Oui")
    card = page.locator(f"{SCOPE} .cb-card").first
    expect(card).to_have_attribute("data-outcome", "faculte_de_partager")
    answer(page, SCOPE, "informed_consent", "Non")
    expect(card).to_have_attribute("data-outcome", "obligation_de_se_taire")
    page.wait_for_timeout(11_000)  # longer than the page's interval between two questions to the server
    expect(page.locator("body")).to_have_attribute("data-cb-session", "ok")
    expect(page.locator(".cb-session-expired")).to_have_count(0)
    assert errors == []


def _kernel_exists(url: str, kernel_id: str) -> bool:
    try:
        urllib.request.urlopen(f"{url}/api/kernels/{kernel_id}", timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 404
        return False
    return True


def test_closing_the_page_shuts_its_kernel_down(offline, voila_url):
    """Voilà's beacon on leaving carries the _xsrf value session.js set: the server accepts it."""
    page = offline.page
    _open(page, voila_url)
    kernel_id = _kernel_id(page)
    assert _kernel_exists(voila_url, kernel_id)
    page.close(run_before_unload=True)
    deadline = time.monotonic() + 15
    while _kernel_exists(voila_url, kernel_id) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _kernel_exists(voila_url, kernel_id)
