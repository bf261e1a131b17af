"""Evaluating a situation: every provision, at the situation's date, gives one deontic outcome
with its limits, the version applied and a trace of every condition.

Unknown facts give "indéterminé" only when some answer to them would change the outcome: when
the three-valued rule cannot decide, the provision's unknown facts are answered in every way that
matters (a search that only branches on the facts the rule still reads, with the values each can
take) and, if every completion gives the same outcome, that outcome is the answer. The facts
asked are those whose answer can change the outcome."""

from __future__ import annotations

import datetime as dt
import itertools
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .errors import DataError, DataErrors
from .facts import FactValue
from .knowledge import HORIZON, KnowledgeBase
from .labels import OUTCOMES, french_date
from .logic import (
    Combination,
    Condition,
    Context,
    FactCondition,
    ProvisionCondition,
    TraceNode,
    Tri,
)
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


Memo = dict  # (provision, date, facts) → the search below that partial situation


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
        self.ctx = Context(self.facts, self._outcome_of)

    def _outcome_of(self, pid: str) -> tuple[str, frozenset[str]]:
        v = self.verdict(pid)
        return v.outcome, frozenset(v.unknown)

    def verdict(self, pid: str) -> Verdict:
        if pid not in self.verdicts:
            v = self._evaluate(self.kb.provisions[pid])
            if self.settle and v.branch == "indetermine":
                v = self._settled(pid, v)
            self.verdicts[pid] = v
        return self.verdicts[pid]

    def _settled(self, pid: str, undecided: Verdict) -> Verdict:
        """The search's answer, kept for the next situation that agrees on every fact the
        provision reads at this date (a class changing one answer at a time)."""
        cache = _settled_cache(self.kb)
        reads = cache.reads(pid)
        versions = tuple(self.kb.provisions[p].version_at(self.date) for p in reads[1])
        key = (pid, tuple(v.id if v else None for v in versions), self.questions,
               frozenset((f, self.facts[f]) for f in reads[0] if f in self.facts))
        found = cache.get(key)
        if found is None:
            found = _Search(self, pid).settle(undecided)
            cache.put(key, found)
        return found

    def _evaluate(self, p: Provision) -> Verdict:
        date = self.date
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
        ordered = self.kb.ranked(unknown)
        questions = " ; ".join(self.kb.facts[f].question for f in ordered)
        text = f"La réponse dépend de faits encore inconnus : {questions}"
        return Verdict(p, "indetermine", version, "indetermine", "Indéterminé", text, (),
                       tuple(trace), unknown=ordered, remarks=remarks)


class _SettledCache:
    """Settled verdicts of one knowledge base, least recently used dropped first."""

    SIZE = 4096

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.entries: OrderedDict[tuple, Verdict] = OrderedDict()
        self.scopes: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}

    def reads(self, pid: str) -> tuple[frozenset[str], tuple[str, ...]]:
        """The facts a provision reads and the provisions it reads, itself included."""
        if pid not in self.scopes:
            chain, stack = [], [pid]
            while stack:
                current = stack.pop()
                if current not in chain:
                    chain.append(current)
                    stack.extend(sorted(self.kb.provisions[current].references()))
            self.scopes[pid] = (frozenset(self.kb.facts_of(pid)), tuple(chain))
        return self.scopes[pid]

    def get(self, key: tuple) -> Verdict | None:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: tuple, verdict: Verdict) -> None:
        self.entries[key] = verdict
        if len(self.entries) > self.SIZE:
            self.entries.popitem(last=False)


_CACHES: dict[int, _SettledCache] = {}


def _settled_cache(kb: KnowledgeBase) -> _SettledCache:
    if id(kb) not in _CACHES:
        _CACHES[id(kb)] = _SettledCache(kb)
        weakref.finalize(kb, _CACHES.pop, id(kb), None)
    return _CACHES[id(kb)]


def clear_settled_cache() -> None:
    """Forget every settled verdict (benchmarks measure the search itself with it)."""
    for cache in _CACHES.values():
        cache.entries.clear()


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


UNDECIDED = ("indetermine", "indetermine")


