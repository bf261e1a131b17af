"""casebook.law.snapshot: the knowledge base and worked cases kept on disk between kernels, named by
a hash of the data and the code, rebuilt when missing, stale or unreadable."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.law import snapshot
from casebook.law.knowledge import load_knowledge_base
from casebook.law.paths import data_dir

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A private cache folder and a copy of the minimal knowledge base."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(folder))
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "minimal", root)
    snapshot.fingerprint.cache_clear()
    yield folder, root
    snapshot.fingerprint.cache_clear()


def counting(root: Path):
    calls = []

    def build():
        calls.append(1)
        return load_knowledge_base(root)

    return build, calls


def test_first_load_builds_and_saves_then_later_loads_read(store):
    folder, root = store
    build, calls = counting(root)
    first = snapshot.cached("knowledge", build, root)
    second = snapshot.cached("knowledge", build, root)
    assert len(calls) == 1
    assert second == first == load_knowledge_base(root)
    assert [p.name for p in folder.iterdir()] == [f"knowledge-{snapshot.fingerprint(root)}.pickle"]


def test_changed_data_gives_a_new_snapshot_and_removes_the_old(store):
    folder, root = store
    build, calls = counting(root)
    snapshot.cached("knowledge", build, root)
    before = snapshot.fingerprint(root)
    facts = root / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    snapshot.fingerprint.cache_clear()
    assert snapshot.fingerprint(root) != before
    snapshot.cached("knowledge", build, root)
    assert len(calls) == 2
    assert [p.name for p in folder.iterdir()] == [f"knowledge-{snapshot.fingerprint(root)}.pickle"]


def test_what_else_the_value_depends_on_names_the_snapshot_too(store):
    folder, root = store
    build, calls = counting(root)
    snapshot.cached("course", build, root, "aaaa")
    snapshot.cached("course", build, root, "aaaa")
    snapshot.cached("course", build, root, "bbbb")
    assert len(calls) == 2
    assert [p.name for p in folder.iterdir()] == [f"course-{snapshot.fingerprint(root)}-bbbb.pickle"]


def test_unreadable_snapshot_is_rebuilt_and_replaced(store):
    folder, root = store
    build, calls = counting(root)
    path = folder / f"knowledge-{snapshot.fingerprint(root)}.pickle"
    folder.mkdir()
    path.write_bytes(b"\x80\x05 not a pickle")
    assert snapshot.cached("knowledge", build, root) == load_knowledge_base(root)
    assert len(calls) == 1
    with path.open("rb") as stream:
        assert pickle.load(stream) == load_knowledge_base(root)


def test_a_folder_that_cannot_be_written_only_loses_the_speed_up(store, monkeypatch, tmp_path):
    _, root = store
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(blocker / "cache"))
    build, calls = counting(root)
    assert snapshot.cached("knowledge", build, root) == snapshot.cached("knowledge", build, root)
    assert len(calls) == 2


def test_turned_off(store, monkeypatch):
    folder, root = store
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", "off")
    build, calls = counting(root)
    snapshot.cached("knowledge", build, root)
    snapshot.cached("knowledge", build, root)
    assert len(calls) == 2
    assert not folder.exists()


def test_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("CASEBOOK_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert snapshot.cache_dir() == tmp_path / "casebook"


def _python(code: str, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CASEBOOK_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_a_kernel_with_a_snapshot_shows_everything_without_pandas_or_yaml(tmp_path):
    """What makes a dashboard start fast: after the first process, the law, the cases and the
    tables come from the snapshot, with no pandas, YAML parser or schema compiler loaded."""
    code = ("import sys; from casebook.interface import ui\n"
            "ui.provision('art458'); ui.table('diseases'); ui.worked_cases('art458'); ui.timeline()\n"
            "print(sorted(m for m in ('pandas', 'numpy', 'yaml._yaml') if m in sys.modules))")
    first = _python(code, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "pandas" in first.stdout  # the first process reads the CSV tables with pandas
    second = _python(code, tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "[]"


def test_check_never_reads_a_snapshot(tmp_path):
    """`casebook check` checks the data itself, even beside a snapshot that is not a knowledge base."""
    fingerprint = _python("from casebook.law import snapshot, paths\n"
                          "print(snapshot.fingerprint(paths.data_dir()))", tmp_path).stdout.strip()
    (tmp_path / f"knowledge-{fingerprint}.pickle").write_bytes(pickle.dumps("pas une base"))
    env = {**os.environ, "CASEBOOK_CACHE_DIR": str(tmp_path)}
    script = str(Path(sys.executable).with_name("casebook"))
    result = subprocess.run([script, "check"], env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("passed, 0 failed")
    assert snapshot.fingerprint(data_dir()) == fingerprint
