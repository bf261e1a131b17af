"""What a situation says without saying it: facts that describe an act (a sharing, a request)
read as "none" when the situation is silent about them, and facts the law decides from others
(who is a « confident nécessaire » follows from the job), each decision with its source.

A derived fact names a reference table (`derived_from` in `data/facts.yaml`). Its columns named
after facts are the inputs (an empty cell matches any answer), `value` is the derived answer
(`oui`/`non` for a yes/no fact, an option otherwise, or `ouvert` where the law leaves the question
to the professional's own judgement), and `basis`, `source`, `url`, `status` say where the
decision comes from. The first row whose inputs all match decides; while an earlier row may still
match, the derived fact stays unknown and its unknown inputs are the questions to ask. An answer
given for the fact itself is kept (the scenario loader refuses one that contradicts its row)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .facts import Fact, FactValue

OPEN = "ouvert"


@dataclass(frozen=True)
class DerivationRow:
    """One line of a derivation table: the answers it needs, what they decide, and why."""

    line: int
    inputs: tuple[tuple[str, FactValue], ...]
    value: FactValue | None  # None: the law leaves it open (the fact itself is asked)
    basis: str
    source: str
    url: str
    status: str

    def matches(self, facts: Mapping[str, FactValue]) -> bool | None:
        """True when every input holds, False when one fails, None while one is unknown."""
        result: bool | None = True
        for fid, value in self.inputs:
            given = facts.get(fid)
            if given is None:
                result = None
            elif given != value:
                return False
        return result


@dataclass(frozen=True)
class Resolution:
    """A derived fact's value (None: unknown), the row that decided it, and the facts still to
    ask (its unknown inputs, or the fact itself where the law leaves it open)."""

    value: FactValue | None
    row: DerivationRow | None
    ask: tuple[str, ...]


@dataclass(frozen=True)
class Derivation:
    """How one fact follows from others (see the module)."""

    fact: Fact
    table: str
    inputs: tuple[str, ...]
    rows: tuple[DerivationRow, ...]

    def resolve(self, facts: Mapping[str, FactValue]) -> Resolution:
        stated = facts.get(self.fact.id)
        for row in self.rows:
            match = row.matches(facts)
            if match is None:
                if stated is not None:
                    return Resolution(stated, None, ())
                ask = tuple(f for f, _ in row.inputs if facts.get(f) is None)
                return Resolution(None, None, ask)
            if match:
                if row.value is None or stated is not None:
                    return Resolution(stated, row, () if stated is not None else (self.fact.id,))
                return Resolution(row.value, row, ())
        return Resolution(stated, None, () if stated is not None else (self.fact.id,))


@dataclass(frozen=True)
class Completion:
    """The facts an evaluation reads (stated, unstated acts, derived) and, per fact that the
    situation did not state, the French note saying why it holds."""

    facts: dict[str, FactValue]
    notes: dict[str, str]


def complete(facts: Mapping[str, FactValue], unstated: Mapping[str, FactValue],
             derivations: Mapping[str, Derivation], words: Mapping[str, Fact]) -> Completion:
    """`facts` with every unstated act read as its "none" value and every derived fact the law
    decides from the answers given."""
    out = dict(facts)
    notes: dict[str, str] = {}
    for fid, value in unstated.items():
        if fid not in out:
            out[fid] = value
            notes[fid] = f"non décrit dans la situation : {words[fid].describe(value)}"
    for fid, derivation in derivations.items():
        if fid in facts:
            continue
        resolution = derivation.resolve(out)
        if resolution.value is not None and resolution.row is not None:
            out[fid] = resolution.value
            notes[fid] = _note(derivation, resolution.row, words)
    return Completion(out, notes)


def _note(derivation: Derivation, row: DerivationRow, words: Mapping[str, Fact]) -> str:
    said = ", ".join(words[f].describe(v) for f, v in row.inputs)
    status = {"verified": "", "secondary": " ; source secondaire",
              "unverified": " ; à vérifier"}[row.status]
    return f"déduit de votre fonction ({said}) : {row.basis} ({row.source}{status})"


def to_ask(fid: str, facts: Mapping[str, FactValue], derivations: Mapping[str, Derivation]
           ) -> tuple[str, ...]:
    """The questions that decide an unknown fact: its own, or for a derived fact the answers
    its table still needs (the fact itself only where the law leaves it open)."""
    derivation = derivations.get(fid)
    if derivation is None:
        return (fid,)
    return derivation.resolve(facts).ask or (fid,)
