"""Worked cases (`data/scenarios/*.yaml`): loading them with clear errors, and checking each
expected outcome against the engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .engine import Situation, Verdict, evaluate
from .errors import DataError, DataErrors
from .knowledge import HORIZON, KnowledgeBase
from .labels import OUTCOMES, french_date
from .paths import data_dir

if TYPE_CHECKING:
    from .yamlio import YamlDocument


@dataclass(frozen=True)
class Expectation:
    """What a worked case expects of one provision: its outcome, and optionally the version
    applied and whether the answer is shown as a debated question."""

    provision: str
    outcome: str
    version: str | None
    debated: bool | None = None


@dataclass(frozen=True)
class Provenance:
    """Where a worked case comes from: the handout, published material (with its reference or
    address and date) or a case built for the casebook."""

    type: str  # "support_de_cours", "publie", "construit"
    source: str
    handout_section: str = ""
    reference: str = ""
    url: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class Misconception:
    """A belief a worked case fights. Keyed to the wrong answer a student holding it gives
    (`answer`, an outcome id), for one provision of the case (`provision`) or, without one, for
    any provision it asks about; not keyed (`answer` None), it is only shown to the instructor."""

    text: str
    answer: str | None = None
    provision: str | None = None

    def explains(self, chosen: str, provision: str) -> bool:
        """Whether this belief is behind the answer `chosen` for `provision`."""
        return self.answer == chosen and self.provision in (None, provision)


@dataclass(frozen=True)
class Scenario:
    """One worked case: a French narrative, its facts and date, and what each provision gives.
    A case whose narrative continues another one names it in `depends_on`: it is read after that
    case, never drawn alone."""

    id: str
    file: str
    title: str
    narrative: str
    situation: Situation
    expected: tuple[Expectation, ...]
    teaching_notes: str
    misconceptions: tuple[Misconception, ...]
    provenance: Provenance
    review: str
    depends_on: str | None = None
    course: bool = False  # a case of the instructor's course folder (`course`), not of data/

    @property
    def ref(self) -> str:
        return f"{self.file}#{self.id}"

    def misconceptions_for(self, chosen: str, provision: str) -> tuple[Misconception, ...]:
        """The beliefs behind the wrong answer `chosen` to what `provision` says of this case."""
        return tuple(m for m in self.misconceptions if m.explains(chosen, provision))


@dataclass(frozen=True)
class Mismatch:
    scenario: Scenario
    expectation: Expectation
    verdict: Verdict

    def describe(self) -> str:
        from .report import trace_lines

        got_version = self.verdict.version.id if self.verdict.version else "aucune"
        exp = self.expectation
        debate = {True: ", question débattue", False: ", sans débat", None: ""}
        got_debate = debate[bool(self.verdict.debate)] if exp.debated is not None else ""
        lines = [
            f"ÉCHEC {self.scenario.ref} — {exp.provision}",
            f"  attendu : {exp.outcome}" + (f" (version {exp.version})" if exp.version else "")
            + debate[exp.debated],
            f"  obtenu  : {self.verdict.outcome} (version {got_version}){got_debate}",
        ]
        lines += ["  " + line for line in trace_lines(self.verdict)]
        return "\n".join(lines)


def scenario_files(paths: list[Path] | None = None) -> list[Path]:
    """The given files (folders are searched for *.yaml), or every scenario file."""
    targets = paths or [data_dir() / "scenarios"]
    files: list[Path] = []
    for target in targets:
        target = Path(target)
        files += sorted(target.glob("*.yaml")) if target.is_dir() else [target]
    return files


def load_scenarios(kb: KnowledgeBase, paths: list[Path] | None = None,
                   taken: Mapping[str, str] | None = None) -> list[Scenario]:
    """Load and check scenario files; raise DataErrors listing every problem found. `taken`
    maps case ids already in use elsewhere to their file: reusing one is an error too."""
    from .schemas import load_checked, validate  # not needed to use cases taken from a snapshot

    errors: list[DataError] = []
    scenarios: list[Scenario] = []
    seen: dict[str, str] = dict(taken or {})
    dependent: list[tuple[YamlDocument, list[object], str, str]] = []  # checked once all cases are known
    for path in scenario_files(paths):
        if not path.is_file():
            errors.append(DataError(str(path), "", "fichier introuvable"))
            continue
        doc = load_checked(path, "scenarios", errors)
        if doc is None:
            continue
        for i, raw in enumerate(doc.data["cases"]):
            here = ["cases", i]
            errs = validate(doc, "scenarios", "case", value=raw, path=here)
            if errs:
                errors.extend(errs)
                continue
            if raw["id"] in seen:
                errors.append(doc.error([*here, "id"], f"identifiant de cas en double : "
                                        f"{raw['id']} (déjà dans {seen[raw['id']]})"))
                continue
            seen[raw["id"]] = doc.file
            problems = _check_case(kb, raw)
            if problems:
                errors.extend(doc.error([*here, *where], msg) for where, msg in problems)
                continue
            if "depends_on" in raw:
                dependent.append((doc, here, raw["id"], raw["depends_on"]))
            date = dt.date.fromisoformat(raw["date"])
            facts = {k: kb.facts[k].coerce(v) for k, v in raw["facts"].items()}
            scenarios.append(Scenario(
                raw["id"], doc.file, raw["title"], raw["narrative"], Situation(facts, date),
                tuple(Expectation(p, e["outcome"], e.get("version"), e.get("debated"))
                      for p, e in raw["expected"].items()),
                raw["teaching_notes"], tuple(map(_misconception, raw["misconceptions"])),
                _provenance(raw["provenance"]), raw["review"]["status"], raw.get("depends_on"),
            ))
    for doc, here, case_id, target in dependent:
        if target == case_id:
            errors.append(doc.error([*here, "depends_on"], "un cas ne peut pas dépendre de lui-même"))
        elif target not in seen:
            errors.append(doc.error([*here, "depends_on"], f"cas inconnu « {target} » : depends_on "
                                    "nomme l'identifiant d'un cas des fichiers vérifiés"))
    if errors:
        raise DataErrors(errors)
    return scenarios


def _misconception(raw: str | dict) -> Misconception:
    if isinstance(raw, str):
        return Misconception(raw)
    return Misconception(raw["text"], raw["answer"], raw.get("provision"))


def _provenance(raw: dict) -> Provenance:
    date = dt.date.fromisoformat(raw["date"]) if "date" in raw else None
    return Provenance(raw["type"], raw["source"], raw.get("handout_section", ""),
                      raw.get("reference", ""), raw.get("url", ""), date)


def _check_case(kb: KnowledgeBase, raw: dict) -> list[tuple[list[object], str]]:
    problems: list[tuple[list[object], str]] = []
    for fid, value in raw["facts"].items():
        fact = kb.facts.get(fid)
        if fact is None:
            problems.append((["facts", fid], f"fait inconnu « {fid} » (absent de data/facts.yaml)"))
        elif (msg := fact.check(value)) is not None:
            problems.append((["facts", fid], f"{msg} ; reçu : « {value} »"))
    problems += _contradictions(kb, raw["facts"]) if not problems else []
    date = dt.date.fromisoformat(raw["date"])
    if not HORIZON[0] <= date <= HORIZON[1]:
        span = f"{french_date(HORIZON[0])} – {french_date(HORIZON[1])}"
        problems.append((["date"], f"date hors de la période couverte ({span})"))
    for pid, exp in raw["expected"].items():
        provision = kb.provisions.get(pid)
        if provision is None:
            problems.append((["expected", pid], f"disposition inconnue « {pid} »"))
            continue
        vid = exp.get("version")
        if vid and vid not in {v.id for v in provision.versions}:
            known = ", ".join(v.id for v in provision.versions)
            problems.append((["expected", pid, "version"], f"version inconnue « {vid} » pour "
                             f"{pid} ; versions : {known}"))
    for i, item in enumerate(raw["misconceptions"]):
        problems += [(["misconceptions", i, *where], msg) for where, msg in _check_misconception(raw, item)]
    return problems


def _check_misconception(raw: dict, item: str | dict) -> list[tuple[list[object], str]]:
    """A plain misconception does not begin with « [ » (the Atelier's mark of an answer); a keyed
    one names a provision the case asks about, and an answer that is wrong for it (for at least
    one provision of the case, when it names none): otherwise no mistake would ever show it."""
    if isinstance(item, str):
        if item.lstrip().startswith("["):
            return [([], "une idée reçue non liée à une réponse ne commence pas par « [ » (dans "
                         "l'Atelier, les crochets donnent la réponse) : pour la lier à une réponse, "
                         'écrivez {text: "…", answer: …}')]
        return []
    expected = {pid: e["outcome"] for pid, e in raw["expected"].items()}
    answer, pid = item["answer"], item.get("provision")
    if pid is not None and pid not in expected:
        return [(["provision"], f"disposition « {pid} » absente des réponses attendues du cas ; "
                                f"dispositions du cas : {', '.join(expected)}")]
    asked = [pid] if pid is not None else list(expected)
    if all(expected[p] == answer for p in asked):
        which = f"de « {asked[0]} »" if len(asked) == 1 else "de chaque disposition du cas"
        return [(["answer"], f"« {answer} » ({OUTCOMES[answer]}) est la réponse attendue {which} : "
                             "aucune erreur ne montrerait cette idée reçue ; indiquez la mauvaise "
                             "réponse qu'elle fait donner")]
    return []


def _contradictions(kb: KnowledgeBase, raw: dict) -> list[tuple[list[object], str]]:
    """A fact the law derives from the case's other answers may be stated only as it derives."""
    problems: list[tuple[list[object], str]] = []
    for fid, derivation in kb.derivations.items():
        if fid not in raw:
            continue
        others = {k: kb.facts[k].coerce(v) for k, v in raw.items() if k != fid}
        resolution = derivation.resolve(kb.complete(others).facts)
        if resolution.value is not None and resolution.row is not None and resolution.value != raw[fid]:
            fact = kb.facts[fid]
            row = resolution.row
            problems.append((["facts", fid], f"contredit la fonction décrite : d'après la table "
                             f"{derivation.table}.csv (ligne {row.line} : {row.basis}), la réponse est "
                             f"« {fact.describe(resolution.value)} » ; retirez « {fid} » (il se déduit "
                             "de la fonction) ou décrivez une autre fonction"))
    return problems


@dataclass(frozen=True)
class CheckResult:
    """Scenarios whose expectations all hold, those with a mismatch, and every mismatch."""

    passed: int
    failed: int
    mismatches: tuple[Mismatch, ...]


def check(kb: KnowledgeBase, scenarios: list[Scenario]) -> CheckResult:
    """Evaluate every scenario against its expected outcomes (and versions, where given)."""
    passed, failed, mismatches = 0, 0, []
    for sc in scenarios:
        assessment = evaluate(kb, sc.situation, only=tuple(e.provision for e in sc.expected))
        wrong = []
        for exp in sc.expected:
            verdict = assessment[exp.provision]
            got_version = verdict.version.id if verdict.version else None
            same = (verdict.outcome == exp.outcome and exp.version in (None, got_version)
                    and exp.debated in (None, bool(verdict.debate)))
            if not same or verdict.conflict:
                wrong.append(Mismatch(sc, exp, verdict))
        mismatches += wrong
        failed += bool(wrong)
        passed += not wrong
    return CheckResult(passed, failed, tuple(mismatches))
