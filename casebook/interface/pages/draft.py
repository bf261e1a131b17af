"""The cases the « Atelier de cas » is editing, as plain data (no widget, no file): the cases of
the file being edited and the one on screen, what each entry of the instructor writes into it,
what is still missing or malformed (in French, field by field, as escaped HTML), the engine's
answer beside each expected one, and the file texts to export. `builder` shows a draft and
`transfer` brings files in and out; reading, writing and comparing cases is `law.casefile`'s work.

In the « Idées reçues » field a misconception is one line; a line beginning with an answer's
French label in brackets is keyed to that answer (« [Faculté de partager] Entre collègues, tout
se dit. »), and « [Faculté de partager — Secret partagé] … » to that answer for one provision.
Brackets naming no answer or no provision are an error the page shows, never a plain text.

A case is kept as the mapping its file holds: an entry writes only the field it is about, so
whatever the builder does not show (a review note, a field left untouched) goes back out as it
came in. Nothing typed is rewritten: a value the file format refuses is kept as typed and named
in `problems`."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from ...law.casefile import CaseFile, Comparison, blank_case, compare, dump, read
from ...law.errors import DataErrors
from ...law.knowledge import HORIZON, KnowledgeBase
from ...law.labels import DEONTIC, OUTCOMES, french_date
from ...law.scenarios import Scenario

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
FIELDS = {"id": "Identifiant", "title": "Titre", "narrative": "Récit", "depends_on": "Cas qui précède",
          "date": "Date des faits",
          "facts": "Faits", "expected": "Réponses attendues", "teaching_notes": "Notes pour l'enseignant·e",
          "misconceptions": "Idées reçues", "provenance": "Provenance", "review": "Relecture"}
OPTIONAL = {("provenance", "handout_section"), ("provenance", "reference"), ("provenance", "url")}
_PLACE = re.compile(r"cases\[(\d+)\]\.?([^.\[]*)\.?(.*)")
_KEYED = re.compile(r"\s*\[([^\]]*)\](.*)", re.S)  # « [Réponse] texte » or « [Réponse — Disposition] texte »
_DASH = re.compile(r"\s*[—–]\s*|\s+-\s+")  # between the answer and the provision
EXAMPLE = "« [Faculté de partager] Entre collègues, tout se dit. »"


def day(value: object) -> dt.date | None:
    """A date written AAAA-MM-JJ, as a date (None for anything else)."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


