"""Snapshots: the checked knowledge base and worked cases, kept on disk between processes.

Without them, every notebook kernel parses the YAML files, compiles the JSON Schemas and imports
pandas before it shows anything (about 0.4 s of each dashboard's start, and CPU that a class of 30
kernels starting together competes for). A snapshot is a pickle in the user's cache folder
(`$CASEBOOK_CACHE_DIR`, else `$XDG_CACHE_HOME/casebook`, else `~/.cache/casebook`) named after a
hash of every data file, of the package's code and of the Python version: any change of the law or
of the engine gives a new name, so a stale snapshot is never read. A missing or unreadable snapshot
is rebuilt; a cache folder that cannot be written only loses the speed-up.
`CASEBOOK_CACHE_DIR=off` turns snapshots off; `casebook check` never uses them.

Reading a pickle runs code: the folder is the user's own, like Python's bytecode cache."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_PACKAGE = Path(__file__).resolve().parent.parent  # casebook/, both floors
_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError,
               TypeError, ValueError)


def cache_dir() -> Path | None:
    """The folder holding snapshots, or None when they are turned off."""
    chosen = os.environ.get("CASEBOOK_CACHE_DIR", "")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "casebook"


@cache
def fingerprint(data: Path) -> str:
    """A hash of every file under `data`, of the package's modules and of the Python version."""
    digest = hashlib.sha256(sys.version.encode())
    files = [(data, p) for p in data.rglob("*") if p.is_file()]
    files += [(_PACKAGE, p) for p in _PACKAGE.rglob("*.py")]
    for base, path in sorted(files):
        content = path.read_bytes()
        digest.update(f"{base.name}/{path.relative_to(base).as_posix()}:{len(content)}:".encode())
        digest.update(content)
    return digest.hexdigest()[:32]


def cached(kind: str, build: Callable[[], T], data: Path, extra: str = "") -> T:
    """The snapshot of `kind` for the data under `data` (and `extra`, a hash of whatever else
    the value depends on), or `build()`'s result, then saved."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{kind}-{fingerprint(data)}{'-' + extra if extra else ''}.pickle"
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)
    except _UNREADABLE:
        pass
    value = build()
    _save(path, kind, value)
    return value


def _save(path: Path, kind: str, value: object) -> None:
    """Write atomically (kernels starting together may race), then remove older snapshots."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError):
        Path(temporary).unlink(missing_ok=True)
        return
    for old in path.parent.glob(f"{kind}-*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
