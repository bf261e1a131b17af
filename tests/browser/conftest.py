"""A real Voilà server on localhost and Debian's headless Chromium driven by Playwright.

Every request to a host other than localhost is aborted and recorded, so a page that needs the
network is caught. Screenshots go to test-artifacts/screenshots/ (not committed)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from casebook.interface.server.serve import VOILA_MAIN, stop_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# No network of its own, and scrolling without animation: a wheel turn or a key press moves the
# page at once (a person's browser animates it; what the page lets through is the same).
LAUNCH_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic", "--disable-smooth-scrolling"]
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost", "data:", "blob:")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_voila(folder: str, port: int, *extra: str, prefix: str = "/",
                jupyter_path: tuple[str, ...] = ()) -> subprocess.Popen:
    """Standalone Voilà over `folder`, configured by the project's voila.json (cwd = root) and
    `extra` options, under the URL `prefix`, finding kernels and templates in the project's
    share/jupyter and `jupyter_path`. Stop it with `stop`."""
    options = [f"--Voila.base_url={prefix}"] if prefix != "/" else []
    return _start([sys.executable, "-m", VOILA_MAIN, folder, "--no-browser", f"--port={port}",
                   "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", "--ServerApp.token=",
                   "--Voila.token=", *options, *extra], port, prefix, jupyter_path)


def start_casebook(port: int) -> subprocess.Popen:
    """The README's run command itself: `casebook serve`, on a free port."""
    script = Path(sys.executable).with_name("casebook")
    return _start([str(script), "serve", "--no-browser", f"--port={port}"], port)


def _start(cmd: list[str], port: int, prefix: str = "/",
           jupyter_path: tuple[str, ...] = ()) -> subprocess.Popen:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS.parent / f"voila-{port}.log", "w")  # noqa: SIM115 - closed with the process
    env = {**os.environ, "JUPYTER_PATH": os.pathsep.join([str(ROOT / "share" / "jupyter"), *jupyter_path])}
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Voilà stopped; see {log.name}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{prefix}voila/tree", timeout=2)
            return proc
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise RuntimeError("Voilà did not start within 90 s")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server started here and every process below it (Voilà, its kernels), then check
    that none of them is left: `casebook serve` stops its own Voilà, `stop_server` kills what a
    signal did not stop."""
    try:
        tree = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        tree = []
    stop_server(proc, grace=30)
    _gone, alive = psutil.wait_procs(tree, timeout=10)
    left = [p for p in alive if _running(p)]
    for p in left:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    assert not left, f"processes left behind by {proc.args[:3]}: {[p.pid for p in left]}"


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture(scope="session")
def voila_url():
    port = free_port()
    proc = start_casebook(port)
    yield f"http://127.0.0.1:{port}"
    stop(proc)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : apt-get install -y chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


class OfflinePage:
    """A page whose requests to other hosts are aborted and remembered in `blocked`."""

    def __init__(self, page: Page):
        self.page = page
        self.blocked: list[str] = []
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture
def offline(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    page = OfflinePage(context.new_page())
    yield page
    context.close()


def wait_rendered(page: Page, selector: str) -> None:
    """Wait for Voilà to finish rendering and for `selector` to be visible; if it never is, fail
    with what the page shows instead (its arrival banner, the start of its text)."""
    try:
        page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
        page.wait_for_selector(selector, state="visible", timeout=120_000)
    except PlaywrightTimeoutError:
        shown = page.evaluate("""() => { const b = document.querySelector('.cb-arrival');
          return [b ? b.innerText : '(pas de bandeau)', document.body.innerText.slice(0, 300)]; }""")
        raise AssertionError(f"{selector} jamais visible sur {page.url}; bandeau : {shown[0]!r}; "
                             f"la page montre : {' '.join(shown[1].split())!r}") from None


def outcome(page: Page, scope: str) -> str:
    return page.locator(f"{scope} .cb-card").first.get_attribute("data-outcome")


def answer(page: Page, scope: str, fact: str, label: str) -> None:
    """Answer a fact in an explorer: a toggle button (a radio for assistive technology, a11y.js)
    by its label, or a dropdown option."""
    control = page.locator(f"{scope} .cb-fact-{fact}")
    select = control.locator("select")
    if select.count():
        select.select_option(label=label)
    else:
        control.get_by_role("radio", name=label, exact=True).click()
