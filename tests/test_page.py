"""The page's address: parsed once and bounded; in a preheated kernel it is received from Voilà's
query socket without importing the `voila` package (whose import costs a pooled kernel seconds)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading

import websockets

from casebook.interface.blocks import page

_READ = ("import sys; from casebook.interface.blocks import page; "
         "print(dict(page.query())); print('voila' in sys.modules)")


def test_parse_keeps_the_first_value_and_says_what_it_ignored():
    params, ignored = page.parse("?cas=a&cas=b&date=2020-01-01")
    assert params == {"cas": "a", "date": "2020-01-01"} and ignored == ["paramètre « cas » répété"]
    assert page.parse("x=" + "a" * page.MAX_QUERY)[0] == {}
    assert page.parse("&".join(f"p{i}=1" for i in range(page.MAX_PARAMETERS + 1)))[0] == {}


def _serve_one_request(port: int, variables: dict[str, str], seen: list[str], ready: threading.Event):
    async def handler(connection):
        seen.append(connection.request.path)
        await connection.send(json.dumps(variables))

    async def main():
        async with websockets.serve(handler, "127.0.0.1", port):
            ready.set()
            while not seen:
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.2)

    asyncio.run(main())


def test_a_preheated_kernel_receives_its_address_from_voila_without_importing_voila():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    seen: list[str] = []
    ready = threading.Event()
    server = threading.Thread(target=_serve_one_request,
                              args=(port, {"QUERY_STRING": "cas=x&mode=enseignant"}, seen, ready),
                              daemon=True)
    server.start()
    ready.wait(10)
    env = {**os.environ, "VOILA_PREHEAT": "True", "VOILA_APP_PORT": str(port), "VOILA_KERNEL_ID": "k-1",
           "VOILA_SERVER_URL": "/"}
    env.pop("QUERY_STRING", None)
    out = subprocess.run([sys.executable, "-c", _READ], env=env, capture_output=True, text=True, timeout=60)
    server.join(10)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["{'cas': 'x', 'mode': 'enseignant'}", "False"]
    assert seen == ["/voila/query/k-1"]


def test_without_voila_listening_the_page_opens_on_its_default():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "VOILA_PREHEAT": "True", "VOILA_APP_PORT": str(port), "VOILA_KERNEL_ID": "k-1"}
    env.pop("QUERY_STRING", None)
    out = subprocess.run([sys.executable, "-c", _READ], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["{}", "False"]


_THREADS = ("import threading; from casebook.interface.blocks import page; got = []; "
            "ts = [threading.Thread(target=lambda: got.append(dict(page.query()))) for _ in range(3)]; "
            "[t.start() for t in ts]; [t.join() for t in ts]; print(got)")


def test_cells_waiting_in_threads_share_one_reading_of_the_address():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    seen: list[str] = []
    ready = threading.Event()
    server = threading.Thread(target=_serve_one_request,
                              args=(port, {"QUERY_STRING": "sujet=cours"}, seen, ready), daemon=True)
    server.start()
    ready.wait(10)
    env = {**os.environ, "VOILA_PREHEAT": "True", "VOILA_APP_PORT": str(port), "VOILA_KERNEL_ID": "k-2",
           "VOILA_SERVER_URL": "/"}
    env.pop("QUERY_STRING", None)
    out = subprocess.run([sys.executable, "-c", _THREADS], env=env, capture_output=True, text=True,
                         timeout=60)
    server.join(10)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str([{"sujet": "cours"}] * 3)
    assert seen == ["/voila/query/k-2"]
