"""What the page's own address asks for: the query string of the request that opened a dashboard
(Voilà passes it to the kernel), read once and bounded. Outside Voilà (a notebook, nbval, a test)
there is none. In a preheated kernel the first read waits until a browser has asked for the page,
so a notebook reads it after its heavy cells.

Nothing here interprets a parameter: `links` turns them into a situation, each widget reads its
own. A parameter is a string the user wrote: it is never executed and never shown unescaped."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Mapping
from functools import cache
from urllib.parse import parse_qsl

MAX_QUERY = 4000  # characters; a longer address is ignored as a whole
MAX_PARAMETERS = 60
MODES = ("etudiant", "enseignant")


def parse(query: str) -> tuple[dict[str, str], list[str]]:
    """The parameters of a query string (first value of each name wins) and what was ignored,
    in French. Never raises."""
    query = (query or "").lstrip("?")
    if len(query) > MAX_QUERY:
        return {}, [f"adresse trop longue ({len(query)} caractères, {MAX_QUERY} au plus)"]
    out: dict[str, str] = {}
    ignored: list[str] = []
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_PARAMETERS)
    except ValueError:
        return {}, [f"plus de {MAX_PARAMETERS} paramètres"]
    for name, value in pairs:
        if name in out:
            ignored.append(f"paramètre « {name} » répété")
        else:
            out[name] = value
    return out, ignored


def waits_for_request() -> bool:
    """True in a preheated kernel, where the page's address is known only once a browser asks."""
    return os.environ.get("VOILA_PREHEAT") == "True"


def _wait_for_request() -> None:
    """Receive the request's variables from Voilà's query socket, as `voila.utils.wait_for_request`
    does, without importing the `voila` package: its import (jupyter_server, jsonschema's format
    checkers) costs a pooled kernel seconds of CPU. The socket is read in a thread with its own
    event loop, since the kernel's thread already runs one."""
    import websockets

    env = os.environ
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    url = (f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
           f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}")
    received: list[str] = []

    async def receive() -> None:
        async with websockets.connect(url, open_timeout=5) as socket:
            received.append(await socket.recv())

    def run() -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(receive())
        except (OSError, TimeoutError, websockets.WebSocketException):
            pass  # no request variables: the page opens on its default
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="casebook-request")
    thread.start()
    thread.join()
    if received:
        variables = json.loads(received[0])
        env.update({str(k): str(v) for k, v in variables.items()})


def _request_query() -> str:
    if waits_for_request():
        _wait_for_request()
    return os.environ.get("QUERY_STRING", "")


_READING = threading.Lock()  # the cells that wait for the request in threads wait for one reading


@cache
def _read() -> tuple[dict[str, str], list[str]]:
    return parse(_request_query())


def _parsed() -> tuple[dict[str, str], list[str]]:
    """The address, read once: Voilà sends it to the first connection on its query socket only."""
    with _READING:
        return _read()


def query() -> Mapping[str, str]:
    """The parameters of the page's address (empty outside Voilà)."""
    return _parsed()[0]


def problems() -> list[str]:
    """What was ignored of the address as a whole (too long, too many or repeated parameters)."""
    return list(_parsed()[1])


def mode() -> str:
    """« etudiant » (the default) or « enseignant » (`?mode=enseignant`)."""
    chosen = query().get("mode", "")
    return chosen if chosen in MODES else "etudiant"