class _Quick:
    """Outcomes at one partial situation of the search, without traces or explanations, and the
    first unknown fact in the order the rule is written (scope first): branching on it settles
    the most conditions soonest. One pass over each rule gives both."""

    def __init__(self, search: _Search, facts: Mapping[str, FactValue]):
        self.search = search
        self.states: dict[str, tuple[tuple[str, str], str | None]] = {}
        self.ctx = Context(facts, lambda pid: (self.outcome(pid)[0], frozenset()))

    def outcome(self, pid: str) -> tuple[str, str]:
        """The outcome and branch, or "indetermine" while undecided (so is a conflict)."""
        return self.search.decided.get(pid) or self._state(pid)[0]

    def first_open(self, pid: str) -> str | None:
        return None if pid in self.search.decided else self._state(pid)[1]

    def _state(self, pid: str) -> tuple[tuple[str, str], str | None]:
        if pid not in self.states:
            self.states[pid] = self._read(pid)
        return self.states[pid]

    def _read(self, pid: str) -> tuple[tuple[str, str], str | None]:
        version = self.search.version(pid)
        if version is None:
            return ("non_applicable", "hors_vigueur"), None
        rule = version.rule
        scope, first = self._scan(rule.applies_when)
        if scope is not True:
            return (("non_applicable", "non_applicable") if scope is False else UNDECIDED), first
        held, first, open_ = [], None, False
        for exc in rule.exceptions:
            assert exc.when is not None
            value, found = self._scan(exc.when)
            if value:
                held.append(exc)
            first, open_ = first or found, open_ or value is None
        if len(held) > 1 or (not held and open_):
            return UNDECIDED, first
        branch = held[0] if held else rule.base
        return (branch.outcome, branch.id), first

    def _scan(self, cond: Condition) -> tuple[Tri, str | None]:
        """The condition's value and, while it is unknown, the first unknown fact it reads."""
        if isinstance(cond, FactCondition):
            value = cond.value(self.ctx)
            return value, cond.fact.id if value is None else None
        if isinstance(cond, ProvisionCondition):
            value = cond.value(self.ctx)
            return value, self.first_open(cond.provision) if value is None else None
        assert isinstance(cond, Combination)
        if cond.kind == "not":
            value, first = self._scan(cond.children[0])
            return (None if value is None else not value), first
        decisive = cond.kind == "any"
        result: Tri = not decisive
        first = None
        for child in cond.children:
            value, found = self._scan(child)
            if value is decisive:
                return decisive, None
            if value is None:
                result, first = None, first or found
        return result, first


class _Open(Exception):
    """Two outcomes were found: the provision is undecided (used when no questions are asked)."""


@dataclass
class _Node:
    """A node of the search: decided (`outcome`) or branching on `fact`, one child per value."""

    answers: dict[str, FactValue]
    outcome: str | None = None
    branch: str | None = None
    fact: str | None = None
    children: tuple[_Node, ...] = ()

    def leaves(self) -> list[_Node]:
        return [self] if self.outcome else [x for c in self.children for x in c.leaves()]

    def outcomes(self) -> frozenset[str]:
        return frozenset(x.outcome for x in self.leaves() if x.outcome)


