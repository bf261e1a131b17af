"""Evaluating a situation: every provision, at the situation's date, gives one deontic outcome
with its limits, the version applied and a trace of every condition.

Unknown facts give "indéterminé" only when some answer to them would change the outcome: when
the three-valued rule cannot decide, `casebook.determinacy` searches the completions that
matter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .determinacy import Memo, settle
from .errors import DataError, DataErrors
from .facts import FactValue
from .knowledge import HORIZON, KnowledgeBase
from .labels import french_date
from .logic import Context, TraceNode
from .model import Provision, Reading, Version


@dataclass(frozen=True)
class Situation:
    """Facts known about a case (absent means unknown) and the date of the facts."""

    facts: Mapping[str, FactValue] = field(default_factory=dict)
    date: dt.date = field(default_factory=dt.date.today)

    def with_facts(self, **changes: FactValue | None) -> Situation:
        """A copy with some facts changed; None makes a fact unknown again."""
        facts = dict(self.facts)
        for key, value in changes.items():
            if value is None:
                facts.pop(key, None)
            else:
                facts[key] = value
        return Situation(facts, self.date)


@dataclass(frozen=True)
class Verdict:
    """What one provision says about a situation, and why."""

    provision: Provision
    outcome: str
    version: Version | None
    branch: str  # "base", an exception id, "non_applicable", "indetermine", "hors_vigueur"
    branch_label: str
    explanation: str
    limits: tuple[tuple[str, str], ...]
    trace: tuple[TraceNode, ...]
    unknown: tuple[str, ...] = ()
    conflict: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()
    settled: tuple[str, ...] = ()  # facts still unknown that could not change the outcome
    debate: tuple[Reading, ...] = ()  # the readings of a question on which the law is divided
    penalty: str | None = None  # the penalty on the date that decides it, with its décimes

    @property
    def penalty_text(self) -> str | None:
        """The penalty to show: the dated one, else the version's own wording."""
        return self.penalty or (self.version.penalty if self.version else None)


def check_situation(kb: KnowledgeBase, situation: Situation, where: str = "situation") -> None:
    """Raise DataErrors if a fact is unknown to the vocabulary or has a value of the wrong kind,
    or if the date lies outside the casebook's horizon."""
    errors = []
    for fid, value in situation.facts.items():
        fact = kb.facts.get(fid)
        if fact is None:
            errors.append(DataError(where, f"facts.{fid}", f"fait inconnu « {fid} »"))
        elif (problem := fact.check(value)) is not None:
            errors.append(DataError(where, f"facts.{fid}", f"{problem} ; reçu : « {value} »"))
    if not HORIZON[0] <= situation.date <= HORIZON[1]:
        errors.append(DataError(where, "date", f"date hors de la période couverte "
                                f"({french_date(HORIZON[0])} – {french_date(HORIZON[1])})"))
    if errors:
        raise DataErrors(errors)


class _Evaluation:
    """One situation's verdicts; `settle` searches the completions of an undecided provision."""

    def __init__(self, kb: KnowledgeBase, date: dt.date, facts: Mapping[str, FactValue],
                 settle: bool = True, decided: Mapping[str, Verdict] | None = None,
                 memo: Memo | None = None, questions: bool = True):
        self.kb = kb
        self.date = date
        self.facts = facts
        self.settle = settle
        self.questions = questions
        self.memo: Memo = {} if memo is None else memo
        # verdicts decided for every completion of a smaller situation hold here too
        self.verdicts: dict[str, Verdict] = {p: v for p, v in (decided or {}).items()
                                             if v.branch != "indetermine"}
        completion = kb.complete(dict(facts))
        self.facts = completion.facts
        self.ctx = Context(self.facts, self._outcome_of, completion.notes)

    def _outcome_of(self, pid: str) -> tuple[str, frozenset[str]]:
        v = self.verdict(pid)
        return v.outcome, frozenset(v.unknown)

    def verdict(self, pid: str) -> Verdict:
        if pid not in self.verdicts:
            p = self.kb.provisions[pid]
            v = self._evaluate(p)
            if self.settle and v.branch == "indetermine":
                v = settle(self, pid, v)
            if p.penalty_from and v.version is not None:  # the fine of the date, not the cache's
                v = replace(v, penalty=_penalty(self.kb, p.penalty_from, p.dated(self.facts, self.date)))
            self.verdicts[pid] = v
        return self.verdicts[pid]

    def plain(self, facts: Mapping[str, FactValue], pid: str) -> Verdict:
        """The three-valued verdict of `pid` at a larger partial situation of the same date."""
        return _Evaluation(self.kb, self.date, facts, False, self.verdicts).verdict(pid)

    def _evaluate(self, p: Provision) -> Verdict:
        date = p.dated(self.facts, self.date)
        version = p.version_at(date)
        if version is None:
            annulled = p.annulled_at(date)
            if annulled and annulled.annulment:
                text = (f"Annulé par {annulled.annulment.by} "
                        f"(le {french_date(annulled.annulment.date)}) : une annulation par la Cour "
                        "constitutionnelle vaut depuis l'origine, la disposition est réputée "
                        "n'avoir jamais existé.")
            else:
                text = f"Aucune version de cette disposition n'est en vigueur le {french_date(date)}."
            return Verdict(p, "non_applicable", None, "hors_vigueur", "Hors vigueur", text, (), ())
        rule, cite = version.rule, version.citation
        applies = rule.applies_when.evaluate(self.ctx, cite)
        trace = [TraceNode("Champ d'application", cite, applies.value, applies.trace)]
        if applies.value is False:
            return Verdict(p, "non_applicable", version, "non_applicable", "Non applicable",
                           rule.not_applicable, (), tuple(trace))
        remarks = tuple(r.text for r in rule.remarks if r.when.evaluate(self.ctx, cite).value)
        if applies.value is None:
            return self._undetermined(p, version, trace, applies.unknown, remarks)
        held, unknown = [], set()
        for exc in rule.exceptions:
            assert exc.when is not None
            res = exc.when.evaluate(self.ctx, cite)
            trace.append(TraceNode(f"Exception : {exc.label}", cite, res.value, res.trace))
            if res.value:
                held.append(exc)
            elif res.value is None:
                unknown |= res.unknown
        if len(held) > 1:
            ids = tuple(e.id for e in held)
            text = "Conflit : plusieurs exceptions s'appliquent ensemble (" + ", ".join(ids) + ")."
            return Verdict(p, "indetermine", version, "conflit", "Conflit", text, (), tuple(trace),
                           conflict=ids, remarks=remarks)
        if held:
            b = held[0]
        elif unknown:
            return self._undetermined(p, version, trace, unknown, remarks)
        else:
            b = rule.base
        return Verdict(p, b.outcome, version, b.id, b.label, _explain(version, b.explanation),
                       b.limits, tuple(trace), remarks=remarks, debate=b.debate)

    def _undetermined(self, p, version, trace, unknown, remarks) -> Verdict:
        asked = {q for fid in unknown for q in self.kb.to_ask(fid, self.facts)}
        ordered = self.kb.ranked(asked)
        questions = " ; ".join(self.kb.facts[f].question for f in ordered)
        text = f"La réponse dépend de faits encore inconnus : {questions}"
        return Verdict(p, "indetermine", version, "indetermine", "Indéterminé", text, (),
                       tuple(trace), unknown=ordered, remarks=remarks)


