"""Notebook hygiene: every notebook imports casebook and holds no logic of its own, is committed
executed in order with clean outputs, and together they cover every provision and scenario."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

import casebook
from casebook.interface import ui

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MACHINE_PATHS = (str(ROOT.parent) + "/", str(Path.home()) + "/")  # must never leak into outputs
MAX_LINES = 15
WIDGET = "application/vnd.jupyter.widget-view+json"


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def _html(nb) -> str:
    out = []
    for cell in _code(nb):
        for o in cell.outputs:
            data = o.get("data", {})
            out.append(data.get("text/html", "") + data.get("image/svg+xml", ""))
    return "".join(out)


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 17


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_imports_casebook_and_keeps_cells_short(path):
    nb = _read(path)
    sources = [c.source for c in _code(nb)]
    assert any("from casebook" in s or "import casebook" in s for s in sources)
    for source in sources:
        assert len(source.splitlines()) <= MAX_LINES, source
        assert not re.search(r"^\s*(def|class|for|while|if) ", source, re.M), source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_was_executed_in_order_with_clean_outputs(path):
    nb = _read(path)
    counts = [c.execution_count for c in _code(nb)]
    assert counts == list(range(1, len(counts) + 1)), "re-run `make notebooks`"
    for cell in _code(nb):
        for output in cell.outputs:
            assert output.output_type != "error", output
            assert not (output.output_type == "stream" and output.name == "stderr"), output
            text = output.get("data", {}).get("text/plain", "") + output.get("text", "")
            assert "Warning" not in text and not any(p in text for p in MACHINE_PATHS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_only_widget_cells_escape_comparison(path):
    for cell in _code(_read(path)):
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            assert cell.outputs and all(WIDGET in o.get("data", {}) for o in cell.outputs), cell.source


def test_every_provision_has_a_notebook():
    text = "".join(c.source for p in NOTEBOOKS for c in _code(_read(p)))
    missing = [pid for pid in casebook.load().provisions if f'"{pid}"' not in text]
    assert not missing


def test_every_scenario_appears_in_some_worked_cases():
    html = "".join(_html(_read(p)) for p in NOTEBOOKS)
    missing = [s.id for s in ui.scenarios() if f"<code>{s.id}</code>" not in html]
    assert not missing, "re-run `make notebooks` or add ui.worked_cases for: " + ", ".join(missing)
