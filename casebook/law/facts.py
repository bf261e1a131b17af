"""The fact vocabulary: what a situation can say, as French questions with their types and help."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

FactValue = bool | str | dt.date


@dataclass(frozen=True)
class Option:
    """One answer to a choice question; `if_phrase` reads "si ..." in a what-if sentence."""

    value: str
    label: str
    if_phrase: str


@dataclass(frozen=True)
class Fact:
    """A question a situation answers (yes/no, choice or date).

    `judgement` marks an open-textured condition that only the professional can assess.
    `unstated` is what a situation that says nothing of it describes (for a fact about an act:
    no sharing, no request), None for a fact that stays unknown until answered.
    `used_by` lists the provisions whose rules read this fact.
    """

    id: str
    type: str
    group: str
    question: str
    statement: str
    help: str = ""
    judgement: bool = False
    if_true: str = ""
    if_false: str = ""
    options: tuple[Option, ...] = ()
    unstated: FactValue | None = None
    used_by: tuple[str, ...] = field(default=(), compare=False)

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def values(self) -> tuple[FactValue, ...]:
        """Every known value this fact can take (dates excepted)."""
        if self.type == "bool":
            return (True, False)
        if self.type == "choice":
            return tuple(o.value for o in self.options)
        return ()

    def describe(self, value: FactValue) -> str:
        """The value in French words."""
        if self.type == "bool":
            return "oui" if value else "non"
        if self.type == "choice":
            opt = self.option(str(value))
            return opt.label if opt else str(value)
        return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)

    def if_clause(self, value: FactValue) -> str:
        """A French "si ..." clause saying this fact had `value`."""
        if self.type == "bool":
            return self.if_true if value else self.if_false
        if self.type == "choice":
            opt = self.option(str(value))
            if opt is not None:
                return opt.if_phrase
        return f"si « {self.question} » avait pour réponse : {self.describe(value)}"

    def check(self, value: object) -> str | None:
        """None when `value` suits this fact, else a French description of what is expected."""
        if self.type == "bool":
            return None if isinstance(value, bool) else "attendu : true ou false"
        if self.type == "choice":
            if isinstance(value, str) and self.option(value):
                return None
            return "valeur inconnue ; valeurs permises : " + ", ".join(o.value for o in self.options)
        if isinstance(value, dt.date):
            return None
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
                return None
            except ValueError:
                pass
        return "attendu : une date au format AAAA-MM-JJ"

    def parse(self, cell: str) -> FactValue | None:
        """A table cell as this fact's value (`oui`/`non` for a yes/no fact), or None when the
        cell is no value of it."""
        if self.type == "bool":
            return {"oui": True, "non": False}.get(cell)
        if self.type == "choice":
            return cell if self.option(cell) else None
        return None

    def coerce(self, value: object) -> FactValue:
        """Return the checked value in its engine type (dates as `datetime.date`)."""
        if self.type == "date" and isinstance(value, str):
            return dt.date.fromisoformat(value)
        return value  # type: ignore[return-value]
