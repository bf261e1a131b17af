"""A dashboard page without a browser, for the benchmarks: what the page does over HTTP and over
its kernel's websocket, so that one harness can bring a class of a hundred students to a server
and measure the server rather than a hundred browsers.

A visit does what Voilà's page does in Chromium (checked against the frames a real page sends):
1. GET the dashboard page and read it whole: Voilà executes the notebook while it streams the
   page; the kernel's id is in the page's `jupyter-config-data` JSON.
2. GET the static files the page's script loads, as a browser with an empty cache does (the list
   is taken from a real browser's load by the caller; none by default).
3. GET the kernel's model (`/api/kernels/<id>`: a kernel already culled is a failure), connect
   the kernel's websocket (`/api/kernels/<id>/channels`, Jupyter's v1 binary protocol, as
   JupyterLab's services do) and send `kernel_info_request`; then, like the ipywidgets manager
   of the page (`_loadFromKernel`), open a `jupyter.widget.control` comm, send `request_states`,
   wait for the `update_states` reply and close that comm.

**Verdict available** = the page displays (as a widget-view output in its body) a widget that
is or holds the dashboard's verdict, and the `update_states` reply holds that verdict with every
widget model it is drawn from (`verdict_model`): for an explorer, an HTML model whose value is a
verdict card (`class="cb-card"` with its `data-outcome`); for the navigator (the accueil and
« Puis-je parler ? »), the box with class `cb-navigator` (`cb-training`, `cb-builder` for the
training round and the case workshop). (A page whose execution lost an output
or timed out has no such widget: a failure.) A page whose notebook has no widget
verdict (the timeline) is available when its body holds `class="cb-timeline"`.

A fact change is what the browser sends when a toggle is clicked: a `comm_msg` to the control's
model with `method: update` and the new `index`; the kernel sends the verdict card's new value,
then its `idle` status for that message (`Kernel.change`)."""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websocket

from casebook.interface.server.voila_main import FAILED_ALONE, FAILED_PAGE

SUBPROTOCOL = "v1.kernel.websocket.jupyter.org"
CONFIG = re.compile(r'<script id="jupyter-config-data" type="application/json">\s*(.*?)\s*</script>', re.S)
TIMELINE = 'class=\\"cb-timeline\\"'  # as it is in the page: inside a cell output's JSON
VIEW = re.compile(r'"application/vnd\.jupyter\.widget-view\+json": \{"model_id": "([0-9a-f]{32})"')
OUTCOME = re.compile(r'class="cb-card"[^>]*data-outcome="([a-z_]+)"')


class VisitError(Exception):
    """What makes a visit a failure: an HTTP error, no kernel, a closed websocket, a dead kernel,
    no verdict, no answer in time."""


def encode(channel: str, msg: dict) -> bytes:
    """A message in the v1 websocket protocol: offsets, channel, then the four JSON parts."""
    parts = [channel.encode()] + [json.dumps(msg[k]).encode()
                                  for k in ("header", "parent_header", "metadata", "content")]
    offsets = [8 * (len(parts) + 2)]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + b"".join(parts)


def decode(frame: bytes) -> dict:
    """A v1 websocket frame as a message dict, with its channel (buffers are counted, not kept)."""
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1):8 * (i + 2)], "little") for i in range(count)]
    parts = [frame[offsets[i]:offsets[i + 1]] for i in range(count - 1)]
    header, parent, metadata, content = (json.loads(p) for p in parts[1:5])
    return {"channel": parts[0].decode(), "header": header, "parent_header": parent,
            "metadata": metadata, "content": content, "buffers": len(parts) - 5}


