"""The dashboards as Binder and JupyterHub serve them: `jupyter server` with Voilà as a server
extension under the prefix /user/etudiant/, protected by a token, started from the checkout
(with voila.json in its folder) and from an installed package (from an empty folder: only the
settings the package installs in the environment apply). The accueil, an explorer opened by
`?cas=`, « Puis-je parler ? » and « Entraînement » show the casebook's template, no source, no
error, and links that keep the prefix.

As a server extension Voilà lets every message of a page reach its kernel, `execute_request`
included (standalone Voilà refuses it): whoever holds the server's token or the hub's login owns
that server and may run code in it anyway (JupyterLab, a notebook of their own). What holds, and
is tested here: the page itself sends no code to its kernel, and no one without the token reaches
the kernel."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

import pytest
import websocket

from .conftest import ROOT, free_port, stop
from .deployments import PREFIX, TEMPLATES, jupyter_server
from .visits import SCOPE, accueil_to_explorer, explorer_case, navigator_asks, training_round

TOKEN = secrets.token_hex(16)
FIRST = f"token={TOKEN}&"  # the first address a person opens, as Binder hands it out


@pytest.fixture(scope="module", params=["depot", "paquet"])
def pages(request, tmp_path_factory):
    """The address of the notebooks' folder under the prefix, served from the checkout or from
    the installed package."""
    port = free_port()
    if request.param == "depot":
        venv = Path(sys.executable).parent.parent
        proc = jupyter_server(venv, ROOT, ROOT, port, TOKEN, JUPYTER_PATH=str(TEMPLATES))
    else:
        venv = request.getfixturevalue("installed_env")
        project = next(venv.glob("lib/python3*/site-packages/casebook/_project"))
        proc = jupyter_server(venv, project, tmp_path_factory.mktemp("vide"), port, TOKEN)
    yield f"http://127.0.0.1:{port}{PREFIX}voila/render/notebooks/"
    stop(proc)


def test_the_accueil_leads_to_an_explorer_under_the_prefix(offline, pages):
    accueil_to_explorer(offline, pages, FIRST)


def test_an_explorer_opens_its_case_and_shares_a_link_under_the_prefix(offline, pages):
    link = explorer_case(offline, pages, FIRST)
    assert f"{PREFIX}voila/render/notebooks/" in link


def test_the_navigator_asks_its_questions_under_the_prefix(offline, pages):
    navigator_asks(offline, pages, FIRST)


def test_a_training_round_opens_under_the_prefix(offline, pages):
    training_round(offline, pages, FIRST)


def _kernel_id(page) -> str:
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    return config["kernelId"]


def test_the_page_sends_no_code_and_strangers_cannot_reach_its_kernel(offline, pages):
    page = offline.page
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(
        payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))))
    explorer_case(offline, pages, FIRST)
    assert sent and any("comm_" in frame for frame in sent)  # the page talks to its kernel
    assert not [frame for frame in sent if "execute_request" in frame]
    socket_url = pages.replace("http://", "ws://").split("voila/render/")[0]
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(f"{socket_url}api/kernels/{_kernel_id(page)}/channels", timeout=10)
    assert refused.value.status_code == 403
    assert page.locator(f"{SCOPE} .cb-card").first.is_visible()
