"""Shared fixtures: the real knowledge base (loaded once), the minimal fixture knowledge base,
the casebook installed as a package in a fresh environment (`installed_env`, made once per run,
shared by pytest-xdist's workers), a lock held while something is built from the checkout, and a
deterministic Hypothesis profile so that CI runs are reproducible. Snapshots
(`casebook.law.snapshot`) go to a folder of the test run, shared with the notebook kernels and
Voilà servers the tests start, never to the user's cache; the course folder (`law.course`) is an
empty folder of the run, unless a test gives its own."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import casebook
from casebook.law.knowledge import KnowledgeBase, load_knowledge_base

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_COURSE = ROOT / "docs" / "exemple-cours"  # the README's course

settings.register_profile(
    "casebook",
    derandomize=True,
    database=None,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("casebook")


SNAPSHOTS = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[SNAPSHOTS] = os.environ["CASEBOOK_CACHE_DIR"] = tempfile.mkdtemp(prefix="casebook-tests-")
    # an empty course folder: neither the user's CASEBOOK_COURS nor a fork's cours/ enters the run
    os.environ["CASEBOOK_COURS"] = str(Path(config.stash[SNAPSHOTS]) / "cours-vide")
    Path(os.environ["CASEBOOK_COURS"]).mkdir()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(config.stash[SNAPSHOTS], ignore_errors=True)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The package's real knowledge base (data/)."""
    return casebook.load()


@pytest.fixture(scope="session")
def course_cases(kb):
    """The cases of the example course folder (docs/exemple-cours), loaded as a course."""
    from casebook.interface.ui import builtin_scenarios
    from casebook.law import course

    return course.load(kb, course.Folder(EXAMPLE_COURSE, "test"), builtin_scenarios())


@pytest.fixture(scope="session")
def minimal_kb() -> KnowledgeBase:
    """The tiny valid knowledge base of tests/fixtures/minimal."""
    return load_knowledge_base(FIXTURES / "minimal")


@pytest.fixture
def kb_root(tmp_path: Path):
    """Build a knowledge-base root in tmp_path: the minimal fixture, overlaid with the files of
    `tests/fixtures/broken/<kind>/` when a kind is given."""

    def build(kind: str | None = None) -> Path:
        root = tmp_path / "kb"
        shutil.copytree(FIXTURES / "minimal", root)
        if kind is not None:
            shutil.copytree(FIXTURES / "broken" / kind, root, dirs_exist_ok=True)
        return root

    return build


def _shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this run that all of pytest-xdist's workers see (their parent folder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


@pytest.fixture(scope="session")
def checkout_lock(tmp_path_factory) -> Callable[[], AbstractContextManager[None]]:
    """Held while something is built from this checkout (setuptools writes build/ and
    *.egg-info into it): one worker at a time."""

    @contextlib.contextmanager
    def held() -> Iterator[None]:
        with open(_shared(tmp_path_factory) / "checkout.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    return held


@pytest.fixture(scope="session")
def installed_env(tmp_path_factory, checkout_lock) -> Path:
    """A fresh virtual environment made as Binder makes it: binder/requirements.txt, whose last
    line `.` installs the casebook from this checkout as a package (`pip install .`, not
    editable), plus nbval and pytest to test its notebooks. Its `bin/` holds `casebook`. Made by
    the first worker that needs it; the others wait for it and use it."""
    env = _shared(tmp_path_factory) / "installed" / "venv"
    made = env.parent / "made"
    with checkout_lock():
        if not made.exists():
            shutil.rmtree(env, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
            pip = [str(env / "bin" / "python"), "-m", "pip", "install", "--quiet",
                   "--disable-pip-version-check", "--no-compile"]  # Python compiles on import
            subprocess.run([*pip, "-r", "binder/requirements.txt"], cwd=ROOT, check=True)
            subprocess.run([*pip, "nbval", "pytest"], cwd=ROOT, check=True)
            made.touch()
    return env
