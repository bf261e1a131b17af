"""casebook.interface.server.serve: the README's run command. The browser tests start it for real;
here, what it does before Voilà starts, the command line it gives Voilà, a port already in use, and
its stop: a signal leaves no process of the server (Voilà, its kernels) behind."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from casebook import DataError, DataErrors, cli
from casebook.interface.server import serve
from casebook.law import paths

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_COURSE = ROOT / "docs" / "exemple-cours"
CASEBOOK = Path(sys.executable).with_name("casebook")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _busy(port: int) -> str:
    return f"Le port {port} est déjà utilisé : arrêtez l'autre serveur ou choisissez --port."


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def busy_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def test_voila_command_serves_the_notebooks_with_the_checked_in_configuration():
    cmd = serve.voila_command("0.0.0.0", 9000)
    assert cmd[1:4] == ["-m", "casebook.interface.server.voila_main", "notebooks"]
    assert "--Voila.ip=0.0.0.0" in cmd and "--port=9000" in cmd and "--no-browser" in cmd
    assert not [a for a in cmd if "template" in a or "theme" in a or "strip_sources" in a]  # voila.json


@pytest.mark.parametrize(("host", "shown"), [("127.0.0.1", "localhost"), ("0.0.0.0", "localhost"),
                                             ("10.0.0.5", "10.0.0.5")])
def test_landing_url_opens_the_accueil(host, shown):
    assert serve.landing_url(host, 8866) == f"http://{shown}:8866/voila/render/00_accueil.ipynb"


def test_serve_prepares_the_snapshots_before_voila_starts(monkeypatch, capsys):
    steps = []
    monkeypatch.setattr(serve, "port_problem", lambda host, port: steps.append(("port", host, port)))
    monkeypatch.setattr(serve, "prepare", lambda folder=None: steps.append("prepare"))
    monkeypatch.setattr(serve, "run_voila", lambda cmd, cwd, env: steps.append(("voila", cwd)) or 0)
    assert cli.main(["serve", "--no-browser", "--port", "9001"]) == 0
    assert steps == [("port", "127.0.0.1", 9001), "prepare", ("voila", serve.project_root())]
    assert "http://localhost:9001/voila/render/00_accueil.ipynb" in capsys.readouterr().out


def test_an_installation_without_notebooks_is_said_before_voila(monkeypatch, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "facts.yaml").write_text("facts: []\n")
    monkeypatch.setattr(paths, "_PACKAGE_DIR", tmp_path / "casebook")
    with pytest.raises(paths.MissingFiles, match=r"^notebooks et voila\.json introuvable"):
        serve.project_root()


def test_bad_data_stops_serve_with_a_clear_message_before_voila(monkeypatch, capsys):
    def broken(folder=None):
        raise DataErrors([DataError("data/facts.yaml", "facts[3].type", "attendu : bool, choice ou date",
                                    12)])

    monkeypatch.setattr(serve, "port_problem", lambda host, port: None)
    monkeypatch.setattr(serve, "prepare", broken)
    monkeypatch.setattr(serve, "run_voila", lambda *a, **k: pytest.fail("Voilà ne doit pas démarrer"))
    assert cli.main(["serve", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "erreur : data/facts.yaml, ligne 12 (facts[3].type) : attendu : bool, choice ou date" in err
    assert "Traceback" not in err


def test_prepare_leaves_every_snapshot(tmp_path):
    env = {**os.environ, "CASEBOOK_CACHE_DIR": str(tmp_path)}
    env.pop("CASEBOOK_COURS")
    subprocess.run([sys.executable, "-c", "from casebook.interface.server import serve; serve.prepare()"],
                   env=env, check=True, timeout=120)
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir()) == ["knowledge", "scenarios"]
    env["CASEBOOK_COURS"] = str(EXAMPLE_COURSE)
    subprocess.run([sys.executable, "-c", "from casebook.interface.server import serve; serve.prepare()"],
                   env=env, check=True, timeout=120)
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir()) == ["course", "knowledge", "scenarios"]


def test_port_problem_is_none_for_a_free_port():
    assert serve.port_problem("127.0.0.1", _free_port()) is None


def test_port_problem_names_a_busy_port_in_french(busy_port):
    assert serve.port_problem("127.0.0.1", busy_port) == _busy(busy_port)
    assert serve.port_problem("0.0.0.0", busy_port) == _busy(busy_port)


@pytest.mark.parametrize("port", [0, 70000, -1])
def test_port_problem_refuses_a_port_out_of_range(port):
    expected = f"Port invalide : {port} (attendu : un nombre de 1 à 65535)."
    assert serve.port_problem("127.0.0.1", port) == expected


def test_serve_on_a_busy_port_says_so_in_one_french_line_and_exits_2(busy_port):
    result = subprocess.run([str(CASEBOOK), "serve", "--no-browser", "--port", str(busy_port)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [_busy(busy_port)]
    assert result.stdout == ""  # checked first: nothing prepared, no Voilà started


def test_stop_server_kills_what_a_signal_does_not_stop(tmp_path):
    script = tmp_path / "stubborn.py"
    script.write_text("import signal, subprocess, sys, time\n"
                      "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                      "if sys.argv[1:] == ['parent']:\n"
                      "    child = subprocess.Popen([sys.executable, __file__], start_new_session=True)\n"
                      "    print(child.pid, flush=True)\n"
                      "time.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, str(script), "parent"], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    child = psutil.Process(int(proc.stdout.readline()))  # in a session of its own, like a kernel
    proc.stdout.close()
    serve.stop_server(proc, grace=1)
    assert proc.returncode == -signal.SIGKILL
    _gone, alive = psutil.wait_procs([child], timeout=5)
    assert not [p for p in alive if _running(p)]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_stops_voila_and_every_kernel_within_10_s(signum, tmp_path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with open(tmp_path / "serve.log", "w") as log:
        proc = subprocess.Popen([str(CASEBOOK), "serve", "--no-browser", f"--port={port}"], cwd=ROOT,
                                stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                urllib.request.urlopen(f"{url}/voila/tree", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "casebook serve did not start within 120 s"
                time.sleep(0.5)
        kernel_ids = []
        for name in ("01_art458.ipynb", "03_secret_partage.ipynb"):  # Voilà runs each in a kernel
            with urllib.request.urlopen(f"{url}/voila/render/{name}", timeout=180) as response:
                kernel_ids += re.findall(r'"kernelId": "([0-9a-f-]{36})"', response.read().decode())
        second = subprocess.run([str(CASEBOOK), "serve", "--no-browser", f"--port={port}"], cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
        assert (second.returncode, second.stderr.strip()) == (2, _busy(port))
        tree = psutil.Process(proc.pid).children(recursive=True)
        commands = [" ".join(p.cmdline()) for p in tree]
        assert len(kernel_ids) == 2
        assert all(any(k in c and "ipykernel" in c for c in commands) for k in kernel_ids), commands
        assert any(f"-m {serve.VOILA_MAIN}" in c for c in commands)
        start = time.monotonic()
        proc.send_signal(signum)
        assert proc.wait(timeout=10) == 0
        _gone, alive = psutil.wait_procs(tree, timeout=max(0.1, 10 - (time.monotonic() - start)))
        assert not [p for p in alive if _running(p)], [" ".join(p.cmdline()) for p in alive]
    finally:
        serve.stop_server(proc)  # nothing left behind, even by a failing test


# -- the course folder --------------------------------------------------------------------------


def _course(tmp_path: Path, old: str = "", new: str = "") -> Path:
    folder = tmp_path / "cours"
    folder.mkdir()
    text = (EXAMPLE_COURSE / "stages.yaml").read_text(encoding="utf-8")
    (folder / "stages.yaml").write_text(text.replace(old, new, 1) if old else text, encoding="utf-8")
    return folder


def _no_voila(monkeypatch, started: list) -> None:
    monkeypatch.setattr(serve, "port_problem", lambda host, port: None)
    monkeypatch.setattr(serve, "run_voila", lambda cmd, cwd, env: started.append(env) or 0)


def test_serve_hands_the_course_folder_to_the_kernels_and_says_what_it_loaded(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("CASEBOOK_COURS", str(tmp_path / "ignoré"))  # --cours wins; restored afterwards
    started: list = []
    _no_voila(monkeypatch, started)
    monkeypatch.chdir(tmp_path)
    _course(tmp_path)
    assert cli.main(["serve", "--no-browser", "--cours", "cours"]) == 0
    assert started[0]["CASEBOOK_COURS"] == str(tmp_path / "cours")
    out = capsys.readouterr().out
    assert f"Cas du cours : 3 cas, dossier {tmp_path / 'cours'} (option --cours)" in out
    assert "Attention" not in out


def test_a_bad_course_file_stops_serve_with_its_line_before_voila(monkeypatch, capsys, tmp_path):
    folder = _course(tmp_path, "capacity: stagiaire", "capacity: astronaute")
    monkeypatch.setenv("CASEBOOK_COURS", str(folder))
    _no_voila(monkeypatch, started := [])
    assert cli.main(["serve", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Le casebook ne démarre pas : corrigez d'abord ces erreurs")
    assert f"erreur : {tmp_path / 'cours' / 'stages.yaml'}, ligne 16 (cases[0].facts.capacity)" in err
    assert started == [] and "Traceback" not in err


def test_a_course_case_the_engine_answers_otherwise_is_served_with_a_warning(monkeypatch, capsys, tmp_path):
    folder = _course(tmp_path, "secret_partage: {outcome: faculte_de_partager}",
                     "secret_partage: {outcome: obligation_de_se_taire}")
    monkeypatch.setenv("CASEBOOK_COURS", str(folder))
    _no_voila(monkeypatch, started := [])
    assert cli.main(["serve", "--no-browser"]) == 0 and started
    out = capsys.readouterr().out
    assert ("Attention : " in out and "#exemple-stage-psychologue-accord — secret_partage : le moteur répond "
            "« faculte_de_partager », le cas attend « obligation_de_se_taire »" in out)