class CaseDraft:
    """The cases of the file being edited (one blank case for a new one) and the one on screen
    (`index`)."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.cases: list[dict[str, Any]] = [blank_case()]
        self.index = 0
        self.file_name = "cas.yaml"
        self._last: tuple[str, CaseFile] | None = None  # the last file text read, and its reading

    @property
    def case(self) -> dict[str, Any]:
        """The case on screen, as its file holds it."""
        return self.cases[self.index]

    def load(self, cases: Sequence[Mapping[str, Any]], name: str = "cas.yaml", index: int = 0) -> None:
        """Edit these cases (a file read by `casefile.read`), case `index` on screen."""
        self.cases = [dict(c) for c in cases]
        self.file_name = name if re.fullmatch(r"[A-Za-z0-9_.-]+\.ya?ml", name) else "cas.yaml"
        self.index = index

    def get(self, path: tuple[str, ...]) -> object:
        """The value at `path` in the case on screen (None where there is none)."""
        value: object = self.case
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    # -- what the instructor enters ------------------------------------------------------------

    def set(self, path: tuple[str, ...], value: object) -> None:
        """What the instructor typed or chose, written as is (an optional field left empty is
        left out)."""
        target = self.case
        for key in path[:-1]:
            target = target[key]
        if path in OPTIONAL and value == "":
            target.pop(path[-1], None)
        else:
            target[path[-1]] = value

    def set_date(self, value: object) -> None:
        """The date of the facts picked (anything but a date leaves it empty)."""
        self.case["date"] = value.isoformat() if isinstance(value, dt.date) else ""

    def set_published(self, value: object) -> None:
        """The publication date picked (anything but a date removes it)."""
        if isinstance(value, dt.date):
            self.case["provenance"]["date"] = value.isoformat()
        else:
            self.case["provenance"].pop("date", None)

    def set_misconceptions(self, text: str) -> None:
        """One misconception per non-blank line: keyed when it begins with an answer (and a
        provision) in brackets; kept as typed when its brackets name neither (`problems` says
        so)."""
        lines = [line for line in text.split("\n") if line.strip()]
        self.case["misconceptions"] = [self._keyed(line)[0] or line for line in lines]

    def misconceptions_text(self) -> str:
        """The case's misconceptions as the « Idées reçues » field shows them, one per line."""
        lines = []
        for m in self.case.get("misconceptions", []):
            if isinstance(m, str):
                lines.append(m)
            elif isinstance(m, dict) and isinstance(m.get("text"), str):
                label = OUTCOMES.get(m.get("answer"), str(m.get("answer")))
                pid = m.get("provision")
                if pid is not None:
                    provision = self.kb.provisions.get(pid)
                    label += " — " + (provision.short if provision else str(pid))
                lines.append(f"[{label}] {m['text']}")
        return "\n".join(lines)

    def _keyed(self, line: str) -> tuple[dict[str, str] | None, str]:
        """A line of the field that begins with « [ »: the keyed misconception it writes, or, in
        French, why it cannot be keyed ((None, "") for a line without brackets)."""
        if not line.lstrip().startswith("["):
            return None, ""
        found = _KEYED.fullmatch(line)
        if found is None:
            return None, f"crochet fermant « ] » manquant ; écrivez par exemple {EXAMPLE}"
        inside, text = _DASH.split(found.group(1), maxsplit=1), found.group(2).strip()
        answer = _ANSWERS.get(_plain(inside[0]))
        if answer is None:
            known = ", ".join(OUTCOMES[o] for o in DEONTIC)
            return None, (f"« {inside[0].strip()} » n'est pas une réponse ; entre crochets, écrivez "
                          f"l'une de celles-ci : {known}")
        keyed = {"text": text, "answer": answer}
        if len(inside) == 2:
            named = _plain(inside[1])
            pid = next((p for p, prov in self.kb.provisions.items() if named in (_plain(prov.short), p)),
                       None)
            if pid is None:
                asked = ", ".join(self.kb.provisions[p].short for p in self.case["expected"]
                                  if p in self.kb.provisions) or "aucune pour l'instant"
                return None, (f"« {inside[1].strip()} » n'est pas une disposition du casebook ; après "
                              f"le tiret, écrivez l'une des dispositions visées par ce cas : {asked}")
            keyed["provision"] = pid
        if not text:
            return None, "le texte de l'idée reçue manque après les crochets"
        return keyed, ""

    def choose_provisions(self, chosen: Sequence[str]) -> None:
        """The provisions asked about (unknown ones ignored): an expected answer already given
        stays where it was, a provision newly asked comes after it, its answer still to choose."""
        chosen = [p for p in chosen if p in self.kb.provisions]
        old = self.case["expected"]
        expected = {p: old[p] for p in old if p in chosen}
        for pid in chosen:
            expected.setdefault(pid, {})
        self.case["expected"] = expected

    def set_expected(self, pid: str, key: str, value: str) -> None:
        """The expected `outcome` or `version` of a provision asked ("" removes it)."""
        entry = self.case["expected"].get(pid)
        if entry is None:
            return
        if value == "":
            entry.pop(key, None)
        else:
            entry[key] = value

    def asked_facts(self) -> tuple[str, ...]:
        """The facts to ask, in the casebook's order: what the chosen provisions read, and every
        fact the case answers."""
        case_facts = {f for f in self.case["facts"] if f in self.kb.facts}
        wanted = case_facts.union(*(self.kb.facts_of(p) for p in self.case["expected"]
                                    if p in self.kb.provisions))
        return self.kb.ranked(wanted)

    def fact_values(self) -> dict[str, Any]:
        """The facts the case answers, as the engine reads them (unknown facts left out)."""
        return {fid: self.kb.facts[fid].coerce(v) for fid, v in self.case["facts"].items()
                if fid in self.kb.facts}

    def set_facts(self, answers: Mapping[str, Any]) -> None:
        """The fact form's answers (engine values) into the case: a fact keeps its place and,
        when its value is the same for the engine, the way the file wrote it."""
        facts: dict[str, Any] = {}
        for fid, raw in self.case["facts"].items():
            if fid in answers:
                same = self.kb.facts[fid].coerce(raw) == answers[fid]
                facts[fid] = raw if same else _written(answers[fid])
        for fid, value in answers.items():
            facts.setdefault(fid, _written(value))
        self.case["facts"] = facts

    # -- what the case gives -------------------------------------------------------------------

    def comparison_html(self) -> str:
        """The engine's answer beside each expected one, as HTML, or what it still waits for."""
        if not self.case["expected"]:
            return "<p>Choisissez une disposition pour voir la réponse du moteur.</p>"
        found = compare(self.kb, self.case)
        if found is None:
            span = f"{french_date(HORIZON[0])} – {french_date(HORIZON[1])}"
            return ("<p><b>Le moteur ne peut pas répondre :</b> indiquez une date des faits "
                    f"valide, dans la période couverte ({span}).</p>")
        return ("<div><b>Attendu et réponse du moteur</b>"
                + "".join(_comparison_html(c) for c in found) + "</div>")

    def problems(self) -> list[str]:
        """Why the case cannot be exported yet, in French, field by field, as escaped HTML
        (empty: it can)."""
        found = self._missing()
        if found:
            return found
        try:
            self._read()
        except DataErrors as exc:
            return [self._described(e.place, e.message) or escape(str(e)) for e in exc.errors]
        return []

    def _read(self) -> CaseFile:
        """The file being edited, read as `casebook check` reads it (the last reading is reused
        while the text is the same); DataErrors when it cannot be."""
        text = dump(self.cases)
        if self._last is None or self._last[0] != text:
            self._last = (text, read(self.kb, text.encode("utf-8"), self.file_name))
        return self._last[1]

    def scenario(self) -> Scenario | None:
        """The case on screen as the loader reads it; None while it cannot be exported."""
        if self.problems():
            return None
        return self._read().scenarios[self.index]

    def _missing(self) -> list[str]:
        """What is empty or malformed, said in the builder's words."""
        case, out = self.case, []
        ident = case.get("id")
        if not ident:
            out.append("Identifiant : à remplir, en minuscules et tirets "
                       "(par exemple « partage-sans-accord »).")
        elif not (isinstance(ident, str) and ID_PATTERN.fullmatch(ident)):
            out.append(f"Identifiant : seulement des lettres minuscules sans accent, des chiffres et des "
                       f"tirets, sans espace, et pas de tiret au début ; reçu : « {escape(str(ident))} ».")
        for key in ("title", "narrative"):
            if not str(case.get(key, "")).strip():
                out.append(f"{FIELDS[key]} : à remplir.")
        if day(case.get("date")) is None:
            out.append("Date des faits : à indiquer (AAAA-MM-JJ).")
        if not case["expected"]:
            out.append("Dispositions visées : choisissez au moins une disposition.")
        for pid, entry in case["expected"].items():
            if pid in self.kb.provisions and "outcome" not in entry:
                out.append(f"Réponse attendue pour « {escape(self.kb.provisions[pid].short)} » : à choisir.")
        if not str(case.get("teaching_notes", "")).strip():
            out.append(f"{FIELDS['teaching_notes']} : à remplir.")
        for m in case.get("misconceptions", []):
            problem = self._keyed(m)[1] if isinstance(m, str) else ""
            if problem:
                shown = m.strip() if len(m.strip()) <= 60 else m.strip()[:60] + "…"
                out.append(escape(f"{FIELDS['misconceptions']}, « {shown} » : {problem}."))
        provenance = case["provenance"]
        if not str(provenance.get("source", "")).strip():
            out.append("Source : à remplir (d'où vient ce cas ?).")
        url = provenance.get("url")
        if url is not None and not re.match(r"https?://", str(url)):
            out.append("Adresse web : doit commencer par http:// ou https:// ; "
                       f"reçu : « {escape(str(url))} ».")
        if provenance["type"] == "publie":
            if "date" not in provenance:
                out.append("Date de publication : obligatoire pour une source publiée.")
            if not provenance.get("reference") and not provenance.get("url"):
                out.append("Source publiée : indiquez une référence ou une adresse web.")
        return out

    def _described(self, place: str, message: str) -> str:
        """A loader's error on the case on screen, named by the builder's field ("" for an error
        elsewhere in the file)."""
        found = _PLACE.fullmatch(place)
        if found is None or int(found.group(1)) != self.index:
            return ""
        field, rest = found.group(2), found.group(3)
        label = FIELDS.get(field, field or "Cas")
        if field == "facts" and rest in self.kb.facts:
            label = f"Fait « {self.kb.facts[rest].question} »"
        elif field == "expected" and rest.split(".")[0] in self.kb.provisions:
            label = f"Réponse attendue pour « {self.kb.provisions[rest.split('.')[0]].short} »"
        return f"{escape(label)} : {escape(message)}"

    def export_text(self) -> str:
        """The case on screen as a scenario file of one case."""
        return dump([self.case])

    def file_text(self) -> str:
        """Every case of the file being edited, the one on screen as it is now."""
        return dump(self.cases)


