"""A real JupyterHub, configured by docs/jupyterhub_config.py (the file docs/deploiement.md gives):
its proxy configurable-http-proxy (installed from npm by `make test`), any name let in, one
server per user started by the hub, everything on 127.0.0.1. Two students log in through the
hub's form, each follows the link a class is given (/hub/user-redirect/… to the notebooks that
nbgitpuller copies into their folder) and gets a server, a kernel and the verdict of their own;
neither reaches the other's kernel; stopping the hub leaves no process."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import psutil
import pytest

from .conftest import ROOT, OfflinePage, free_port, stop
from .deployments import jupyterhub, proxy_problem
from .mouse import click
from .visits import CASE, SCOPE, SHARED, case_outcome, is_the_casebooks_page, watch

STUDENTS = ("alice", "bruno")
NOTEBOOKS = "voila/render/casebook/notebooks/"  # ~/casebook/notebooks, as nbgitpuller leaves them


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """The hub's address, its process and its state folder (students' folders in home/)."""
    problem = proxy_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    state = tmp_path_factory.mktemp("hub")
    for name in STUDENTS:
        shutil.copytree(ROOT / "notebooks", state / "home" / name / "casebook" / "notebooks")
    ports = {"hub": free_port(), "api": free_port(), "proxy": free_port()}
    proc = jupyterhub(Path(sys.executable).parent.parent, state, ports)
    yield f"http://127.0.0.1:{ports['hub']}", proc, state
    stop(proc)


def _log_in_and_open_the_case(page, hub: str, name: str) -> None:
    """Follow the class's link, log in on the hub's form as `name`, wait for the dashboard."""
    page.goto(f"{hub}/hub/user-redirect/{NOTEBOOKS}{SHARED}?cas={CASE}")
    click(page, page.locator("#username_input"))
    page.keyboard.type(name)
    click(page, page.locator("#password_input"))
    page.keyboard.type("mot-de-passe")
    click(page, page.locator("#login_submit"))
    page.wait_for_url(f"{hub}/user/{name}/{NOTEBOOKS}{SHARED}?cas={CASE}", timeout=180_000)
    page.wait_for_selector(f"{SCOPE} .cb-card", state="visible", timeout=180_000)


def _kernel_id(page) -> str:
    import json

    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def test_two_students_each_get_a_server_a_kernel_and_the_verdict(browser, hub):
    address, proc, _state = hub
    kernels = {}
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
                for _ in STUDENTS]
    try:
        for name, context in zip(STUDENTS, contexts, strict=True):
            offline = OfflinePage(context.new_page())
            seen = watch(offline.page)
            _log_in_and_open_the_case(offline.page, address, name)
            card = offline.page.locator(f"{SCOPE} .cb-card").first
            assert card.get_attribute("data-outcome") == case_outcome()
            is_the_casebooks_page(offline, seen)
            link = offline.page.locator(f"{SCOPE} a.cb-share-open").evaluate("a => a.href")
            assert link == f"{address}/user/{name}/{NOTEBOOKS}{SHARED}?cas={CASE}"
            kernels[name] = (offline.page, _kernel_id(offline.page))
        assert kernels["alice"][1] != kernels["bruno"][1]
        servers = [p for p in psutil.Process(proc.pid).children(recursive=True)
                   if "jupyterhub-singleuser" in " ".join(p.cmdline())]
        assert len(servers) == 2
        assert all(any("ipykernel" in " ".join(k.cmdline()) for k in s.children(recursive=True))
                   for s in servers)
        alice_page, _ = kernels["alice"]
        other = alice_page.request.get(f"{address}/user/bruno/api/kernels/{kernels['bruno'][1]}",
                                       max_redirects=0)
        assert other.status in (302, 403) and kernels["bruno"][1] not in other.text()
    finally:
        for context in contexts:
            context.close()


def test_stopping_the_hub_leaves_no_process(hub):
    _address, proc, state = hub
    names = " ".join(" ".join(p.cmdline()) for p in psutil.Process(proc.pid).children(recursive=True))
    assert "configurable-http-proxy" in names  # and the students' servers and kernels, if any
    stop(proc)  # fails if any process below the hub is still running after it stopped
    assert not (state / "jupyterhub-proxy.pid").exists()
