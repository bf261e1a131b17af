"""« Atelier de cas »: the widget in which an instructor writes a worked case (texts, date, facts,
the provisions asked about and the answer expected from each, teaching notes, misconceptions,
provenance), sees the engine's answer beside each expected one, downloads the case as a scenario
file and brings a file back in. This module holds the fields, their layout and their callbacks:
what they show and write is a `draft.CaseDraft`; files come in and go out through `transfer`.
Showing a case writes nothing back: a field writes into the draft only when the instructor
changes it, and each change refreshes what depends on it (engine's answers, links, export)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import TextStyle

from ...law.casefile import EXPECTED_OUTCOMES, PROVENANCE_TYPES, REVIEW_STATUSES
from ...law.course import Folder
from ...law.knowledge import KnowledgeBase
from ...law.labels import DEONTIC, OUTCOMES
from ...law.paths import project_root
from ...law.report import version_span
from ..blocks.display import STYLE
from ..blocks.widgets import FactForm, box, html
from .draft import CaseDraft, day
from .transfer import CourseFiles, Importer, export_html, links_html

PROVENANCE_LABELS = {"support_de_cours": "Support de cours", "publie": "Source publiée",
                     "construit": "Cas construit pour le casebook"}
REVIEW_LABELS = {"brouillon": "Brouillon", "relu": "Relu", "valide": "Validé"}
MISCONCEPTIONS_PLACEHOLDER = ("Une idée reçue par ligne, par exemple :\n"
                              "[Faculté de partager] Entre collègues, tout se dit.")
MISCONCEPTIONS_HELP = (
    "<p class=\"cb-help\">Une idée reçue par ligne. Commencez la ligne par la mauvaise réponse qu'elle fait "
    "donner, entre crochets : <code>[Faculté de partager] Entre collègues, tout se dit.</code> ; "
    "l'entraînement la montre à qui a choisi cette réponse. Pour une seule des dispositions "
    "visées, ajoutez-la après un tiret : <code>[Faculté de partager — Secret partagé] …</code>. "
    "Réponses possibles : " + ", ".join(OUTCOMES[o] for o in DEONTIC) + ". Une ligne sans "
    "crochets n'est liée à aucune réponse : seule la vue enseignant la montre.</p>")

BUILDER_STYLE = """<style>
.cb-builder h2{font-size:1.3em;margin:1em 0 .3em 0}
.cb-compare{border-left:5px solid #2e7d32;padding:.3em .8em;margin:.3em 0;background:#f4faf4;color:#111}
.cb-compare.cb-differ{border-left-color:#8e1b1b;background:#fdf0f0}
.cb-compare mark{background:#ffe08a;color:#111;padding:0 .2em}
.cb-builder-errors{background:#fff8e1;border-left:4px solid #7a5200;padding:.3em .8em;color:#111}
.cb-import-errors{background:#fdecea;border-left:4px solid #c62828;padding:.3em .8em;color:#111}
.cb-import-ok{color:#1b5e20}
a.cb-download{display:inline-block;padding:.35em 1em;margin:.3em .6em .3em 0;border-radius:.3em;
  background:#0b4a8b;color:#fff !important;text-decoration:none;font-weight:bold}
a.cb-download:focus{outline:3px solid #ffbf47}
.cb-builder pre{max-height:24em;overflow:auto;background:#f7f7f7;padding:.5em;white-space:pre-wrap}
</style>"""


@cache
def _style(kind: str) -> w.Widget:
    """Styles shared by the builder's fields (labels wide enough for the French words)."""
    return {"text": lambda: TextStyle(description_width="14em"),
            "choice": lambda: DescriptionStyle(description_width="14em")}[kind]()


@cache
def _layout(kind: str) -> w.Layout:
    return {"line": lambda: w.Layout(width="48em"), "area": lambda: w.Layout(width="48em", height="7em"),
            "list": lambda: w.Layout(width="48em", height="14em")}[kind]()


class CaseBuilder:
    """The « Atelier de cas »: every field of a worked case, the engine's answer beside each
    expected one, the download links, the import of a file and the links to the explorers.

    `draft` holds the cases being edited; `notebooks` is the folder searched for explorer
    dashboards; `course` the course folder whose files it offers to open; `taken` the ids of the
    casebook's own cases (a course case must not reuse one)."""

    def __init__(self, kb: KnowledgeBase, notebooks: Path | None = None, course: Folder | None = None,
                 taken: Collection[str] = ()):
        self.kb = kb
        self.notebooks = notebooks if notebooks is not None else project_root() / "notebooks"
        self.taken = frozenset(taken)
        self.draft = CaseDraft(kb)
        self._filling = False
        self._texts: dict[tuple[str, ...], w.Text | w.Textarea] = {}
        self._rows: dict[str, tuple[w.Box, w.Dropdown, w.Dropdown]] = {}

        self.importer = Importer(kb, self.load)
        self.course_files = CourseFiles(self.importer, course)
        self.picker = w.Dropdown(description="Cas à modifier", options=[("—", 0)], value=0,
                                 layout=w.Layout(width="48em", display="none"), style=_style("choice"))
        self.picker.add_class("cb-builder-picker")
        self.picker.observe(self._picked, names="value")

        text = self._text
        self.id = text("Identifiant", ("id",), placeholder="en-minuscules-avec-tirets")
        self.title = text("Titre", ("title",))
        self.narrative = text("Récit (3 à 6 phrases)", ("narrative",), area=True)
        self.date = w.DatePicker(description="Date des faits", layout=_layout("line"), style=_style("choice"))
        self.date.add_class("cb-builder-date")
        self.date.observe(self._changed(self.draft.set_date, everything=True), names="value")

        self.provisions = w.SelectMultiple(
            options=[(f"{p.short} — {p.title}", pid) for pid, p in kb.provisions.items()],
            description="Dispositions visées", rows=10, layout=_layout("list"), style=_style("choice"))
        self.provisions.add_class("cb-builder-provisions")
        self.provisions.observe(self._provisions_changed, names="value")
        self.expected_box = box([])
        self.form = FactForm(kb, (), self._facts_changed)
        self.facts_hint = html()
        self.form_box = box([self.facts_hint, self.form.widget], layout="55%")
        self.comparison = html()
        self.comparison.add_class("cb-comparison")

        self.teaching = text("Notes pour l'enseignant·e", ("teaching_notes",), area=True)
        self.misconceptions = w.Textarea(description="Idées reçues", placeholder=MISCONCEPTIONS_PLACEHOLDER,
                                         layout=_layout("area"), style=_style("text"))
        self.misconceptions.add_class("cb-builder-misconceptions")
        self.misconceptions_help = html(MISCONCEPTIONS_HELP)
        self.misconceptions_help.add_class("cb-builder-misconceptions-help")
        self.misconceptions.observe(self._changed(lambda v: self.draft.set_misconceptions(str(v))),
                                    names="value")

        self.provenance = w.Dropdown(description="Provenance", style=_style("choice"), layout=_layout("line"),
                                     options=[(PROVENANCE_LABELS[t], t) for t in PROVENANCE_TYPES])
        self.provenance.add_class("cb-builder-provenance")
        self.provenance.observe(self._changed(lambda v: self.draft.set(("provenance", "type"), v)),
                                names="value")
        self.source = text("Source", ("provenance", "source"))
        self.handout_section = text("Section du support", ("provenance", "handout_section"))
        self.reference = text("Référence (publié)", ("provenance", "reference"))
        self.url = text("Adresse web (publié)", ("provenance", "url"), placeholder="https://…")
        self.published = w.DatePicker(description="Date de publication", layout=_layout("line"),
                                      style=_style("choice"))
        self.published.add_class("cb-builder-published")
        self.published.observe(self._changed(self.draft.set_published), names="value")
        self.review = w.Dropdown(description="Relecture", style=_style("choice"), layout=_layout("line"),
                                 options=[(REVIEW_LABELS[s], s) for s in REVIEW_STATUSES])
        self.review.add_class("cb-builder-review")
        self.review.observe(self._changed(lambda v: self.draft.set(("review", "status"), v)), names="value")
        self.review_note = html()

        self.problems_html = html()
        self.download = html()
        self.download.add_class("cb-builder-export")
        self.links = html()
        self.links.add_class("cb-builder-links")

        def heading(text: str) -> w.HTML:
            return html(f"<h2>{escape(text)}</h2>")

        self.widget = box([
            html(STYLE + BUILDER_STYLE),
            heading("Importer un fichier de cas (facultatif)"), self.importer.upload,
            self.course_files.picker, self.picker,
            self.importer.message,
            heading("Le cas"), self.id, self.title, self.narrative, self.date,
            heading("Les dispositions et les réponses attendues"), self.provisions, self.expected_box,
            heading("Les faits, et la réponse du moteur"),
            box([self.form_box, box([self.comparison], layout="45%")], horizontal=True),
            heading("Pour l'enseignant·e"), self.teaching, self.misconceptions, self.misconceptions_help,
            heading("Provenance et relecture"), self.provenance, self.source, self.handout_section,
            self.reference, self.url, self.published, self.review, self.review_note,
            heading("Exporter et partager"), self.problems_html, self.download, self.links,
        ], _dom_classes=["cb-builder"])
        self._fill()

    def load(self, cases: list[dict[str, Any]], name: str = "cas.yaml", index: int = 0) -> None:
        """Edit these cases (a file read by `casefile.read`), showing case `index`."""
        self.draft.load(cases, name, index)
        self._filling = True
        try:
            self.picker.options = [(f"{i + 1}. {c.get('title', '')}"[:120], i)
                                   for i, c in enumerate(self.draft.cases)]
            self.picker.value = index
            self.picker.layout.display = "flex" if len(self.draft.cases) > 1 else "none"
        finally:
            self._filling = False
        self._fill()

    def _picked(self, change: dict) -> None:
        index = change["new"]
        if self._filling or not isinstance(index, int) or not 0 <= index < len(self.draft.cases):
            return
        self.draft.index = index
        self._fill()

    def _fill(self) -> None:
        """Show the case on screen in every field, without writing anything back."""
        case = self.draft.case
        self._filling = True
        try:
            for path, widget in self._texts.items():
                value = self.draft.get(path)
                widget.value = value if isinstance(value, str) else ""
            self.misconceptions.value = self.draft.misconceptions_text()
            self.date.value = day(case.get("date"))
            self.provenance.value = case["provenance"]["type"]
            self.published.value = day(case["provenance"].get("date"))
            self.review.value = case["review"]["status"]
            self.provisions.value = tuple(p for p in case["expected"] if p in self.kb.provisions)
            self._show_expected()
            self._rebuild_form()
        finally:
            self._filling = False
        note = case["review"].get("note")
        self.review_note.value = ("" if not note else "<p><small>Note de relecture (gardée telle quelle "
                                  f"à l'export) : {escape(str(note))}</small></p>")
        self.refresh()

    def refresh(self) -> None:
        """Recompute the engine's answers, the links and the export."""
        self.comparison.value = self.draft.comparison_html()
        self.links.value = links_html(self.draft, self.notebooks)
        self._refresh_export()

    def _refresh_export(self) -> None:
        self.problems_html.value, self.download.value = export_html(self.draft, self.taken)

    # -- fields --------------------------------------------------------------------------------

    def _changed(self, write: Callable[[Any], None], everything: bool = False) -> Callable[[dict], None]:
        """An observer that writes a field's new value with `write`, then refreshes the export
        (with `everything`: all that the case gives); silent while a case is being shown."""
        def observer(change: dict) -> None:
            if self._filling:
                return
            write(change["new"])
            if everything:
                self.refresh()
            else:
                self._refresh_export()
        return observer

    def _text(self, label: str, path: tuple[str, ...], area: bool = False, placeholder: str = "") -> w.Widget:
        widget = (w.Textarea if area else w.Text)(description=label, placeholder=placeholder,
                                                  layout=_layout("area" if area else "line"),
                                                  style=_style("text"))
        widget.add_class("cb-builder-" + path[-1].replace("_", "-"))
        widget.observe(self._changed(lambda v: self.draft.set(path, v)), names="value")
        self._texts[path] = widget
        return widget

    def _provisions_changed(self, change: dict) -> None:
        if self._filling:
            return
        self.draft.choose_provisions(change["new"])
        self._show_expected()
        self._rebuild_form()
        self.refresh()

    def _show_expected(self) -> None:
        """One row per provision asked: the expected outcome and, optionally, version."""
        rows = []
        filling, self._filling = self._filling, True
        try:
            for pid, entry in self.draft.case["expected"].items():
                if pid not in self.kb.provisions:
                    continue
                row, outcome, version = self._rows.get(pid) or self._row(pid)
                outcome.value = entry.get("outcome", "") if entry.get("outcome") in OUTCOMES else ""
                versions = {v for _, v in version.options}
                version.value = entry.get("version", "") if entry.get("version") in versions else ""
                rows.append(row)
        finally:
            self._filling = filling
        self.expected_box.children = tuple(rows)

    def _row(self, pid: str) -> tuple[w.Box, w.Dropdown, w.Dropdown]:
        provision = self.kb.provisions[pid]
        outcome = w.Dropdown(description=provision.short, style=_style("choice"),
                             layout=w.Layout(width="34em"),
                             options=[("— réponse attendue —", ""),
                                      *((OUTCOMES[o], o) for o in EXPECTED_OUTCOMES)])
        outcome.add_class(f"cb-expected-{pid}")
        version = w.Dropdown(options=[("toute version", ""), *((f"{v.id} ({version_span(v)})", v.id)
                                                               for v in provision.versions)],
                             layout=w.Layout(width="26em"))
        version.add_class(f"cb-version-{pid}")
        version.description = "Version"
        outcome.observe(lambda c: self._expected_changed(pid, "outcome", c["new"]), names="value")
        version.observe(lambda c: self._expected_changed(pid, "version", c["new"]), names="value")
        self._rows[pid] = (box([outcome, version], horizontal=True), outcome, version)
        return self._rows[pid]

    def _expected_changed(self, pid: str, key: str, value: str) -> None:
        if self._filling:
            return
        self.draft.set_expected(pid, key, value)
        self.comparison.value = self.draft.comparison_html()
        self._refresh_export()

    def _rebuild_form(self) -> None:
        """The fact form asks the draft's facts, answered as the case answers them."""
        ids = self.draft.asked_facts()
        self.facts_hint.value = ("" if ids else "<p>Choisissez d'abord une disposition : les questions "
                                 "qu'elle pose apparaîtront ici.</p>")
        if ids != tuple(self.form.controls):
            self.form.close()
            self.form = FactForm(self.kb, ids, self._facts_changed)
            self.form_box.children = (self.facts_hint, self.form.widget)
        filling, self._filling = self._filling, True
        try:
            self.form.set_values(self.draft.fact_values())
        finally:
            self._filling = filling

    def _facts_changed(self) -> None:
        if self._filling:
            return
        self.draft.set_facts(self.form.values())
        self.refresh()