def _plain(label: str) -> str:
    """A label as compared with what was typed: case, accents, apostrophes and spaces aside."""
    letters = unicodedata.normalize("NFD", label.replace("’", "'"))
    return " ".join("".join(c for c in letters if not unicodedata.combining(c)).split()).casefold()


_ANSWERS = {_plain(label): o for o in DEONTIC for label in (OUTCOMES[o], o)}


def _written(value: object) -> object:
    """A fact's engine value as a scenario file writes it."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _comparison_html(c: Comparison) -> str:
    """« attendu : X — moteur : Y » for one provision, the differences marked."""
    v = c.verdict
    engine_version = c.version or "aucune version en vigueur"
    expected = OUTCOMES[c.expected] if c.expected else "à choisir"
    if c.expected_version:
        expected += f" (version {c.expected_version})"
    outcome = escape(OUTCOMES[v.outcome])
    version = escape(f"version {engine_version}")
    if c.expected and c.expected != v.outcome:
        outcome = f"<mark>{outcome}</mark>"
    if c.expected_version and c.expected_version != c.version:
        version = f"<mark>{version}</mark>"
    notes = []
    if c.expected and c.expected != v.outcome:
        notes.append("réponse différente")
    if c.expected_version and c.expected_version != c.version:
        notes.append("version différente")
    if v.conflict:
        notes.append("le moteur signale des exceptions en conflit : " + ", ".join(v.conflict))
    verdict = "✔ identiques" if c.agrees else "✘ " + (", ".join(notes) or "réponse attendue à choisir")
    css = "cb-agree" if c.agrees else "cb-differ"
    return (f'<div class="cb-compare {css}" data-provision="{escape(c.provision)}" data-engine="{v.outcome}" '
            f'data-agrees="{"oui" if c.agrees else "non"}"><b>{escape(v.provision.short)}</b> — '
            f'attendu : <span class="cb-expected">{escape(expected)}</span> — moteur : '
            f'<span class="cb-engine">{outcome} ({version})</span> <b>{escape(verdict)}</b>'
            f"<br><small>{escape(v.explanation)}</small></div>")