class Kernel:
    """One page's connection to its kernel over the server's websocket."""

    def __init__(self, base_url: str, kernel_id: str, timeout: float = 600):
        self.kernel_id = kernel_id
        self.session = uuid.uuid4().hex
        url = (base_url.replace("http", "ws", 1)
               + f"/api/kernels/{kernel_id}/channels?session_id={self.session}")
        self.ws = websocket.create_connection(url, subprotocols=[SUBPROTOCOL], timeout=timeout,
                                              enable_multithread=True)
        self.received = 0

    def send(self, msg_type: str, content: dict, metadata: dict | None = None, channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "username": "bench", "session": self.session,
                  "date": "", "version": "5.3"}
        msg = {"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content}
        self.ws.send(encode(channel, msg), opcode=websocket.ABNF.OPCODE_BINARY)
        return msg_id

    def receive(self, until: float) -> dict:
        """The next message; a closed socket or a dead kernel is a failure."""
        self.ws.settimeout(max(0.01, until - time.monotonic()))
        try:
            frame = self.ws.recv()
        except websocket.WebSocketTimeoutException:
            raise VisitError("no answer from the kernel in time") from None
        except (websocket.WebSocketConnectionClosedException, OSError) as exc:
            raise VisitError(f"kernel websocket closed ({type(exc).__name__})") from None
        if not frame:
            raise VisitError("kernel websocket closed")
        msg = decode(frame if isinstance(frame, bytes) else frame.encode())
        self.received += 1
        if msg["header"]["msg_type"] == "status" and msg["content"].get("execution_state") == "dead":
            raise VisitError("kernel dead")
        return msg

    def wait(self, match: Callable[[dict], bool], until: float) -> dict:
        while True:
            msg = self.receive(until)
            if match(msg):
                return msg

    def info(self, until: float) -> dict:
        msg_id = self.send("kernel_info_request", {})
        return self.wait(lambda m: m["parent_header"].get("msg_id") == msg_id
                         and m["header"]["msg_type"] == "kernel_info_reply", until)["content"]

    def widget_states(self, until: float) -> dict:
        """Every widget model's state, asked as the page's widget manager asks for it."""
        comm_id = uuid.uuid4().hex
        self.send("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
                  {"version": "1.0.0"})
        self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        reply = self.wait(lambda m: m["header"]["msg_type"] == "comm_msg"
                          and m["content"].get("comm_id") == comm_id
                          and m["content"]["data"].get("method") == "update_states", until)
        self.send("comm_close", {"comm_id": comm_id, "data": {}})
        return reply["content"]["data"]["states"]

    def change(self, model_id: str, state: dict, card_id: str, until: float) -> tuple[str | None, list[str]]:
        """Send a control's new state as the browser does and wait until the kernel has handled
        it (its `idle` status for that message). Return the verdict card's last new value (None
        if the change left it as it was) and what the kernel reported as errors meanwhile."""
        msg_id = self.send("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": state,
                                                                     "buffer_paths": []}})
        value, errors = None, []
        while True:
            msg = self.receive(until)
            kind, content = msg["header"]["msg_type"], msg["content"]
            if kind == "comm_msg" and content.get("comm_id") == card_id:
                value = content["data"].get("state", {}).get("value", value)
            elif kind == "error" or (kind == "stream" and content.get("name") == "stderr"):
                errors.append(content.get("text") or content.get("evalue", ""))
            elif (kind == "status" and content.get("execution_state") == "idle"
                  and msg["parent_header"].get("msg_id") == msg_id):
                return value, errors

    def idle(self, stop: threading.Event) -> None:
        """Keep the page open until `stop`: read what comes (and answer the server's pings)."""
        while not stop.is_set():
            try:
                self.receive(time.monotonic() + 1)
            except VisitError as exc:
                if "in time" not in str(exc):
                    raise

    def close(self) -> None:
        self.ws.close()