def _penalty(kb: KnowledgeBase, key: str, date: dt.date) -> str | None:
    """The penalty of `key` for an act of `date` (tables/penalties.csv), with its décimes."""
    table = kb.tables.get("penalties")
    if table is None:
        return None
    for row in table.where("key", key).rows:
        cells = dict(zip(table.columns, row, strict=True))
        start = dt.date.fromisoformat(cells["from"]) if cells["from"] else dt.date.min
        end = dt.date.fromisoformat(cells["until"]) if cells["until"] else dt.date.max
        if start <= date <= end:
            status = {"verified": "", "secondary": " ; source secondaire",
                      "unverified": " ; à vérifier"}[cells["status"]]
            prison = "" if cells["prison"] == "—" else f"{cells['prison']} d'emprisonnement et/ou "
            return (f"{cells['offence']}, pour des faits du {french_date(date)} : {prison}amende de "
                    f"{cells['fine_nominal']}, soit {cells['fine_effective']} avec les décimes "
                    f"({cells['multiplier']}{status})")
    return None


def _explain(version: Version, explanation: str) -> str:
    """The branch's explanation, with what a version whose text is unverified rests on."""
    if version.status != "unverified":
        return explanation
    if version.carried_over_from:
        return (f"{explanation} Texte de cette version non vérifié : ce raisonnement est repris de "
                f"la version antérieure ({version.carried_over_from}) en attendant la vérification "
                "du nouveau texte (à vérifier).")
    return (f"{explanation} Texte de cette version non vérifié : ce raisonnement repose sur "
            f"{version.status_source} (à vérifier).")


@dataclass(frozen=True)
class Assessment:
    """Every provision's verdict for one situation, in teaching order."""

    situation: Situation
    verdicts: dict[str, Verdict]

    def __getitem__(self, pid: str) -> Verdict:
        return self.verdicts[pid]


def evaluate(kb: KnowledgeBase, situation: Situation, only: tuple[str, ...] | None = None,
             memo: Memo | None = None, questions: bool = True) -> Assessment:
    """Evaluate all provisions (or `only` these and what they depend on) for `situation`.
    Evaluations of related situations (the what-if search) may share one `memo` of the
    partial situations already searched. With `questions=False` an undecided verdict lists the
    unknown facts its rule still reads, not only those that can change it (faster)."""
    check_situation(kb, situation)
    facts = {k: kb.facts[k].coerce(v) for k, v in situation.facts.items()}
    run = _Evaluation(kb, situation.date, facts, memo=memo, questions=questions)
    wanted = only if only is not None else tuple(kb.provisions)
    for pid in wanted:
        run.verdict(pid)
    return Assessment(situation, {pid: run.verdicts[pid] for pid in kb.provisions
                                  if pid in run.verdicts and (only is None or pid in only)})


def evaluate_one(kb: KnowledgeBase, situation: Situation, pid: str, memo: Memo | None = None,
                 questions: bool = True) -> Verdict:
    """The verdict of a single provision (its dependencies are evaluated as needed)."""
    return evaluate(kb, situation, only=(pid,), memo=memo, questions=questions)[pid]


def next_questions(kb: KnowledgeBase, assessment: Assessment, among: tuple[str, ...] | None = None
                   ) -> list[tuple[str, list[str]]]:
    """Unknown facts that could still change some answer (of the provisions `among`, default all),
    most decisive first, with the provisions each would help decide."""
    counts: dict[str, list[str]] = {}
    for pid, v in assessment.verdicts.items():
        if among is not None and pid not in among:
            continue
        for fid in v.unknown:
            counts.setdefault(fid, []).append(pid)
    return sorted(counts.items(), key=lambda kv: (-len(kv[1]), kb.fact_rank[kv[0]]))
