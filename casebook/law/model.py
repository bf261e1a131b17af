"""Provisions, their dated versions and their rules: a base outcome and labelled exceptions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .logic import Condition


@dataclass(frozen=True)
class Reading:
    """One reading of a question on which Belgian doctrine or case law is divided."""

    reading: str
    outcome: str
    source: str
    url: str | None


@dataclass(frozen=True)
class Branch:
    """The base rule (no `when`) or one labelled exception of a rule. A debated branch gives
    the prudent outcome and every reading of the debate, none presented as certain."""

    id: str
    label: str
    when: Condition | None
    outcome: str
    explanation: str
    limits: tuple[tuple[str, str], ...]
    debate: tuple[Reading, ...] = ()


@dataclass(frozen=True)
class Remark:
    """A teaching remark added to the explanation when its condition holds (never changes the outcome)."""

    when: Condition
    text: str


@dataclass(frozen=True)
class Rule:
    applies_when: Condition
    not_applicable: str
    base: Branch
    exceptions: tuple[Branch, ...]
    remarks: tuple[Remark, ...]


@dataclass(frozen=True)
class Annulment:
    date: dt.date
    by: str
    url: str | None


@dataclass(frozen=True)
class CaseLaw:
    citation: str
    date: dt.date
    summary: str
    url: str | None


@dataclass(frozen=True)
class Version:
    """One dated wording of a provision, with its source and verification status."""

    id: str
    provision: str
    label: str
    citation: str
    url: str | None
    source_type: str
    binding_force: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    annulment: Annulment | None
    handout_section: str
    status: str
    status_source: str
    status_note: str
    text: str | None
    text_source: str | None
    carried_over_from: str | None
    penalty: str | None
    corrections: tuple[str, ...]
    case_law: tuple[CaseLaw, ...]
    rule: Rule

    def covers(self, date: dt.date) -> bool:
        """Whether `date` falls within the version's dates (annulment aside)."""
        after_start = self.valid_from is None or date >= self.valid_from
        before_end = self.valid_until is None or date <= self.valid_until
        return after_start and before_end

    def in_force(self, date: dt.date) -> bool:
        """In force on `date`: an annulled version counts as never in force."""
        return self.annulment is None and self.covers(date)


@dataclass(frozen=True)
class Provision:
    """A legal provision (or rule of ethics, or line of case law) with every dated version."""

    id: str
    kind: str
    title: str
    short: str
    topic: str
    order: int
    question: str
    handout_section: str
    versions: tuple[Version, ...]
    file: str
    duty: str = "secret_professionnel"  # what silence a secret imposes: or "discretion"
    dated_by: str | None = None  # a date fact that, when answered, picks the version (the fault)
    penalty_from: str | None = None  # its rows in the penalties table, by date (décimes)

    def dated(self, facts: dict, date: dt.date) -> dt.date:
        """The date whose law applies: the answer to `dated_by` when given, else `date`."""
        given = facts.get(self.dated_by) if self.dated_by else None
        return given if isinstance(given, dt.date) else date

    def version_at(self, date: dt.date) -> Version | None:
        return next((v for v in self.versions if v.in_force(date)), None)

    def annulled_at(self, date: dt.date) -> Version | None:
        return next((v for v in self.versions if v.annulment and v.covers(date)), None)

    def facts(self) -> frozenset[str]:
        """Every fact read by any version's rule, directly."""
        out: set[str] = set()
        for v in self.versions:
            out |= _rule_facts(v.rule)
        return frozenset(out)

    def references(self) -> frozenset[str]:
        """Other provisions whose outcome some version's rule reads."""
        out: set[str] = set()
        for v in self.versions:
            for cond in _rule_conditions(v.rule):
                out |= cond.provisions()
        return frozenset(out)


def _rule_conditions(rule: Rule) -> list[Condition]:
    conds = [rule.applies_when, *(e.when for e in rule.exceptions if e.when)]
    return conds + [r.when for r in rule.remarks]


def _rule_facts(rule: Rule) -> set[str]:
    out: set[str] = set()
    for cond in _rule_conditions(rule):
        out |= cond.facts()
    return out
