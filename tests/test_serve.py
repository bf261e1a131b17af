"""casebook.interface.serve: the README's run command. The browser tests start it for real; here, what it
does before Voilà starts and the command line it gives Voilà."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from casebook import DataError, DataErrors, cli
from casebook.interface import serve


def test_voila_command_serves_the_notebooks_with_the_checked_in_configuration():
    cmd = serve.voila_command("0.0.0.0", 9000)
    assert cmd[1:4] == ["-m", "voila", "notebooks"]
    assert "--Voila.ip=0.0.0.0" in cmd and "--port=9000" in cmd and "--no-browser" in cmd
    assert not [a for a in cmd if "template" in a or "theme" in a or "strip_sources" in a]  # voila.json


@pytest.mark.parametrize(("host", "shown"), [("127.0.0.1", "localhost"), ("0.0.0.0", "localhost"),
                                             ("10.0.0.5", "10.0.0.5")])
def test_landing_url_opens_the_accueil(host, shown):
    assert serve.landing_url(host, 8866) == f"http://{shown}:8866/voila/render/00_accueil.ipynb"


def test_serve_prepares_the_snapshots_before_voila_starts(monkeypatch, capsys):
    steps = []
    monkeypatch.setattr(serve, "prepare", lambda: steps.append("prepare"))
    monkeypatch.setattr(serve.subprocess, "call", lambda cmd, cwd: steps.append(("voila", cwd)) or 0)
    assert cli.main(["serve", "--no-browser", "--port", "9001"]) == 0
    assert steps == ["prepare", ("voila", serve.project_root())]
    assert "http://localhost:9001/voila/render/00_accueil.ipynb" in capsys.readouterr().out


def test_bad_data_stops_serve_with_a_clear_message_before_voila(monkeypatch, capsys):
    def broken():
        raise DataErrors([DataError("data/facts.yaml", "facts[3].type", "attendu : bool, choice ou date",
                                    12)])

    monkeypatch.setattr(serve, "prepare", broken)
    monkeypatch.setattr(serve.subprocess, "call", lambda *a, **k: pytest.fail("Voilà ne doit pas démarrer"))
    assert cli.main(["serve", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "erreur : data/facts.yaml, ligne 12 (facts[3].type) : attendu : bool, choice ou date" in err
    assert "Traceback" not in err


def test_prepare_leaves_both_snapshots(tmp_path):
    env = {**os.environ, "CASEBOOK_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", "from casebook.interface import serve; serve.prepare()"], env=env,
                   check=True, timeout=120)
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir()) == ["knowledge", "scenarios"]
