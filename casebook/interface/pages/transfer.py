"""How a case enters and leaves the « Atelier de cas »: the button that brings a scenario file
in (the value of ipywidgets' FileUpload is untrusted: it is read with `law.casefile` into its
cases or the list of what is wrong with it, and a French message says which), the list of the
course folder's files, opened the same way, the export area (what is still missing, or the
download links: the scenario file, the whole file, the Moodle questions; and how a case reaches
the class), and the links « Ouvrir ce cas ».

A download is an `<a download>` link whose address holds the file itself (`data:`), so it works
offline in Voilà; the builder rebuilds it on every change. The links « Ouvrir ce cas » go to the
explorer dashboard of each provision asked (found by reading which notebook calls `ui.explorer`
with it), or to the navigator « Puis-je parler ? » when none has an explorer; they carry the date
and the facts that page shows (see `links`)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from ...law.casefile import MAX_BYTES, CaseFile, read
from ...law.course import Folder, course_files
from ...law.errors import DataErrors
from ...law.knowledge import HORIZON, KnowledgeBase
from ..blocks.links import link_for
from ..blocks.widgets import html
from .draft import CaseDraft, day

MAX_NAME = 80  # characters of an uploaded file's name kept for messages
NAVIGATOR = "15_puis_je_parler.ipynb"


@dataclass(frozen=True)
class Upload:
    """An upload read: the file's name as messages show it, and either the file (`found`) or
    what is wrong with it (`errors`, in French)."""

    name: str
    found: CaseFile | None
    errors: tuple[str, ...] = ()


def file_name(raw: object) -> str:
    """An uploaded file's name as messages show it: its last part, printable, shortened."""
    name = str(raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME] + "…"
    return name or "fichier importé"


def read_upload(kb: KnowledgeBase, files: tuple) -> Upload:
    """FileUpload's value read: one file, readable, small enough, and a scenario file the
    project's loader accepts."""
    if len(files) != 1:
        return Upload("fichier importé", None, (f"un seul fichier à la fois ({len(files)} reçus)",))
    entry = files[0]
    name = file_name(entry.get("name") if isinstance(entry, dict) else None)
    content = entry.get("content") if isinstance(entry, dict) else None
    try:
        data = bytes(content)
    except TypeError:
        return Upload(name, None, (f"{name} : contenu illisible",))
    if len(data) > MAX_BYTES:
        return Upload(name, None, (f"{name} : fichier trop volumineux ({len(data)} octets ; "
                                   f"{MAX_BYTES} au plus)",))
    try:
        return Upload(name, read(kb, data, name))
    except DataErrors as exc:
        hint = []
        if re.search(rb"^id:", data, re.M) and not re.search(rb"^cases:", data, re.M):
            hint = ["ce fichier semble ne contenir qu'un cas seul : un fichier de cas commence par "
                    "« schema_version: 1 » puis « cases: », la liste des cas, comme le fichier que "
                    "donne « Télécharger ce cas »"]
        return Upload(name, None, tuple([str(e) for e in exc.errors] + hint))


def upload_message(upload: Upload) -> str:
    """What became of an upload, as HTML: how many cases it brought, or why nothing changed."""
    if upload.found is not None:
        count = len(upload.found.cases)
        more = " Choisissez ci-dessus le cas à modifier." if count > 1 else ""
        return (f'<p class="cb-import-ok" role="status">« {escape(upload.name)} » importé : '
                f"{count} cas.{more}</p>")
    items = "".join(f"<li>{escape(e)}</li>" for e in upload.errors)
    return (f'<div class="cb-import-errors" role="alert"><b>« {escape(upload.name)} » '
            "n'a pas été importé</b> (rien n'a changé ci-dessous) :"
            f"<ul>{items}</ul></div>")


