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


@pytest.fixture(scope="module")
def pooling():
    """A Voilà with its preheated pools (voila.json) that culls a kernel idle for `CULL_AFTER`
    seconds, looking every second: its address and its pid."""
    port = free_port()
    proc = start_voila("notebooks", port, f"--MappingKernelManager.cull_idle_timeout={CULL_AFTER}",
                       "--MappingKernelManager.cull_interval=1")
    yield f"http://127.0.0.1:{port}", proc.pid
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


def _hold_first_script(page: Page, seconds: float) -> list[str]:
    """Hold the page's first script from Voilà's static files back by `seconds` (the page loads
    slowly); returns the list that will hold its address."""
    held: list[str] = []

    def hold(route) -> None:
        if not held:
            held.append(route.request.url)
            time.sleep(seconds)
        route.continue_()

    page.route("**/voila/static/**/*.js", hold)
    return held


def _wait_pools_settled(server: int) -> None:
    """Wait until the server `server` (a pid) has two kernels (the preheated pools of voila.json)
    and they have stopped working (their notebooks have run)."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        kernels = [p for p in psutil.Process(server).children(recursive=True)
                   if "ipykernel_launcher" in " ".join(p.cmdline())]
        before = sum(k.cpu_times().user + k.cpu_times().system for k in kernels)
        time.sleep(1)
        after = sum(k.cpu_times().user + k.cpu_times().system for k in kernels)
        if len(kernels) >= 2 and after - before < 0.05:
            return
    raise AssertionError("the preheated pools did not settle within 180 s")


def test_a_preheated_kernel_idle_past_the_timeout_lives_on_with_the_page_it_is_handed_to(offline, pooling):
    """Its pool kept it from the culler; handed out, it must stay alive until its page connects,
    even when the page is slow to load (here its scripts are held back by 3 s)."""
    pooling_url, server = pooling
    _wait_pools_settled(server)
    time.sleep(CULL_AFTER + 3)  # the pooled kernels have now been idle longer than the timeout
    page = offline.page
    held = _hold_first_script(page, 3)  # longer than the culler's interval: it looks meanwhile
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{pooling_url}/voila/render/00_accueil.ipynb")
    expect(page.locator("body")).to_have_attribute("data-cb-session", "ok", timeout=60_000)
    assert held
    kernel_id = _kernel_id(page)
    assert _kernel_exists(pooling_url, kernel_id)
    expect(page.get_by_role("alert").filter(has_text=EXPIRED)).to_have_count(0)
    assert errors == []


def test_a_kernel_culled_before_its_page_connects_expires_the_session(offline, culling_url):
    """The page's scripts are held back past the culling timeout: Voilà's script finds no kernel
    and opens no socket; the session still says so."""
    page = offline.page
    held = _hold_first_script(page, CULL_AFTER + 6)  # the kernel, idle and unconnected, is culled
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{culling_url}/voila/render/{NOTEBOOK}", wait_until="commit")
    banner = page.get_by_role("alert").filter(has_text=EXPIRED)
    expect(banner).to_be_visible(timeout=60_000)
    assert held
    expect(page.locator("body")).to_have_attribute("data-cb-session", "expired")
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(f"{culling_url}/api/kernels/{_kernel_id(page)}", timeout=10)
    assert gone.value.code == 404
