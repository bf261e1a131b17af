"""The casebook installed as a package (`pip install .`, not editable, in a fresh environment)
and served by `casebook serve` from an empty folder: the accueil leads to an explorer that shows
the engine's verdict, with the casebook's template, and nothing is written in that folder."""

from __future__ import annotations

import pytest

from .conftest import free_port, stop
from .deployments import serve_installed
from .visits import accueil_to_explorer, explorer_case


@pytest.fixture(scope="module")
def served(installed_env, tmp_path_factory):
    """The address of the dashboards and the empty folder `casebook serve` was started from."""
    folder = tmp_path_factory.mktemp("dossier-vide")
    port = free_port()
    proc = serve_installed(installed_env, folder, port)
    yield f"http://127.0.0.1:{port}/voila/render/", folder
    stop(proc)


def test_the_accueil_of_the_installed_package_leads_to_an_explorer(offline, served):
    pages, folder = served
    accueil_to_explorer(offline, pages)
    assert list(folder.iterdir()) == []


def test_an_explorer_of_the_installed_package_shows_the_verdict_of_its_case(offline, served):
    pages, _folder = served
    explorer_case(offline, pages)
