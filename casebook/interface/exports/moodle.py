"""A Moodle XML question bank of worked cases, for the school's Moodle (menu « Banque de
questions › Importer », format « Moodle XML »).

One multiple-choice question (one right answer) per case and provision asked, written as Moodle
5.0's XML importer reads it (`question/format/xml/format.php`, `import_multichoice` and
`import_headers`; `question/format.php`, `importprocess` and `create_category_path`):

- the stem is the case's narrative, the date of the facts and the provision's question;
- the options are the answers a student predicts in « Entraînement » (`labels.DEONTIC`), in that
  order; the right one (fraction 100, the others 0: the only grades the importer's `matchgrades`
  check needs) is the engine's verdict at the case's date. A question whose verdict is none of
  them (« indéterminé », a sanction) is left out and counted;
- each wrong option's feedback is the one « Entraînement » gives (`pedagogy.feedback`): what
  that choice usually reveals, and the case's misconception where it has one;
- the general feedback is the engine's reasoning: outcome, explanation, limits, the version
  applied with its citation, dates and verification status (« à vérifier » when no official
  source confirms it), debated readings, remarks and every condition examined;
- one category per theme (« Secret professionnel (casebook) / <thème> »), written without a
  context prefix, so the importer puts it in the question bank being imported into; it creates
  the categories when « Catégorie depuis le fichier » is ticked;
- names and idnumbers are built from the case id and the provision id only, so they are the
  same at every export. What Moodle does with them: its importer always creates a new question;
  an idnumber already used in the category is dropped from the new question (idnumbers are
  unique per category). A second import of the same file therefore adds copies without
  idnumber: to replace questions, delete the category's old ones first, or import into a new
  category. The idnumber keeps telling which case and provision a question asks about.

Every text from data is HTML-escaped, then written in XML by ElementTree (which escapes it once
more for XML). The file is UTF-8, in French, and holds cases only: nothing about a student."""

from __future__ import annotations

import base64
import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ...law.engine import Verdict, evaluate_one
from ...law.knowledge import KnowledgeBase
from ...law.labels import (
    CONDITION_MARK,
    CONDITION_STATUS,
    DEONTIC,
    LIMIT_NAMES,
    OUTCOMES,
    STATUSES,
    french_date,
)
from ...law.logic import TraceNode
from ...law.report import version_span
from ..blocks.pedagogy import feedback
from ..pages.rounds import LEVELS, Question, topic_label

ROOT_CATEGORY = "Secret professionnel (casebook)"
MAX_IDNUMBER = 100  # question_bank_entries.idnumber holds 100 characters
MAX_NAME = 255  # the importer shortens longer names
PENALTY = "0.3333333"  # Moodle's default penalty for a wrong try


@dataclass(frozen=True)
class Item:
    """One question of the bank: the round's question and the engine's verdict on it."""

    question: Question
    verdict: Verdict


def items(kb: KnowledgeBase, asked: Sequence[Question]) -> tuple[list[Item], list[Question]]:
    """The questions that can be asked (the verdict is one of the options), in the order given,
    and those left out."""
    kept: list[Item] = []
    left: list[Question] = []
    for q in asked:
        verdict = evaluate_one(kb, q.scenario.situation, q.pid)
        if verdict.outcome in DEONTIC:
            kept.append(Item(q, verdict))
        else:
            left.append(q)
    return kept, left


def idnumber(case_id: str, pid: str) -> str:
    """The question's idnumber: « casebook:<case>:<provision> », shortened with a hash of the
    whole when longer than Moodle keeps."""
    full = f"casebook:{case_id}:{pid}"
    if len(full) <= MAX_IDNUMBER:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:12]
    return f"{full[:MAX_IDNUMBER - 13]}~{digest}"


def question_name(case_id: str, pid: str) -> str:
    """The question's name in the bank: the case id and the provision id."""
    return f"{case_id} — {pid}"[:MAX_NAME]


def _t(text: str) -> str:
    """Text as HTML content."""
    return escape(text, quote=False)


def _html(parent: ET.Element, tag: str, content: str) -> ET.Element:
    element = ET.SubElement(parent, tag, format="html")
    ET.SubElement(element, "text").text = content
    return element