def shut_down(base_url: str, kernel_id: str, timeout: float = 60) -> None:
    """End a page's kernel as the page itself does when it is closed (its `beforeunload`
    beacon to Voilà's `/voila/api/shutdown/<id>`). A `shutdown_request` over the websocket
    would not do: the server's restarter starts the kernel again."""
    xsrf = uuid.uuid4().hex
    conn = _connection(base_url, timeout)
    try:
        conn.request("POST", f"/voila/api/shutdown/{kernel_id}", body=f"_xsrf={xsrf}",
                     headers={"Cookie": f"_xsrf={xsrf}", "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    if response.status >= 400:
        raise VisitError(f"HTTP {response.status} for the kernel's shutdown")


def shown_models(body: str) -> set[str]:
    """The widget models the page displays (its widget-view outputs)."""
    return set(VIEW.findall(body))


def verdict_model(states: dict, kind: str, shown: set[str]) -> str | None:
    """The id of the model that shows the dashboard's verdict, if the page displays it (it is,
    or is inside, one of the `shown` models) and every model it is drawn from is in `states`;
    `kind` is "explorer" or "navigator"."""
    for root in shown:
        reachable = _reachable(states, root)
        if reachable is None:
            continue
        found = next((m for m in reachable if _shows_verdict(states[m], kind)), None)
        if found is not None:
            return found
    return None


def _shows_verdict(model: dict, kind: str) -> bool:
    state = model["state"]
    if kind == "explorer":
        return model["model_name"] == "HTMLModel" and OUTCOME.search(state.get("value", "")) is not None
    return f"cb-{kind}" in state.get("_dom_classes", ())


def _reachable(states: dict, model_id: str) -> set[str] | None:
    """A model and every model its state names (IPY_MODEL_ references), or None if one of
    them is missing from `states` (the page could not draw it)."""
    seen, todo = set(), [model_id]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        if current not in states:
            return None
        seen.add(current)
        todo += re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(states[current]["state"]))
    return seen


def fact_controls(states: dict) -> dict[str, tuple[str, list[str]]]:
    """The explorer's fact controls: fact id -> (model id, option labels)."""
    controls = {}
    for model_id, model in states.items():
        for cls in model["state"].get("_dom_classes", ()):
            if cls.startswith("cb-fact-"):
                labels = list(model["state"].get("_options_labels", ()))
                controls[cls.removeprefix("cb-fact-")] = (model_id, labels)
    return controls


@dataclass
class Visit:
    """One student's page: when it was asked for (machine clock), how long until the body was
    read and until the verdict was available, and what went wrong."""
    name: str
    started: float = 0.0
    page_s: float | None = None
    verdict_s: float | None = None
    error: str | None = None
    kernel_id: str | None = None
    assets: int = 0
    extra: dict = field(default_factory=dict)


def _connection(base_url: str, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(base_url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def fetch_page(base_url: str, name: str, timeout: float = 600) -> tuple[str, str]:
    """The dashboard page read whole, and its kernel id."""
    conn = _connection(base_url, timeout)
    try:
        conn.request("GET", f"/voila/render/{name}")
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
    finally:
        conn.close()
    if response.status != 200:
        raise VisitError(f"HTTP {response.status}")
    config = CONFIG.search(body)
    if config is None:
        raise VisitError("no jupyter-config-data in the page")
    kernel_id = json.loads(config.group(1)).get("kernelId")
    if not kernel_id:
        raise VisitError("no kernel id in the page")
    if '"output_type": "error"' in body:
        raise VisitError("a cell of the notebook failed")
    return body, kernel_id


def fetch_assets(base_url: str, paths: Iterable[str], timeout: float = 600) -> int:
    """GET each static file over one kept-alive connection; the number fetched."""
    conn = _connection(base_url, timeout)
    count = 0
    try:
        for path in paths:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status >= 400:
                raise VisitError(f"HTTP {response.status} for {path}")
            count += 1
    finally:
        conn.close()
    return count


def kernel_model(base_url: str, kernel_id: str, timeout: float = 600) -> dict:
    """GET /api/kernels/<id>, as the page's widget manager does before it connects."""
    conn = _connection(base_url, timeout)
    try:
        conn.request("GET", f"/api/kernels/{kernel_id}")
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise VisitError(f"HTTP {response.status} for the kernel's model: the kernel is gone")
    return json.loads(body)


KINDS = ("explorer", "navigator", "training", "builder")  # in this order, as the browser tests


def kind_of(source: str) -> str:
    """What a notebook's code shows first: "explorer", "navigator", "training", "builder" (the
    `ui.<kind>(` it calls), else "timeline"."""
    return next((kind for kind in KINDS if f"ui.{kind}(" in source), "timeline")


def visit(base_url: str, name: str, kind: str, assets: Iterable[str] = (), timeout: float = 600,
          stop: threading.Event | None = None, on_verdict: Callable[[Visit], None] | None = None,
          on_kernel: Callable[[Kernel, dict], None] | None = None) -> Visit:
    """One student opening a dashboard until its verdict is available; `on_verdict(visit)` is
    called then. With `stop`, the page then stays open (connected) until it is set: a kernel
    lost meanwhile is an error too. `on_kernel(kernel, states)` runs after the verdict, on the
    open connection (the soak uses it). Never raises: a failure is in `error`."""
    result = Visit(name, started=time.time())
    start = time.monotonic()
    until = start + timeout
    kernel = None
    try:
        body, result.kernel_id = fetch_page(base_url, name, timeout)
        result.page_s = time.monotonic() - start
        if FAILED_PAGE in body or FAILED_ALONE in body:  # casebook's Voilà process said it failed
            raise VisitError("the server could not prepare the page (it says so and offers a reload)")
        result.assets = fetch_assets(base_url, assets, timeout)
        kernel_model(base_url, result.kernel_id, timeout)
        kernel = Kernel(base_url, result.kernel_id, timeout)
        kernel.info(until)
        if kind == "timeline":  # no widget: the page's manager gets no state, nor needs one
            states = {}
            if TIMELINE not in body:
                raise VisitError("no timeline in the page")
        else:
            states = kernel.widget_states(until)
            if verdict_model(states, kind, shown_models(body)) is None:
                raise VisitError("no verdict among the widgets the page displays")
        result.verdict_s = time.monotonic() - start
        if on_verdict is not None:
            on_verdict(result)
        if on_kernel is not None:
            on_kernel(kernel, states)
        if stop is not None:
            kernel.idle(stop)
    except VisitError as exc:
        result.error = str(exc)
    except (OSError, http.client.HTTPException, websocket.WebSocketException, ValueError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        if kernel is not None:
            kernel.close()
    return result
