"""Where the casebook's files live, whatever the current directory.

The project root holds `data/` (the knowledge base), `notebooks/` (the dashboards), `voila.json`
and `share/jupyter/` (the Voilà template). In a source checkout or an editable install it is the
checkout itself (the folder above the package); an installed wheel carries the same layout inside
the package, as `casebook/_project/` (see pyproject.toml). Every other folder the casebook reads
(an instructor's course folder, for instance) can be found from `project_root()` the same way in
both cases. Never the current directory."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # casebook/
INSTALLED = "_project"  # the project's files inside an installed wheel: casebook/_project/


class MissingFiles(FileNotFoundError):
    """A file or folder of the project is missing: the installation is incomplete (the message
    says which, in French)."""


def project_root() -> Path:
    """The folder holding data/, notebooks/, voila.json and share/: casebook/_project in an
    installed wheel, else the checkout the package was imported from."""
    for candidate in (_PACKAGE_DIR / INSTALLED, _PACKAGE_DIR.parent):
        if (candidate / "data" / "facts.yaml").is_file():
            return candidate
    raise MissingFiles(
        f"Dossier de données introuvable : ni casebook/{INSTALLED}/data ni data/ à côté du paquet "
        "(réinstallez le casebook)."
    )


def data_dir() -> Path:
    """Return the folder holding provisions, facts, tables, schemas and scenarios."""
    return project_root() / "data"


def display_path(path: Path) -> str:
    """A path as shown in messages: relative to the project root when it lies inside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to(project_root()).as_posix()
    except ValueError:
        return path.as_posix()
