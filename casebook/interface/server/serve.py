"""`casebook serve`: standalone Voilà over the notebooks, with the project's `voila.json`,
opening the accueil page, from any folder (the notebooks, `voila.json` and the template are found
beside the package, in a checkout as in an installed wheel: `casebook.law.paths`). Localhost by
default; `--host`/`--port` to serve a class. The law and the worked cases (the course's too,
`law.course`) are loaded once before Voilà starts, so that every dashboard kernel finds their
snapshot (`casebook.snapshot`) and bad data or a bad course file is reported before the class
arrives.

It also owns the server's lifetime: a port already in use is said before anything starts, and
SIGINT, SIGTERM or SIGHUP stop Voilà and every kernel it started (`stop_server`), so that a
service manager, a container stop or a closed terminal leaves no process behind."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import webbrowser
from pathlib import Path

from ...law import paths
from ...law.course import Folder
from ...law.errors import DataErrors

LANDING = "00_accueil.ipynb"
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))
GRACE = 5.0  # seconds Voilà has to shut its kernels down before they are killed


def project_root() -> Path:
    """The folder holding `notebooks/`, `voila.json` and the template: the checkout, or the copy
    an installed wheel carries."""
    root = paths.project_root()
    missing = [name for name in ("notebooks", "voila.json") if not (root / name).exists()]
    if missing:
        raise paths.MissingFiles(f"{' et '.join(missing)} introuvable(s) dans {root} : "
                                 "réinstallez le casebook.")
    return root


VOILA_MAIN = "casebook.interface.server.voila_main"  # Voilà, its unused memory released every minute


def voila_command(host: str, port: int) -> list[str]:
    """The Voilà command line: configuration comes from voila.json in the project root."""
    return [sys.executable, "-m", VOILA_MAIN, "notebooks", "--no-browser",
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


def port_problem(host: str, port: int) -> str | None:
    """Why Voilà could not listen on host:port, in one French line; None when it can. Binds every
    address of `host` the way Tornado does (SO_REUSEADDR, IPv6 sockets IPv6-only)."""
    if not 0 < port < 65536:
        return f"Port invalide : {port} (attendu : un nombre de 1 à 65535)."
    try:
        addresses = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        return f"Adresse d'écoute invalide : {host}:{port}."
    for family, kind, proto, _name, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    return (f"Le port {port} est déjà utilisé : arrêtez l'autre serveur "
                            "ou choisissez --port.")
                return f"Impossible d'écouter sur {host}:{port} : {exc.strerror}."
    return None


def _processes() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, start time) of every process, read from /proc (empty without it)."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            table[int(stat.parent.name)] = (int(fields[1]), int(fields[19]))
        except (OSError, IndexError, ValueError):
            continue
    return table


def descendants(pid: int) -> set[tuple[int, int]]:
    """(pid, start time) of every process below `pid`: Voilà's kernels run in sessions of their
    own, so only the process tree finds them."""
    table = _processes()
    children: dict[int, list[int]] = {}
    for child, (parent, _started) in table.items():
        children.setdefault(parent, []).append(child)
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add((child, table[child][1]))
            todo.append(child)
    return found


def stop_server(proc: subprocess.Popen, grace: float = GRACE) -> None:
    """Stop `proc` and everything it started: SIGTERM to it (Voilà then shuts its kernels down),
    at most `grace` seconds, then SIGKILL to its process group when it leads one and to each of
    its descendants still running (the same process: pid and start time both match)."""
    tree = descendants(proc.pid)
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            tree |= descendants(proc.pid)
            with contextlib.suppress(ProcessLookupError):
                if os.getpgid(proc.pid) == proc.pid:
                    os.killpg(proc.pid, signal.SIGKILL)
            proc.kill()
            proc.wait()
    now = _processes()
    for pid, started in tree:
        if now.get(pid, (0, None))[1] == started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


class _Stop(Exception):
    """A stop signal arrived while Voilà runs."""


def run_voila(cmd: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Run Voilà in a session of its own until it exits (its exit code) or until this process
    gets a stop signal (0, after `stop_server`). Only the first signal raises: a second Ctrl+C
    does not interrupt the stop."""
    received: list[int] = []
    armed = False

    def on_signal(signum: int, _frame: object) -> None:
        received.append(signum)
        if armed and len(received) == 1:
            raise _Stop

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    try:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, start_new_session=True)
        try:
            armed = True
            if received:
                raise _Stop
            return proc.wait()
        except _Stop:
            stop_server(proc)
            return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def prepare(folder: Folder | None = None) -> list[str]:
    """Load and check the knowledge base, the worked cases and those of the course `folder` (by
    default the one `law.course` finds), DataErrors when anything is wrong, leaving their
    snapshots; return what to say about the course."""
    from ... import load
    from ...law import course
    from ...law.scenarios import check
    from ..ui import builtin_scenarios

    kb, builtins = load(), builtin_scenarios()
    folder = folder or course.locate()
    if folder is None:
        return []
    cases = course.cases(kb, builtins, folder)
    lines = [f"Cas du cours : {len(cases)} cas, dossier {folder.describe()}"]
    for mismatch in check(kb, list(cases)).mismatches:
        lines.append(f"Attention : {mismatch.scenario.ref} — {mismatch.expectation.provision} : le "
                     f"moteur répond « {mismatch.verdict.outcome} », le cas attend « "
                     f"{mismatch.expectation.outcome} » ; les étudiant·es verront la réponse du moteur.")
    return lines


def serve(host: str = "127.0.0.1", port: int = 8866, open_browser: bool = True,
          course: Path | None = None) -> int:
    """Run Voilà until it stops or is stopped; return its exit code, or 2 when host:port is
    taken or cannot be listened on. The course folder (`course`, else the usual places: see
    `law.course`) is handed to the kernels through CASEBOOK_COURS; with an error in it, or in
    the data, nothing starts."""
    from ...law import course as course_folder

    problem = port_problem(host, port)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    root = project_root()
    folder = course_folder.locate(course)
    if folder is not None:
        os.environ[course_folder.ENV] = str(folder.path)
    try:
        said = prepare(folder)
    except DataErrors:
        print("Le casebook ne démarre pas : corrigez d'abord ces erreurs (fichier, ligne, ce qui "
              "était attendu).", file=sys.stderr)
        raise
    for line in said or ():
        print(line, flush=True)
    url = landing_url(host, port)
    print(f"Casebook du secret professionnel : {url}\n(Ctrl+C pour arrêter)", flush=True)
    if open_browser and not os.environ.get("CI"):
        threading.Thread(target=lambda: (time.sleep(3), webbrowser.open(url)), daemon=True).start()
    return run_voila(voila_command(host, port), root, voila_env(root))
