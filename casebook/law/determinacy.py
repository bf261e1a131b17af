"""Determinacy: an undecided provision answers « indéterminé » only when some answer to the
facts still unknown would change its outcome, and asks only the facts that can.

The search is a decision tree over the facts a provision's rule (and the rules it reads) still
reads, branching in the order the rule is written, over one value of each class of values those
rules cannot tell apart, with a trace-free evaluation at each node. Settled verdicts are kept per
provision for the versions in force and the answers to the facts it reads."""

from __future__ import annotations

import itertools
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .facts import FactValue
from .labels import OUTCOMES
from .logic import Combination, Condition, Context, FactCondition, ProvisionCondition, Tri

if TYPE_CHECKING:
    from .engine import Verdict, _Evaluation
    from .knowledge import KnowledgeBase
    from .model import Version


Memo = dict  # (provision, date, facts) → the search's node at that partial situation


def settle(run: _Evaluation, pid: str, undecided: Verdict) -> Verdict:
    """The answer every completion of `run`'s situation gives for `pid`, or `undecided` with
    the questions that can change it; kept for the next situation that agrees on every fact the
    provision reads at this date (a class changing one answer at a time)."""
    cache = _settled_cache(run.kb)
    facts_read, chain = cache.reads(pid)
    versions = tuple(run.kb.provisions[p].version_at(run.kb.provisions[p].dated(run.facts, run.date))
                     for p in chain)
    key = (pid, tuple(v.id if v else None for v in versions), run.questions,
           frozenset((f, run.facts[f]) for f in facts_read if f in run.facts))
    found = cache.get(key)
    if found is None:
        found = _Search(run, pid).settle(undecided)
        cache.put(key, found)
    return found


class _SettledCache:
    """Settled verdicts of one knowledge base, least recently used dropped first. A verdict
    with its trace weighs about 2 KB; 512 hold every provision of a page through a what-if
    panel's neighbours, and keep a kernel's memory flat over a lesson of clicks (the soak)."""

    SIZE = 512

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


UNDECIDED = ("indetermine", "indetermine")
# how a settled verdict says that the facts still unknown cannot change it (the navigator's plain
# cards leave these engine sentences out: `casebook.interface.blocks.display.plain_explanation`)
SAME = (" Les faits encore inconnus ne changeraient pas cette réponse : quelle que soit "
        "leur réponse, elle reste la même.")
EVEN_IF = "Même si cette disposition s'appliquait, la réponse serait la même. "


class _Quick:
    """Outcomes at one partial situation of the search, without traces or explanations, and the
    first unknown fact in the order the rule is written (scope first): branching on it settles
    the most conditions soonest. One pass over each rule gives both."""

    def __init__(self, search: _Search, facts: Mapping[str, FactValue]):
        self.search = search
        self.states: dict[str, tuple[tuple[str, str], str | None]] = {}
        self.facts = search.run.kb.complete(dict(facts)).facts
        self.ctx = Context(self.facts, lambda pid: (self.outcome(pid)[0], frozenset()))

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
            p = self.run.kb.provisions[pid]
            self.versions[pid] = p.version_at(p.dated(self.run.facts, self.run.date))
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
        if fid is not None:  # a derived fact is decided by asking what it is derived from
            fid = run.kb.to_ask(fid, quick.facts)[0]
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
        same = SAME
        # one outcome: where the scope may fail or a single branch answer, that branch explains
        # it (« even if the article applied, … »); several branches get a general explanation
        opened = [x for x in leaves if x.branch not in ("non_applicable", "hors_vigueur")]
        even_if = ""
        if len({x.branch for x in opened}) == 1 and len(opened) < len(leaves):
            leaves, even_if = opened, EVEN_IF
        if len({x.branch for x in leaves}) > 1:
            outcome = leaves[0].outcome or "indetermine"
            text = (f"Les faits encore inconnus ne changeraient pas cette réponse "
                    f"({OUTCOMES[outcome].lower()}) ; mais selon leur réponse, ce n'est pas la "
                    "même condition qui joue : précisez-les pour voir laquelle.")
            return replace(undecided, outcome=outcome, branch="sans_effet",
                           branch_label="Réponse certaine", explanation=text, limits=(),
                           unknown=(), settled=undecided.unknown)
        leaf = self.run.plain(leaves[0].answers, self.pid)
        return replace(undecided, outcome=leaf.outcome, branch=leaf.branch,
                       branch_label=leaf.branch_label, explanation=even_if + leaf.explanation + same,
                       limits=leaf.limits, unknown=(), settled=undecided.unknown,
                       debate=() if even_if else leaf.debate)  # a debate only where it arises
