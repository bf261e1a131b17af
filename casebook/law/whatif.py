"""What-if: the smallest changes of facts (one fact, else two) that change a provision's outcome,
said in French."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .determinacy import Memo
from .engine import Situation, evaluate_one
from .facts import FactValue
from .knowledge import KnowledgeBase
from .labels import OUTCOMES
from .logic import TraceNode


@dataclass(frozen=True)
class WhatIf:
    """Changing `changes` (fact id, new value) would turn the provision's outcome into `outcome`."""

    provision: str
    changes: tuple[tuple[str, FactValue], ...]
    outcome: str
    sentence: str


def _alternatives(kb: KnowledgeBase, situation: Situation, fid: str) -> tuple[FactValue, ...]:
    current = situation.facts.get(fid)
    return tuple(v for v in kb.facts[fid].values() if v != current)


def _failing_facts(kb: KnowledgeBase, trace: tuple[TraceNode, ...]) -> set[str]:
    """Facts read by a condition of the trace that does not hold (or is unknown)."""
    out: set[str] = set()
    for node in trace:
        if node.value is True:
            continue
        if node.fact:
            out.add(node.fact)
        if node.provision:
            out.update(kb.facts_of(node.provision))
        out |= _failing_facts(kb, node.children)
    return out


def _sentence(kb: KnowledgeBase, pid: str, changes, outcome: str) -> str:
    clauses = " et ".join(kb.facts[f].if_clause(v) for f, v in changes)
    short = kb.provisions[pid].short
    outcome_words = OUTCOMES[outcome].lower()
    return f"{clauses[0].upper()}{clauses[1:]}, la réponse ({short}) deviendrait : {outcome_words}."


def what_if(kb: KnowledgeBase, situation: Situation, pid: str, max_changes: int = 2
            ) -> list[WhatIf]:
    """Changes of one fact that give `pid` another known outcome; a change that only opens a new
    question is completed by that question's answers. With no single change, pairs of changes."""
    memo: Memo = {}
    now = evaluate_one(kb, situation, pid, memo)
    current = now.outcome
    if now.version is not None:
        rule = now.version.rule
        possible = {"non_applicable", rule.base.outcome, *(e.outcome for e in rule.exceptions)}
        if possible == {current}:  # every branch of this version answers the same
            return []
    # only an answered fact or one whose answer can still change the outcome is worth changing
    fids = [f for f in kb.facts_of(pid) if kb.facts[f].type != "date"
            and (f in situation.facts or f in now.unknown)]
    found: dict[tuple, WhatIf] = {}

    def consider(changes: tuple[tuple[str, FactValue], ...], follow: bool) -> None:
        verdict = evaluate_one(kb, situation.with_facts(**dict(changes)), pid, memo, questions=False)
        if verdict.outcome == current:
            return
        if verdict.outcome == "indetermine" and follow and verdict.unknown:
            nxt = verdict.unknown[0]
            for value in kb.distinct[pid][nxt]:
                consider((*changes, (nxt, value)), follow=False)
            return
        if verdict.outcome != "indetermine" or current != "indetermine":
            found.setdefault(changes, WhatIf(pid, changes, verdict.outcome,
                                             _sentence(kb, pid, changes, verdict.outcome)))

    if current == "indetermine":  # from an open answer, single changes (and their completion)
        max_changes = 1
    # pairs are sought among the facts of the conditions that do not hold
    failing = _failing_facts(kb, now.trace)
    for size in range(1, max_changes + 1):
        pool = fids if size == 1 else [f for f in fids if f in failing]
        for combo in itertools.combinations(pool, size):
            for values in itertools.product(*(_alternatives(kb, situation, f) for f in combo)):
                consider(tuple(zip(combo, values, strict=True)), follow=size == 1)
        if found:
            break
    return list(found.values())