def _value(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def stem_html(kb: KnowledgeBase, q: Question) -> str:
    """The question's text: title, narrative, date of the facts and the provision's question."""
    sc, provision = q.scenario, kb.provisions[q.pid]
    return (f"<p><b>{_t(sc.title)}</b></p><p>{_t(sc.narrative.strip())}</p>"
            f"<p>Date des faits : {french_date(sc.situation.date)}</p>"
            f"<p><b>Que dit « {_t(provision.short)} » ?</b> {_t(provision.question)}</p>")


def _node(node: TraceNode) -> str:
    judged = " (votre appréciation)" if node.judgement else ""
    kids = "".join(_node(c) for c in node.children)
    return (f"<li>{CONDITION_MARK[node.value]} {_t(node.label)} : {CONDITION_STATUS[node.value]}{judged}"
            f"{'<ul>' + kids + '</ul>' if kids else ''}</li>")


def reasoning_html(verdict: Verdict, date_text: str) -> str:
    """The engine's answer and why: the general feedback of a question (and the answer key's)."""
    v, o = verdict.version, verdict.outcome
    parts = [f"<p><b>Réponse du casebook : {_t(OUTCOMES[o])}</b> ({_t(verdict.provision.short)}, "
             f"faits du {date_text})</p>", f"<p>{_t(verdict.explanation)}</p>"]
    if verdict.limits:
        parts.append("<ul>" + "".join(f"<li><b>{_t(LIMIT_NAMES[k])}</b> : {_t(x)}</li>"
                                      for k, x in verdict.limits) + "</ul>")
    if v is None:
        parts.append("<p>Version appliquée : aucune version en vigueur à cette date.</p>")
    else:
        parts.append(f"<p>Version appliquée : {_t(v.citation)} ({_t(version_span(v))}) "
                     f"[{_t(STATUSES[v.status])}]</p>")
        if v.penalty:
            parts.append(f"<p>Peine : {_t(v.penalty)}</p>")
    if verdict.debate:
        readings = "".join(f"<li>{_t(r.reading)} ({_t(OUTCOMES[r.outcome].lower())}) — {_t(r.source)}</li>"
                           for r in verdict.debate)
        parts.append("<p><b>Question débattue</b> : aucune lecture n'est certaine ; la réponse retenue "
                     f"est la plus prudente.</p><ul>{readings}</ul>")
    parts += [f"<p>Remarque : {_t(r)}</p>" for r in verdict.remarks]
    nodes = "".join(_node(n) for n in verdict.trace)
    parts.append(f"<p><b>Raisonnement</b></p><ul>{nodes or '<li>Aucune condition examinée.</li>'}</ul>")
    return "".join(parts)


def _question(kb: KnowledgeBase, item: Item) -> ET.Element:
    q, verdict = item.question, item.verdict
    sc = q.scenario
    element = ET.Element("question", type="multichoice")
    ET.SubElement(ET.SubElement(element, "name"), "text").text = question_name(sc.id, q.pid)
    _html(element, "questiontext", stem_html(kb, q))
    source = "cas du cours" if sc.course else "cas du casebook"
    _html(element, "generalfeedback", reasoning_html(verdict, french_date(sc.situation.date))
          + f"<p><small>Casebook du secret professionnel, {source} « {_t(sc.id)} ». Outil "
            "pédagogique, pas un avis juridique.</small></p>")
    _value(element, "defaultgrade", "1")
    _value(element, "penalty", PENALTY)
    _value(element, "hidden", "0")
    _value(element, "idnumber", idnumber(sc.id, q.pid))
    _value(element, "single", "true")
    _value(element, "shuffleanswers", "false")
    _value(element, "answernumbering", "abc")
    _value(element, "showstandardinstruction", "1")
    _html(element, "correctfeedback", "<p>Bonne réponse.</p>")
    _html(element, "partiallycorrectfeedback", "")
    _html(element, "incorrectfeedback", "<p>Ce n'est pas la réponse du casebook : lisez son "
                                        "raisonnement ci-dessous.</p>")
    for option in DEONTIC:
        right = option == verdict.outcome
        answer = ET.SubElement(element, "answer", fraction="100" if right else "0", format="html")
        ET.SubElement(answer, "text").text = _t(OUTCOMES[option])
        said = feedback(kb, sc, verdict, option)
        _html(answer, "feedback", f"<p>{_t(said)}</p>")
    tags = ET.SubElement(element, "tags")
    for tag in ("casebook", q.topic, LEVELS[q.level].lower(), *(["cas-du-cours"] if sc.course else [])):
        ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag
    return element


def category_path(topic: str) -> str:
    """The category of a theme, as the importer reads a path (a « / » in a name doubled)."""
    names = ("top", ROOT_CATEGORY, topic_label(topic))
    return "/".join(n.replace("/", "//") for n in names)


def _category(topic: str) -> ET.Element:
    element = ET.Element("question", type="category")
    ET.SubElement(ET.SubElement(element, "category"), "text").text = category_path(topic)
    info = ("Questions du casebook du secret professionnel (droit belge) : thème « "
            f"{topic_label(topic)} ». La bonne réponse est celle du moteur du casebook à la date "
            "des faits.")
    _html(element, "info", f"<p>{_t(info)}</p>")
    return element


def bank_xml(kb: KnowledgeBase, asked: Sequence[Item]) -> str:
    """The Moodle XML file of these questions, grouped by theme (the first theme met first)."""
    root = ET.Element("quiz")
    by_topic: dict[str, list[Item]] = {}
    for item in asked:
        by_topic.setdefault(item.question.topic, []).append(item)
    for topic, group in by_topic.items():
        root.append(_category(topic))
        for item in group:
            root.append(_question(kb, item))
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode", short_empty_elements=False)  # <text></text>, like Moodle
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'


def download_html(kb: KnowledgeBase, asked: Sequence[Question], name: str, label: str) -> str:
    """A link that downloads the bank of these questions as the file `name` (the file is in the
    link itself, as the pages' other downloads), with how many questions it holds; "" when none
    of them can be asked."""
    kept, _left = items(kb, asked)
    if not kept:
        return ""
    payload = base64.b64encode(bank_xml(kb, kept).encode("utf-8")).decode("ascii")
    count = f"{len(kept)} question{'s' if len(kept) > 1 else ''}"
    return (f'<a class="cb-download cb-moodle" download="{escape(name)}" role="button" '
            f'href="data:application/xml;charset=utf-8;base64,{payload}">{escape(label)} '
            f"({escape(name)}, {count})</a>")