class _Search:
    """Every way of answering an undecided provision's unknown facts that can matter.

    The search is a decision tree: it branches only on a fact the rule still reads (the first
    unknown one in the order the rule is written), over one value of each class of values the
    rule cannot tell apart, until the provision is decided; its leaves cover every completion
    once. A fact is decisive when some completion of the other facts gives two outcomes for two
    of its answers: where the tree branches on it, two children reach different sets of
    outcomes, or two leaves of two children with different outcomes disagree on that fact
    alone."""

    def __init__(self, run: _Evaluation, pid: str):
        self.run, self.pid = run, pid
        self.outcomes: frozenset[str] = frozenset()
        # provisions decided for the whole situation keep their outcome in every node
        self.decided = {p: (v.outcome, v.branch) for p, v in run.verdicts.items()
                        if v.branch != "indetermine"}
        self.versions: dict[str, Version | None] = {}

    def version(self, pid: str) -> Version | None:
        if pid not in self.versions:
            self.versions[pid] = self.run.kb.provisions[pid].version_at(self.run.date)
        return self.versions[pid]

    def _grow(self, facts: dict[str, FactValue]) -> _Node:
        run = self.run
        key = (self.pid, run.date, frozenset(facts.items()))
        if key in run.memo:
            node = run.memo[key]
            self._seen(node.outcomes())
            return node
        quick = _Quick(self, facts)
        fid = quick.first_open(self.pid)
        if fid is None:
            outcome, branch = quick.outcome(self.pid)
            node = _Node(facts, outcome=outcome, branch=branch)
            self._seen(frozenset((outcome,)))
        else:
            node = _Node(facts, fact=fid, children=tuple(
                self._grow({**facts, fid: value}) for value in run.kb.distinct[self.pid][fid]))
        run.memo[key] = node
        return node

    def _seen(self, outcomes: frozenset[str]) -> None:
        """Without questions to find, the search stops at its second outcome."""
        self.outcomes |= outcomes
        if not self.run.questions and len(self.outcomes) > 1:
            raise _Open

    @staticmethod
    def _apart_only_on(fid: str, a: _Node, b: _Node) -> bool:
        if a.outcome == b.outcome:
            return False
        return all(a.answers[f] == b.answers[f] for f in a.answers.keys() & b.answers.keys()
                   if f != fid)

    def _decisive(self, root: _Node) -> set[str]:
        found: set[str] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if node.fact is None:
                continue
            stack.extend(node.children)
            if node.fact in found:
                continue
            if len({c.outcomes() for c in node.children}) > 1 or any(
                    self._apart_only_on(node.fact, a, b)
                    for ca, cb in itertools.combinations(node.children, 2)
                    for a in ca.leaves() for b in cb.leaves()):
                found.add(node.fact)
        return found

    def settle(self, undecided: Verdict) -> Verdict:
        try:
            root = self._grow(dict(self.run.facts))
        except _Open:  # undecided; the questions are those of the three-valued evaluation
            return undecided
        kb = self.run.kb
        if len(root.outcomes()) > 1:
            unknown = kb.ranked(self._decisive(root))
            questions = " ; ".join(kb.facts[f].question for f in unknown)
            text = f"La réponse dépend de faits encore inconnus : {questions}"
            return replace(undecided, explanation=text, unknown=unknown)
        leaves = root.leaves()
        same = (" Les faits encore inconnus ne changeraient pas cette réponse : quelle que soit "
                "leur réponse, elle reste la même.")
        # one outcome: where the scope may fail or a single branch answer, that branch explains
        # it (« even if the article applied, … »); several branches get a general explanation
        opened = [x for x in leaves if x.branch not in ("non_applicable", "hors_vigueur")]
        even_if = ""
        if len({x.branch for x in opened}) == 1 and len(opened) < len(leaves):
            leaves, even_if = opened, "Même si cette disposition s'appliquait, la réponse serait la même. "
        if len({x.branch for x in leaves}) > 1:
            outcome = leaves[0].outcome or "indetermine"
            text = (f"Les faits encore inconnus ne changeraient pas cette réponse "
                    f"({OUTCOMES[outcome].lower()}) ; mais selon leur réponse, ce n'est pas la "
                    "même condition qui joue : précisez-les pour voir laquelle.")
            return replace(undecided, outcome=outcome, branch="sans_effet",
                           branch_label="Réponse certaine", explanation=text, limits=(),
                           unknown=(), settled=undecided.unknown)
        first = leaves[0].answers
        leaf = _Evaluation(kb, self.run.date, first, False, self.run.verdicts).verdict(self.pid)
        return replace(undecided, outcome=leaf.outcome, branch=leaf.branch,
                       branch_label=leaf.branch_label, explanation=even_if + leaf.explanation + same,
                       limits=leaf.limits, unknown=(), settled=undecided.unknown,
                       debate=() if even_if else leaf.debate)  # a debate only where it arises


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
    order = list(kb.facts)
    return sorted(counts.items(), key=lambda kv: (-len(kv[1]), order.index(kv[0])))
