"""The casebook served the ways schools deploy it, started for the browser tests:

- `casebook serve` of a package installed in another environment, run from any folder;
- `jupyter server` with Voilà as a server extension under a URL prefix, protected by a token, as
  Binder and JupyterHub run it;
- a JupyterHub configured by docs/jupyterhub_config.py, with its proxy from .venv/node_modules.

Each waits until its server answers, logs to test-artifacts/, and is stopped with
`conftest.stop` (which checks that no process is left)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from .conftest import ARTIFACTS, ROOT, stop

PREFIX = "/user/etudiant/"
NODE_BIN = ROOT / ".venv" / "node_modules" / ".bin"
PROXY = NODE_BIN / "configurable-http-proxy"
HUB_CONFIG = ROOT / "docs" / "jupyterhub_config.py"
TEMPLATES = ROOT / "share" / "jupyter"


def start(cmd: list[str], *, cwd: Path, env: dict[str, str], ready: str, log: str,
          timeout: float = 120, wanted: range = range(200, 500)) -> subprocess.Popen:
    """Start `cmd` and wait until `ready` answers over HTTP with a status in `wanted` (by default
    any but a server error: a proxy answers 503 until the server behind it is up)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = open(ARTIFACTS.parent / log, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{cmd[0]} stopped; see {out.name}")
        try:
            urllib.request.urlopen(ready, timeout=5)
            return proc
        except urllib.error.HTTPError as answer:
            if answer.code in wanted:
                return proc
            time.sleep(0.5)
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise RuntimeError(f"{cmd[0]} did not answer within {timeout:.0f} s; see {out.name}")


def environment(venv: Path, **extra: str) -> dict[str, str]:
    """This process's environment with `venv`'s commands first on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "JUPYTER_PATH")}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    return env | extra


def as_root() -> list[str]:
    """A Jupyter server refuses to run as root without --allow-root (CI runs as root)."""
    return ["--allow-root"] if os.geteuid() == 0 else []


def serve_installed(venv: Path, folder: Path, port: int) -> subprocess.Popen:
    """`casebook serve` of the package installed in `venv`, started from `folder`."""
    return start([str(venv / "bin" / "casebook"), "serve", "--no-browser", f"--port={port}"],
                 cwd=folder, env=environment(venv), ready=f"http://127.0.0.1:{port}/voila/tree",
                 log=f"installed-serve-{port}.log")


def jupyter_server(venv: Path, root_dir: Path, cwd: Path, port: int, token: str,
                   **env: str) -> subprocess.Popen:
    """`jupyter server` of `venv` serving `root_dir` under PREFIX, Voilà as its extension."""
    cmd = [str(venv / "bin" / "python"), "-m", "jupyter_server", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--ServerApp.open_browser=False",
           f"--ServerApp.base_url={PREFIX}", f"--ServerApp.root_dir={root_dir}",
           f"--IdentityProvider.token={token}", *as_root()]
    return start(cmd, cwd=cwd, env=environment(venv, **env), ready=f"http://127.0.0.1:{port}{PREFIX}api",
                 log=f"jupyter-server-{port}.log")


def proxy_problem() -> str | None:
    """Why JupyterHub's proxy cannot run here, in one line; None when it can."""
    if not PROXY.exists():
        return (f"configurable-http-proxy absent de {PROXY.parent} : `make test` l'installe avec npm "
                "(installez Node.js et npm, puis relancez `make test`).")
    if shutil.which("node") is None:
        return "Node.js absent : configurable-http-proxy en a besoin (installez le paquet nodejs)."
    return None


def jupyterhub(venv: Path, state: Path, ports: dict[str, int]) -> subprocess.Popen:
    """JupyterHub of docs/jupyterhub_config.py, its state and users' folders in `state`; the
    single-user servers use the checkout's template (an editable install's copy may be older)."""
    env = environment(venv, CASEBOOK_HUB_DIR=str(state), CASEBOOK_HUB_PORT=str(ports["hub"]),
                      CASEBOOK_HUB_API_PORT=str(ports["api"]), CASEBOOK_PROXY_API_PORT=str(ports["proxy"]))
    env["PATH"] = os.pathsep.join([str(NODE_BIN), env["PATH"]])
    cmd = [str(venv / "bin" / "jupyterhub"), "-f", str(HUB_CONFIG),
           f"--Spawner.environment=JUPYTER_PATH={TEMPLATES}"]
    # The hub's proxy answers 404 until the hub has given it its routes: only the hub's own
    # answer (200) says that a student's link will reach it.
    return start(cmd, cwd=state, env=env, ready=f"http://127.0.0.1:{ports['hub']}/hub/api",
                 log=f"jupyterhub-{ports['hub']}.log", wanted=range(200, 300))
