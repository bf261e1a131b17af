"""An instructor's course folder: scenario files of their own, served to the class next to the
casebook's worked cases.

Which folder (`locate`): the one given on the command line (`casebook serve --cours DOSSIER`,
`casebook check --cours DOSSIER`), else the environment variable CASEBOOK_COURS (Binder,
JupyterHub, a service manager), else a `cours/` folder at the root of the repository checkout
when there is one, so that a fork needs no configuration. `casebook serve` hands the folder it
chose to the dashboards' kernels through CASEBOOK_COURS, as an absolute path.

What it holds: every `*.yaml` or `*.yml` file directly in the folder (not in its subfolders;
names starting with a dot are skipped), each a scenario file in the Atelier's format, with one
case or many. They are checked exactly as `casebook check` checks a file (`scenarios.
load_scenarios`), and a case id already used by a worked case of the casebook or by another
course case is an error too (file, line, where the id is already used). All or nothing: with
one error, `load` raises DataErrors listing every problem and no course case is loaded.

Changes: every dashboard page runs in a kernel of its own, which reads the folder when it first
needs the cases. Their snapshot (`snapshot.cached`) is named after a hash of the files' names and
bytes, so a file added, changed or removed is picked up by the next page opened, without
restarting the server.

Course files hold cases, never students."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, DataErrors
from .knowledge import KnowledgeBase
from .paths import data_dir, display_path, project_root
from .scenarios import Scenario

ENV = "CASEBOOK_COURS"
FOLDER_NAME = "cours"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Folder:
    """A course folder and, in French, where it was chosen (shown in messages)."""

    path: Path
    origin: str

    def describe(self) -> str:
        return f"{display_path(self.path)} ({self.origin})"


def repository_folder() -> Path | None:
    """The `cours/` folder at the root of the repository checkout, when there is one."""
    candidate = project_root() / FOLDER_NAME
    return candidate if candidate.is_dir() else None


def locate(explicit: Path | str | None = None) -> Folder | None:
    """The course folder in use: `explicit` (the command line's --cours), else CASEBOOK_COURS,
    else the repository's `cours/`; None when there is none. Relative paths are read from the
    current directory."""
    if explicit:
        return Folder(Path(explicit).expanduser().absolute(), "option --cours")
    chosen = os.environ.get(ENV, "").strip()
    if chosen:
        return Folder(Path(chosen).expanduser().absolute(), f"variable d'environnement {ENV}")
    found = repository_folder()
    return Folder(found, "dossier cours/ du dépôt") if found is not None else None


def course_files(folder: Folder) -> list[Path]:
    """The scenario files of the folder, by name; DataErrors when it is not a readable folder."""
    shown = folder.describe()
    if not folder.path.exists():
        raise DataErrors([DataError(shown, "", "dossier du cours introuvable")])
    if not folder.path.is_dir():
        raise DataErrors([DataError(shown, "", "ce n'est pas un dossier : attendu un dossier de "
                                               "fichiers de cas (.yaml)")])
    try:
        entries = sorted(folder.path.iterdir())
    except OSError as exc:
        raise DataErrors([DataError(shown, "", f"dossier du cours illisible ({exc.strerror})")]) from None
    return [p for p in entries
            if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file()]


def fingerprint(folder: Folder) -> str:
    """A hash of the folder's scenario files, names and bytes (changes when any file is added,
    changed or removed; a folder that cannot be read gives a hash of its error)."""
    digest = hashlib.sha256(str(folder.path).encode())
    try:
        files = course_files(folder)
    except DataErrors as exc:
        digest.update(str(exc).encode())
        return digest.hexdigest()[:16]
    for path in files:
        try:
            content = path.read_bytes()
        except OSError as exc:
            content = f"illisible : {exc.strerror}".encode()
        digest.update(f"{path.name}:{len(content)}:".encode())
        digest.update(content)
    return digest.hexdigest()[:16]


def load(kb: KnowledgeBase, folder: Folder, builtins: Sequence[Scenario]) -> tuple[Scenario, ...]:
    """Every case of the course folder, checked as `casebook check` checks, marked as course
    cases; DataErrors listing every problem when anything is wrong (nothing is half-loaded)."""
    from .scenarios import load_scenarios

    files = course_files(folder)
    if not files:
        return ()
    taken = {s.id: s.file for s in builtins}
    loaded = load_scenarios(kb, files, taken)
    return tuple(dataclasses.replace(s, course=True) for s in loaded)


@dataclass(frozen=True)
class Course:
    """What a page shows of the course: its folder (None without one), its cases, and the
    errors that kept every case out."""

    folder: Folder | None
    cases: tuple[Scenario, ...] = ()
    errors: tuple[DataError, ...] = ()


def cases(kb: KnowledgeBase, builtins: Sequence[Scenario], folder: Folder) -> tuple[Scenario, ...]:
    """`load`'s cases, from their snapshot when the folder's files are unchanged (a folder with
    errors is read again each time, and raises DataErrors)."""
    from .snapshot import cached

    return cached("course", lambda: load(kb, folder, builtins), data_dir(), fingerprint(folder))


def for_pages(kb: KnowledgeBase, builtins: Sequence[Scenario], folder: Folder | None) -> Course:
    """The course as a page shows it: its cases, or the errors that keep them all out (never
    raised: a page still opens)."""
    if folder is None:
        return Course(None)
    try:
        return Course(folder, cases(kb, builtins, folder))
    except DataErrors as exc:
        return Course(folder, (), tuple(exc.errors))
