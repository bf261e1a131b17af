"""`casebook serve`: standalone Voilà over the notebooks, with the checked-in `voila.json`,
opening the accueil page. Localhost by default; `--host`/`--port` to serve a class. The law and
the worked cases are loaded once before Voilà starts, so that every dashboard kernel finds their
snapshot (`casebook.snapshot`) and bad data is reported before the class arrives."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import webbrowser
from pathlib import Path

from ..law.paths import data_dir

LANDING = "00_accueil.ipynb"


def project_root() -> Path:
    """The folder holding `notebooks/` and `voila.json` (the source checkout)."""
    root = data_dir().parent
    if not (root / "notebooks").is_dir():
        raise FileNotFoundError("Dossier notebooks/ introuvable : lancez le casebook depuis le dépôt cloné.")
    return root


def voila_command(host: str, port: int) -> list[str]:
    """The Voilà command line: configuration comes from voila.json in the project root."""
    return [sys.executable, "-m", "voila", "notebooks", "--no-browser",
            f"--Voila.ip={host}", f"--port={port}", "--Voila.port_retries=0",
            "--ServerApp.token=", "--Voila.token="]


def landing_url(host: str, port: int) -> str:
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    return f"http://{shown}:{port}/voila/render/{LANDING}"


def voila_env(root: Path) -> dict[str, str]:
    """The environment of Voilà: the checkout's own template comes first, so that an editable
    install never serves a stale copy of it."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(root / "share" / "jupyter"),
                                                      env.get("JUPYTER_PATH", "")) if p)
    return env


def prepare() -> None:
    """Load and check the knowledge base and the worked cases, leaving their snapshots."""
    from .. import load
    from .ui import scenarios

    load()
    scenarios()


def serve(host: str = "127.0.0.1", port: int = 8866, open_browser: bool = True) -> int:
    """Run Voilà until interrupted; return its exit code."""
    root = project_root()
    prepare()
    url = landing_url(host, port)
    print(f"Casebook du secret professionnel : {url}\n(Ctrl+C pour arrêter)", flush=True)
    if open_browser and not os.environ.get("CI"):
        threading.Thread(target=lambda: (time.sleep(3), webbrowser.open(url)), daemon=True).start()
    try:
        return subprocess.call(voila_command(host, port), cwd=root, env=voila_env(root))
    except KeyboardInterrupt:
        return 0
