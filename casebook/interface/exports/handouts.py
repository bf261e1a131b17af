"""Printable handouts: every notebook exported to one static HTML page with no code and no
remote resource — texts, commentary, tables and worked cases with their verdicts. Interactive
cells are replaced by a note pointing to the online dashboard. With a course folder, one more
page, `cas_du_cours.html`: the course's cases with the engine's answers, reasoning and citations
(the answer key of `fiche`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbformat.v4 import new_markdown_cell

from ...law.knowledge import KnowledgeBase
from ...law.scenarios import Scenario

WIDGET_NOTE = ("*Exercice interactif : à faire dans le tableau de bord en ligne (explorateur, "
               "« Prédisez d'abord » ou questionnaire).*")
_REMOTE_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.I)
_REMOTE_LINK = re.compile(r"<link[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", re.I)
_REMOTE_IMPORT = re.compile(r"await import\(\"https?://[^\"]*\"\)")
_REMOTE_MODULE = re.compile(r"\"https?://[^\"]*\.m?js\"")
PRINT_CSS = ("<style>@media print{.jp-Cell{break-inside:avoid}a{color:inherit}}"
             "body{max-width:60em;margin:auto}</style>")


def _printable(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "nbval-ignore-output" in cell.metadata.get("tags", []):
            cells.append(new_markdown_cell(WIDGET_NOTE))
        else:
            cells.append(cell)
    nb.cells = cells
    return nb


def export(notebook: Path, out_dir: Path) -> Path:
    """Write `out_dir/<name>.html` for one executed notebook; return its path."""
    nb = _printable(nbformat.read(notebook, as_version=4))
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    html, _ = exporter.from_notebook_node(nb)
    for pattern in (_REMOTE_SCRIPT, _REMOTE_LINK):
        html = pattern.sub("", html)
    html = _REMOTE_MODULE.sub('""', _REMOTE_IMPORT.sub("null", html))
    html = html.replace("</head>", PRINT_CSS + "</head>", 1)
    html = html.replace("<html>", '<html lang="fr">', 1)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{notebook.stem}.html"
    target.write_text(html, encoding="utf-8")
    return target


def export_all(notebooks: Path, out_dir: Path) -> list[Path]:
    """Export every notebook of `notebooks` to `out_dir`."""
    return [export(path, out_dir) for path in sorted(notebooks.glob("*.ipynb"))]


COURSE_PAGE = "cas_du_cours.html"


def export_course(kb: KnowledgeBase, cases: Sequence[Scenario], out_dir: Path) -> Path:
    """Write `out_dir/cas_du_cours.html`: the course's cases with the engine's answers."""
    from ..pages.rounds import questions
    from . import fiche, moodle

    kept, _left = moodle.items(kb, questions(kb, cases))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / COURSE_PAGE
    target.write_text(fiche.key_html(kb, kept, "Cas du cours — réponses du casebook"), encoding="utf-8")
    return target