class Importer:
    """The button « Importer un fichier de cas » and what became of the last file chosen: a file
    read without error goes to `opened` (its cases and its name); anything else is listed in
    `message`, and nothing else changes."""

    def __init__(self, kb: KnowledgeBase, opened: Callable[[list[dict[str, Any]], str], None]):
        self.kb = kb
        self.opened = opened
        self.upload = w.FileUpload(accept=".yaml,.yml", multiple=False, layout=w.Layout(width="24em"),
                                   description="Importer un fichier de cas")
        self.upload.add_class("cb-builder-upload")
        self.upload.observe(self._uploaded, names="value")
        self.message = html()
        self.message.add_class("cb-builder-import")

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        try:
            self.import_file(files)
        finally:
            self.upload.value = ()  # the same file can be chosen again

    def import_file(self, files: tuple) -> None:
        """Read an upload (FileUpload's value) and say what became of it."""
        upload = read_upload(self.kb, files)
        if upload.found is not None:
            self.opened(list(upload.found.cases), upload.name)
        self.message.value = upload_message(upload)


class CourseFiles:
    """« Fichier du cours »: the scenario files of the course folder (`law.course`); the one
    chosen is read exactly as an upload is (`Importer.import_file`), so that it opens whole, its
    cases to pick from, and downloads whole again. Hidden without a course file."""

    def __init__(self, importer: Importer, folder: Folder | None):
        self.importer = importer
        try:
            self.files = {p.name: p for p in course_files(folder)} if folder is not None else {}
        except DataErrors:
            self.files = {}  # the accueil and `casebook check` say what is wrong with the folder
        self.picker = w.Dropdown(description="Fichier du cours",
                                 options=[("— ouvrir un fichier du dossier du cours —", ""),
                                          *((name, name) for name in self.files)],
                                 value="", layout=w.Layout(width="48em",
                                                           display="flex" if self.files else "none"))
        self.picker.style.description_width = "14em"
        self.picker.add_class("cb-builder-course-file")
        self.picker.observe(self._picked, names="value")

    def _picked(self, change: dict) -> None:
        path = self.files.get(change["new"])
        if path is None:
            return
        try:
            content = path.read_bytes()
        except OSError as exc:
            self.importer.message.value = upload_message(
                Upload(path.name, None, (f"{path.name} : fichier illisible ({exc.strerror})",)))
        else:
            self.importer.import_file(({"name": path.name, "content": content},))
        self.picker.value = ""  # the same file can be opened again


def download_html(text: str, name: str, label: str) -> str:
    """A link that downloads `text` as the file `name`: the file is in the link itself."""
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (f'<a class="cb-download" download="{escape(name)}" role="button" '
            f'href="data:text/yaml;charset=utf-8;base64,{data}">{escape(label)} ({escape(name)})</a>')


TO_THE_CLASS = (
    "<p><b>Donner ce cas à la classe</b> : déposez le fichier téléchargé dans le dossier du cours "
    "(le dossier <code>cours/</code> du dépôt, ou celui que donne <code>casebook serve --cours "
    "DOSSIER</code> ou la variable <code>CASEBOOK_COURS</code>), puis ouvrez une nouvelle page : le "
    "cas apparaît dans l'accueil, dans l'explorateur de ses dispositions (« cas du cours ») et dans "
    "l'entraînement (thème « Cas du cours »), sans redémarrer le serveur. Sur Binder, ajoutez le "
    "fichier au dossier <code>cours/</code> de votre copie (fork) du dépôt, puis relancez Binder. "
    "Pour Moodle : importez le fichier XML dans la banque de questions, format « Moodle XML ».</p>")


