"""casebook.law.paths: the project's files are found beside the package, never in the current
folder: casebook/_project in an installed wheel first, else the checkout; a missing installation
is said in French."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.law import paths

ROOT = Path(__file__).resolve().parent.parent


def _project(folder: Path) -> Path:
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "facts.yaml").write_text("facts: []\n")
    return folder


def test_in_a_checkout_the_root_holds_data_notebooks_configuration_and_template(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the current folder plays no part
    root = paths.project_root()
    assert root == ROOT
    assert paths.data_dir() == ROOT / "data"
    assert (root / "notebooks" / "00_accueil.ipynb").is_file() and (root / "voila.json").is_file()
    assert (root / "share" / "jupyter" / "voila" / "templates" / "casebook" / "index.html.j2").is_file()


def test_an_installed_wheels_copy_comes_before_a_checkout(monkeypatch, tmp_path):
    package = tmp_path / "site" / "casebook"
    installed = _project(package / paths.INSTALLED)
    _project(tmp_path / "site")  # a data/ folder beside the package, as in a checkout
    monkeypatch.setattr(paths, "_PACKAGE_DIR", package)
    assert paths.project_root() == installed
    assert paths.data_dir() == installed / "data"
    assert paths.display_path(installed / "data" / "facts.yaml") == "data/facts.yaml"


def test_without_data_the_message_says_to_reinstall(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "_PACKAGE_DIR", tmp_path / "casebook")
    with pytest.raises(paths.MissingFiles, match=r"Dossier de données introuvable.*réinstallez le casebook"):
        paths.project_root()


def test_display_path_keeps_a_path_outside_the_project_whole(tmp_path):
    assert paths.display_path(tmp_path / "x.yaml") == (tmp_path / "x.yaml").resolve().as_posix()
    assert paths.display_path(ROOT / "data" / "facts.yaml") == "data/facts.yaml"
