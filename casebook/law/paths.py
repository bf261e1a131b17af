"""Where the knowledge base lives: `data/` beside the package (source or editable install)
or `casebook/_data` inside an installed wheel. Never the current directory."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # casebook/


def data_dir() -> Path:
    """Return the folder holding provisions, facts, tables, schemas and scenarios."""
    for candidate in (_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent / "data"):
        if (candidate / "facts.yaml").is_file():
            return candidate
    raise FileNotFoundError(
        "Dossier de données introuvable : ni casebook/_data ni data/ à côté du paquet."
    )


def display_path(path: Path) -> str:
    """A path as shown in messages: relative to the project root when it lies inside it."""
    path = Path(path).resolve()
    root = data_dir().parent
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
