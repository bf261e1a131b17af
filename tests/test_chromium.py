"""tools/chromium.py, run by `make test` before any test: which Chromium the browser tests get,
when it may install Debian's package itself, and the one French line otherwise."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("chromium_finder", ROOT / "tools" / "chromium.py")
chromium = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(chromium)


def _which(*present: str):
    return lambda name: f"/usr/bin/{name}" if name in present else None


def test_debians_chromium_on_path_is_found():
    assert chromium.found({}, _which("chromium")) == "/usr/bin/chromium"
    assert chromium.found({}, _which()) is None


def test_casebook_chromium_names_the_browser_only_when_it_exists(tmp_path):
    browser = tmp_path / "chrome"
    browser.write_text("")
    assert chromium.found({"CASEBOOK_CHROMIUM": str(browser)}, _which("chromium")) == str(browser)
    assert chromium.found({"CASEBOOK_CHROMIUM": str(tmp_path / "absent")}, _which("chromium")) is None


def test_only_root_on_debian_with_apt_get_installs_the_package():
    assert chromium.can_install(0, True, _which("apt-get"))
    assert not chromium.can_install(1000, True, _which("apt-get"))
    assert not chromium.can_install(0, False, _which("apt-get"))
    assert not chromium.can_install(0, True, _which())
    assert chromium.INSTALL[-1][-1] == "chromium"


def test_a_missing_browser_is_said_in_one_french_line_and_stops(tmp_path):
    env = {"PATH": "/nonexistent", "CASEBOOK_CHROMIUM": str(tmp_path / "absent")}
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "chromium.py")], env=env,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert len(run.stdout.splitlines()) == 1 and "installez le paquet Debian « chromium »" in run.stdout
    assert run.stderr == ""


def test_a_present_browser_says_nothing(tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("")
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "chromium.py")],
                         env={"CASEBOOK_CHROMIUM": str(browser)}, capture_output=True, text=True, check=False)
    assert run.returncode == 0 and run.stdout == ""
