"""docs/deploiement.md says which test runs which way of deploying the casebook: every test file
it names exists, and the JupyterHub configuration it gives is the file the JupyterHub test runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "deploiement.md").read_text(encoding="utf-8")


def test_every_test_the_deployment_guide_names_exists():
    named = set(re.findall(r"`(tests/[\w/]+\.py)`", DOC))
    assert {"tests/browser/test_prefix.py", "tests/browser/test_jupyterhub.py",
            "tests/browser/test_installed.py", "tests/test_packaging.py"} <= named
    missing = sorted(name for name in named if not (ROOT / name).is_file())
    assert missing == []


def test_the_guides_jupyterhub_configuration_is_the_tested_one():
    assert "[`jupyterhub_config.py`](jupyterhub_config.py)" in DOC
    hub_test = (ROOT / "tests" / "browser" / "deployments.py").read_text(encoding="utf-8")
    assert 'HUB_CONFIG = ROOT / "docs" / "jupyterhub_config.py"' in hub_test
    assert 'c.Spawner.default_url = "/voila/render/casebook/notebooks/00_accueil.ipynb"' in (
        ROOT / "docs" / "jupyterhub_config.py").read_text(encoding="utf-8")
    assert "urlpath=voila%2Frender%2Fcasebook%2Fnotebooks%2F00_accueil.ipynb" in DOC
    assert "defaultUrl: /voila/render/casebook/notebooks/00_accueil.ipynb" in DOC
