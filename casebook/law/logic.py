"""Conditions of a rule and their three-valued evaluation (True, False, None for unknown),
with a trace of every condition and the unknown facts that would decide it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .facts import Fact, FactValue
from .labels import OUTCOMES

Tri = bool | None


class TraceNode(NamedTuple):
    """One evaluated condition: its French label, citation, value and sub-conditions."""

    label: str
    cite: str
    value: Tri
    children: tuple[TraceNode, ...] = ()
    judgement: bool = False
    fact: str | None = None
    provision: str | None = None
    note: str | None = None  # why a fact the situation did not state holds (derived, unstated)


class Result(NamedTuple):
    """A condition's value, the unknown facts that decide it (when unknown), and its trace."""

    value: Tri
    unknown: frozenset[str]
    trace: tuple[TraceNode, ...]


_NONE: frozenset[str] = frozenset()


class Context:
    """What a condition is evaluated against: fact values and the verdicts of other provisions."""

    def __init__(
        self,
        facts: Mapping[str, FactValue],
        verdict_of: Callable[[str], tuple[str, frozenset[str]]],
        notes: Mapping[str, str] | None = None,
    ):
        self.facts = facts
        self.verdict_of = verdict_of
        self.notes = notes or {}


@dataclass(frozen=True)
class Condition:
    """Base class; `cite` names the article the condition comes from (default: the version's)."""

    label: str | None
    cite: str | None

    def evaluate(self, ctx: Context, default_cite: str) -> Result:
        raise NotImplementedError

    def value(self, ctx: Context) -> Tri:
        """The condition's value alone, without a trace (short-circuit, for the search)."""
        raise NotImplementedError

    def facts(self) -> frozenset[str]:
        raise NotImplementedError

    def provisions(self) -> frozenset[str]:
        raise NotImplementedError


@dataclass(frozen=True)
class FactCondition(Condition):
    fact: Fact
    op: str  # "is", "in", "before", "from"
    operand: tuple[FactValue, ...]
    default_label: str

    def evaluate(self, ctx: Context, default_cite: str) -> Result:
        value = ctx.facts.get(self.fact.id)
        if value is None:
            result: Tri = None
        elif self.op in ("is", "in"):
            result = value in self.operand
        elif self.op == "before":
            result = isinstance(value, dt.date) and value < self.operand[0]
        else:
            result = isinstance(value, dt.date) and value >= self.operand[0]
        note = ctx.notes.get(self.fact.id)
        node = TraceNode(
            self.label or self.default_label, self.cite or default_cite, result,
            judgement=self.fact.judgement and note is None, fact=self.fact.id, note=note,
        )
        return Result(result, frozenset((self.fact.id,)) if result is None else _NONE, (node,))

    def value(self, ctx: Context) -> Tri:
        value = ctx.facts.get(self.fact.id)
        if value is None:
            return None
        if self.op in ("is", "in"):
            return value in self.operand
        if self.op == "before":
            return isinstance(value, dt.date) and value < self.operand[0]
        return isinstance(value, dt.date) and value >= self.operand[0]

    def facts(self) -> frozenset[str]:
        return frozenset({self.fact.id})

    def provisions(self) -> frozenset[str]:
        return frozenset()


@dataclass(frozen=True)
class ProvisionCondition(Condition):
    provision: str
    outcomes: tuple[str, ...]
    default_label: str

    def evaluate(self, ctx: Context, default_cite: str) -> Result:
        outcome, unknown = ctx.verdict_of(self.provision)
        result: Tri = None if outcome == "indetermine" else outcome in self.outcomes
        node = TraceNode(
            self.label or self.default_label, self.cite or default_cite, result,
            provision=self.provision,
        )
        return Result(result, unknown if result is None else _NONE, (node,))

    def value(self, ctx: Context) -> Tri:
        outcome, _ = ctx.verdict_of(self.provision)
        return None if outcome == "indetermine" else outcome in self.outcomes

    def facts(self) -> frozenset[str]:
        return frozenset()

    def provisions(self) -> frozenset[str]:
        return frozenset({self.provision})


@dataclass(frozen=True)
class Combination(Condition):
    """`all` (every child), `any` (at least one child) or `not` (its single child)."""

    kind: str
    children: tuple[Condition, ...]

    def evaluate(self, ctx: Context, default_cite: str) -> Result:
        results = [c.evaluate(ctx, self.cite or default_cite) for c in self.children]
        values = [r.value for r in results]
        if self.kind == "not":
            value: Tri = None if values[0] is None else not values[0]
        elif self.kind == "all":
            value = False if False in values else (None if None in values else True)
        else:
            value = True if True in values else (None if None in values else False)
        unknown = _NONE
        if value is None:
            unknown = _NONE.union(*[r.unknown for r in results if r.value is None])
        trace = tuple(n for r in results for n in r.trace)
        if self.label or self.kind == "not":
            label = self.label or "Il n'est pas vrai que :"
            trace = (TraceNode(label, self.cite or default_cite, value, children=trace),)
        return Result(value, unknown, trace)

    def value(self, ctx: Context) -> Tri:
        if self.kind == "not":
            child = self.children[0].value(ctx)
            return None if child is None else not child
        decisive = self.kind == "any"  # the value that settles the combination at once
        result: Tri = not decisive
        for child in self.children:
            v = child.value(ctx)
            if v is decisive:
                return decisive
            if v is None:
                result = None
        return result

    def facts(self) -> frozenset[str]:
        return frozenset().union(*(c.facts() for c in self.children))

    def provisions(self) -> frozenset[str]:
        return frozenset().union(*(c.provisions() for c in self.children))


def fact_label(fact: Fact, op: str, operand: tuple[FactValue, ...]) -> str:
    """A French description of a condition on one fact."""
    if fact.type == "bool":
        if operand == (True,):
            return fact.statement
        return f"Non : {fact.statement[0].lower()}{fact.statement[1:]}"
    if op in ("is", "in"):
        return f"{fact.statement} : " + " ou ".join(fact.describe(v) for v in operand)
    word = "avant le" if op == "before" else "à partir du"
    return f"{fact.statement} : {word} {fact.describe(operand[0])}"


def provision_label(short: str, outcomes: tuple[str, ...]) -> str:
    return f"{short} : " + " ou ".join(OUTCOMES[o].lower() for o in outcomes)
