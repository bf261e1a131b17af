"""The published Binder environment: its pins satisfy pyproject.toml, and an environment built
from binder/ alone (as repo2docker would, as far as this machine allows) runs every notebook
under strict nbval and renders the accueil in Voilà."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import tomllib
import urllib.request
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from casebook.interface.server.serve import stop_server

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and line != ".":
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_requirements_end_with_the_project_itself_and_pin_exactly():
    lines = [ln.strip() for ln in (BINDER / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines[-1] == "."
    assert all("==" in ln for ln in lines[:-1])
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"


def test_every_runtime_dependency_is_pinned_within_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = _pins()
    for spec in project["dependencies"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not pinned in binder/requirements.txt"
        assert req.specifier.contains(pins[name]), f"{req.name}=={pins[name]} is outside {req.specifier}"


def test_binder_environment_runs_every_notebook_under_strict_nbval(installed_env, tmp_path):
    """`installed_env` is the Binder environment: binder/requirements.txt alone."""
    python = installed_env / "bin" / "python"
    probe = subprocess.run([str(python), "-c", "import casebook, sys; print(casebook.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True)
    assert str(installed_env) in probe.stdout, "the casebook must come from the Binder environment"
    result = subprocess.run([str(python), "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider",
                             str(ROOT / "notebooks")], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_binder_environment_renders_the_accueil_in_voila(installed_env):
    port = _free_port()
    proc = subprocess.Popen([str(installed_env / "bin" / "python"), "-m", "voila", "notebooks",
                             "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", "--ServerApp.token="],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        html = ""
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/00_accueil.ipynb",
                                            timeout=120) as response:
                    html = response.read().decode()
                break
            except OSError:
                time.sleep(1)
        assert "Accueil" in html and "from casebook" not in html
        assert "cdn.jsdelivr.net" not in html  # the casebook template came with the package
    finally:
        stop_server(proc, grace=30)


def test_readme_badges_open_existing_pages_on_binder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    urlpaths = re.findall(r"mybinder\.org/v2/gh/[^)\s]+\?urlpath=([^)\s]+)", readme)
    assert len(urlpaths) == 2
    voila, lab = urlpaths
    assert voila.startswith("voila/render/") and lab.startswith("lab/tree/")
    for path in (voila.removeprefix("voila/render/"), lab.removeprefix("lab/tree/")):
        assert (ROOT / path).is_file(), path
