"""Security of the published dashboards: no code runs from the browser, no source or traceback
leaks, typed text stays text, and forged widget values are refused with the kernel alive."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
import websocket
from playwright.sync_api import expect

from .conftest import answer, free_port, start_voila, stop, wait_rendered

MARKER = Path("/tmp") / f"casebook-pwned-{uuid.uuid4().hex}"


def _message(msg_type: str, content: dict, channel: str = "shell") -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "username": "test", "session": uuid.uuid4().hex,
                       "msg_type": msg_type, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel,
            "buffers": []}


def _kernel_socket(page, base_url: str) -> websocket.WebSocket:
    kernel_id = re.search(r'"kernelId": "([0-9a-f-]{36})"', page.content()).group(1)
    ws_url = base_url.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
    return websocket.create_connection(ws_url, timeout=10)


def _replies(ws, msg_id: str, seconds: float = 5) -> list[dict]:
    out = []
    ws.settimeout(seconds)
    try:
        while True:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                out.append(msg)
    except (websocket.WebSocketTimeoutException, TimeoutError):
        return out


def test_execute_request_over_the_kernel_websocket_runs_no_code(offline, voila_url):
    page = offline.page
    page.goto(f"{voila_url}/voila/render/03_secret_partage.ipynb")
    wait_rendered(page, ".cb-explorer")
    ws = _kernel_socket(page, voila_url)
    request = _message("execute_request", {"code": f"open({str(MARKER)!r}, 'w').write('x')",
                                           "silent": False, "store_history": False,
                                           "user_expressions": {}, "allow_stdin": False})
    ws.send(json.dumps(request))
    replies = _replies(ws, request["header"]["msg_id"])
    ws.close()
    assert not MARKER.exists()
    assert not any(r["msg_type"] == "execute_reply" and r["content"].get("status") == "ok" for r in replies)


def test_forged_widget_values_are_refused_and_the_kernel_lives(offline, voila_url):
    page = offline.page
    page.goto(f"{voila_url}/voila/render/03_secret_partage.ipynb")
    scope = ".cb-explorer-secret_partage"
    wait_rendered(page, scope)
    ws = _kernel_socket(page, voila_url)
    info = _message("comm_info_request", {"target_name": "jupyter.widget"})
    ws.send(json.dumps(info))
    comms = next(r for r in _replies(ws, info["header"]["msg_id"]) if r["msg_type"] == "comm_info_reply")
    comm_ids = list(comms["content"]["comms"])
    assert comm_ids
    for comm_id in comm_ids:
        for state in ({"index": 999}, {"index": -3}, {"value": "<img src=x onerror=alert(1)>"}):
            ws.send(json.dumps(_message("comm_msg", {"comm_id": comm_id, "data": {
                "method": "update", "state": state, "buffer_paths": []}})))
    alive = _message("kernel_info_request", {})
    ws.send(json.dumps(alive))
    assert any(r["msg_type"] == "kernel_info_reply" for r in _replies(ws, alive["header"]["msg_id"], 15))
    ws.close()
    answer(page, scope, "sharing_planned", "Oui")
    answer(page, scope, "necessary_confidant", "Oui")
    answer(page, scope, "learned_in_function", "Oui")
    answer(page, scope, "sector", "autre secteur")
    answer(page, scope, "recipient_bound", "Non")
    expect(page.locator(f"{scope} .cb-card").first).to_have_attribute("data-outcome",
                                                                      "obligation_de_se_taire")


def test_typed_text_is_shown_as_text(offline, voila_url):
    page = offline.page
    page.goto(f"{voila_url}/voila/render/01_art458.ipynb")
    scope = ".cb-explorer-art458"
    wait_rendered(page, scope)
    payload = "<img src=x onerror=\"window.__xss=1\">"
    field = page.locator(f"{scope} .cb-title input")
    field.fill(payload)
    field.press("Enter")
    expect(page.locator(f"{scope} .cb-case-title")).to_contain_text(payload)
    assert page.evaluate("window.__xss") is None
    assert page.locator(f"{scope} .cb-card img").count() == 0


@pytest.mark.parametrize(("notebook", "scope"), [("01_art458.ipynb", ".cb-explorer-art458"),
                                                  ("15_puis_je_parler.ipynb", ".cb-navigator")])
def test_a_hostile_link_is_shown_as_text_and_runs_nothing(offline, voila_url, notebook, scope):
    """A link's query string is user input too: markup and a quote closing an attribute, in the
    names and values of every parameter a page reads."""
    page = offline.page
    events: list[str] = []
    page.on("pageerror", lambda err: events.append(str(err)))
    page.on("dialog", lambda dialog: (events.append(dialog.message), dialog.dismiss()))
    payload = '"><img src=x onerror="window.__xss=1">'
    query = urlencode({name: payload for name in ("cas", "date", "regle", "sujet", "informed_consent")}
                      | {payload: "oui"})
    page.goto(f"{voila_url}/voila/render/{notebook}?{query}")
    wait_rendered(page, f"{scope} .cb-link-ignored")
    expect(page.locator(f"{scope} .cb-link-ignored")).to_contain_text(f"« {payload} »")
    assert page.locator(f"{scope} img").count() == 0
    assert page.evaluate("window.__xss") is None and events == [] and offline.blocked == []


@pytest.fixture(scope="module")
def failing_url():
    port = free_port()
    proc = start_voila("tests/fixtures/failing_dashboard", port)
    yield f"http://127.0.0.1:{port}"
    stop(proc)


def test_a_failing_cell_leaks_neither_source_nor_traceback(offline, failing_url):
    page = offline.page
    page.goto(f"{failing_url}/voila/render/echec.ipynb")
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    html = page.content()
    for leak in ("source_marker_do_not_show", "Traceback", "ZeroDivisionError", "/ 0"):
        assert leak not in html
    assert offline.blocked == []
