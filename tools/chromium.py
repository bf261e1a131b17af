"""Finds the Chromium that the browser tests drive, before `make test` runs any test: the one
named by CASEBOOK_CHROMIUM, else Debian's `chromium` on PATH; when there is none and the user is
root on Debian, installs the Debian package with apt-get; otherwise says in one French line what
to install and exits 1, so that no test runs (rather than every browser test failing alone).
The browser tests look for it the same way (tests/browser/conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

INSTALL = [["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]]
ADVICE = ("Les tests de navigateur ont besoin de Chromium : installez le paquet Debian « chromium » "
          "(sudo apt-get install chromium) ou donnez le chemin d'un Chromium dans CASEBOOK_CHROMIUM, "
          "puis relancez make test.")


def found(env: dict[str, str], which: Callable[[str], str | None]) -> str | None:
    """The Chromium to use, or None: CASEBOOK_CHROMIUM when it names a file, else `chromium`."""
    chosen = env.get("CASEBOOK_CHROMIUM", "")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    return which("chromium")


def can_install(euid: int, debian: bool, which: Callable[[str], str | None]) -> bool:
    """Whether this process may install Debian's package itself: root on Debian, with apt-get."""
    return euid == 0 and debian and which("apt-get") is not None


def main() -> int:
    env = dict(os.environ)
    if found(env, shutil.which):
        return 0
    if env.get("CASEBOOK_CHROMIUM"):
        print(f"CASEBOOK_CHROMIUM ne désigne aucun fichier ({env['CASEBOOK_CHROMIUM']}). {ADVICE}")
        return 1
    if not can_install(os.geteuid(), Path("/etc/debian_version").is_file(), shutil.which):
        print(ADVICE)
        return 1
    print("Chromium absent : installation du paquet Debian chromium (apt-get)…", flush=True)
    quiet = {**env, "DEBIAN_FRONTEND": "noninteractive"}
    for command in INSTALL:
        if subprocess.run(command, env=quiet, check=False).returncode != 0:
            print(f"L'installation de Chromium a échoué ({' '.join(command)}). {ADVICE}")
            return 1
    return 0 if found(env, shutil.which) else 1


if __name__ == "__main__":
    sys.exit(main())