def export_html(draft: CaseDraft, taken: Collection[str] = ()) -> tuple[str, str]:
    """The export area, as HTML: what is still missing (or that nothing is), and the downloads
    of the case on screen (scenario file and Moodle questions; the whole file too when it holds
    several cases) with how a case reaches the class and the case's file text to read, empty
    while something is missing. `taken`: ids of the casebook's own cases, which a course case
    cannot reuse."""
    problems = draft.problems()
    if problems:
        items = "".join(f"<li>{p}</li>" for p in problems)
        return (f'<div class="cb-builder-errors" role="status"><b>À compléter avant '
                f"l'export :</b><ul>{items}</ul></div>", "")
    from ..exports.moodle import download_html as moodle_html
    from .rounds import questions

    single = draft.export_text()
    ident = draft.case["id"]
    links = [download_html(single, f"{ident}.yaml", "Télécharger ce cas")]
    if len(draft.cases) > 1:
        links.append(download_html(draft.file_text(), draft.file_name,
                                   f"Télécharger le fichier entier ({len(draft.cases)} cas)"))
    scenario = draft.scenario()
    if scenario is not None:
        links.append(moodle_html(draft.kb, questions(draft.kb, [scenario]), f"{ident}-moodle.xml",
                                 "Télécharger pour Moodle"))
    clash = ""
    if ident in taken:
        clash = (f'<p class="cb-builder-errors">L\'identifiant « {escape(ident)} » est déjà celui d\'un '
                 "cas du casebook : changez-le avant de mettre ce cas dans le dossier du cours.</p>")
    return ('<p class="cb-import-ok">Le cas est complet : il peut être exporté.</p>',
            f"<div>{''.join(links)}</div>{clash}{TO_THE_CLASS}<details><summary>Voir le fichier du cas"
            f"</summary><pre>{escape(single)}</pre></details>")


def explorer_pages(folder: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    """For each provision with an explorer dashboard: the notebook's file name and the provisions
    of that explorer, read from the code cells that call `ui.explorer(...)` in `folder`."""
    return dict(_explorer_pages(str(folder)))


@cache
def _explorer_pages(folder: str) -> tuple[tuple[str, tuple[str, tuple[str, ...]]], ...]:
    pages: dict[str, tuple[str, tuple[str, ...]]] = {}
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        source = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
        for call in re.findall(r"ui\.explorer\(([^)]*)\)", source):
            pids = tuple(re.findall(r"[\"']([A-Za-z0-9_]+)[\"']", call))
            for pid in pids:
                pages.setdefault(pid, (path.name, pids))
    return tuple(pages.items())


def links_html(draft: CaseDraft, notebooks: Path) -> str:
    """The links « Ouvrir ce cas » of the draft's case on screen (or what they still wait for),
    as HTML; `notebooks` is the folder searched for explorer dashboards."""
    kb, case = draft.kb, draft.case
    when = day(case.get("date"))
    known = {fid: kb.facts[fid].coerce(v) for fid, v in case["facts"].items()
             if fid in kb.facts and kb.facts[fid].check(v) is None}
    if when is None or not HORIZON[0] <= when <= HORIZON[1] or not case["expected"]:
        return "<p><small>Lien vers ce cas : choisissez une disposition et une date des faits.</small></p>"
    pages = explorer_pages(notebooks)
    items: dict[str, str] = {}
    for pid in case["expected"]:
        if pid not in pages or pid not in kb.provisions:
            continue
        notebook, pids = pages[pid]
        shown = {f for p in pids if p in kb.provisions for f in kb.facts_of(p)}
        extra = {"regle": pid} if pid != pids[0] else None
        link = link_for(notebook, {k: v for k, v in known.items() if k in shown}, when, extra=extra)
        items.setdefault(link, f"l'explorateur « {kb.provisions[pid].short} » ({notebook})")
    if not items:
        items[link_for(NAVIGATOR, known, when)] = f"le questionnaire « Puis-je parler ? » ({NAVIGATOR})"
    lines = "".join(f'<li><a class="cb-case-link" href="{escape(link)}" target="_blank" rel="noopener">'
                    f"Ouvrir ce cas dans {escape(label)}</a></li>" for link, label in items.items())
    return (f"<div><b>Lien vers ce cas</b> (la date et les faits ; les textes restent ici)"
            f"<ul>{lines}</ul></div>")
