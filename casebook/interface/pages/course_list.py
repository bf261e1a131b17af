"""The accueil's « Cas du cours »: the cases of the instructor's course folder (`law.course`), each
with a link that opens it (`?cas=<id>`) in the explorer of the first provision it asks about
that has one (found as `transfer.explorer_pages` finds it), else in the navigator « Puis-je
parler ? », and a link to a training round on them (`sujet=cours`). When the folder has errors,
the list says that no course case is shown and lists them (file, line, what was expected), for the
instructor to correct. Without a course folder, or with an empty one, nothing is shown.

Every text from the files is escaped; the HTML is deterministic."""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import urlencode

from ...law.course import Course
from ...law.knowledge import KnowledgeBase
from ...law.labels import french_date
from ...law.scenarios import Scenario
from .rounds import COURSE, NOTEBOOK
from .transfer import NAVIGATOR, explorer_pages

MAX_LISTED = 30  # cases listed on the accueil; the others are counted


def case_link(kb: KnowledgeBase, sc: Scenario, notebooks: Path) -> tuple[str, str]:
    """The address that opens a case, and the page it opens (in French)."""
    pages = explorer_pages(notebooks)
    for exp in sc.expected:
        if exp.provision in pages:
            notebook, pids = pages[exp.provision]
            params = {"cas": sc.id, **({"regle": exp.provision} if exp.provision != pids[0] else {})}
            short = kb.provisions[exp.provision].short
            return f"{notebook}?{urlencode(params)}", f"l'explorateur « {short} »"
    return f"{NAVIGATOR}?{urlencode({'cas': sc.id, 'sujet': 'tout'})}", "« Puis-je parler ? »"


def course_html(kb: KnowledgeBase, course: Course, notebooks: Path) -> str:
    """The accueil's « Cas du cours » section, as HTML ("" without a course case or error)."""
    if course.folder is None:
        return ""
    if course.errors:
        items = "".join(f"<li>{escape(str(e))}</li>" for e in course.errors)
        return ('<div class="cb-course cb-course-errors" role="alert"><h2>Cas du cours</h2>'
                "<p><b>Le dossier du cours contient des erreurs : aucun de ses cas n'est affiché.</b> "
                "Corrigez-les (fichier, ligne, ce qui était attendu), puis rouvrez la page.</p>"
                f"<ul>{items}</ul></div>")
    if not course.cases:
        return ""
    rows = []
    for sc in course.cases[:MAX_LISTED]:
        link, where = case_link(kb, sc, notebooks)
        rows.append(f'<li><a class="cb-course-case" href="{escape(link)}" target="_self">'
                    f"{escape(sc.title)}</a> <small>({french_date(sc.situation.date)} — dans "
                    f"{escape(where)})</small></li>")
    more = len(course.cases) - MAX_LISTED
    extra = f"<p><small>… et {more} autre(s) cas.</small></p>" if more > 0 else ""
    training = f"{NOTEBOOK}?{urlencode({'sujet': COURSE})}"
    count = len(course.cases)
    return (f'<div class="cb-course"><h2>Cas du cours</h2><p>Votre enseignant·e a ajouté {count} cas '
            f"au casebook. Ouvrez-en un, ou entraînez-vous sur eux : "
            f'<a class="cb-course-training" href="{escape(training)}" target="_self">Entraînement sur les '
            f"cas du cours</a>.</p><ul>{''.join(rows)}</ul>{extra}</div>")
