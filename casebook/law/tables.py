"""Reference tables (`data/tables/*.csv`): read with pandas, each row checked against the
table's JSON Schema in `data/schemas/tables.schema.json`, and kept by the knowledge base as a
plain `Table` of text cells (so that using the loaded law never needs pandas)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError, DataErrors
from .paths import display_path

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Table:
    """A checked table: its column names and its rows of text cells, in file order."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Table:
        return cls(tuple(frame.columns), tuple(tuple(row) for row in frame.itertuples(index=False)))

    def __contains__(self, column: object) -> bool:
        return column in self.columns

    def __getitem__(self, column: str) -> tuple[str, ...]:
        """Every cell of one column."""
        index = self.columns.index(column)
        return tuple(row[index] for row in self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def where(self, column: str, value: str) -> Table:
        """The rows whose `column` holds `value`."""
        index = self.columns.index(column)
        return Table(self.columns, tuple(row for row in self.rows if row[index] == value))


def read_table(path: Path) -> pd.DataFrame:
    """Read one CSV table; raise DataErrors naming the row (line) and column of each bad value."""
    import fastjsonschema
    import pandas as pd

    from .schemas import _expected, validator

    shown = display_path(path)
    name = path.stem
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DataErrors([DataError(shown, "", f"CSV illisible : {exc}")]) from None
    try:
        check = validator("tables", name)
    except fastjsonschema.JsonSchemaDefinitionException:
        raise DataErrors([DataError(shown, "", f"aucun schéma pour la table « {name} »")]) from None
    errors = []
    for index, row in enumerate(frame.to_dict("records")):
        try:
            check(row)
        except fastjsonschema.JsonSchemaValueException as exc:
            column = exc.path[1] if len(exc.path) > 1 else ""
            message = _expected(exc.rule or "", exc.definition, exc.value)
            if exc.rule in ("enum", "pattern", "format", "anyOf"):
                message += f" ; reçu : « {exc.value} »"
            errors.append(DataError(shown, f"colonne {column}" if column else "", message, index + 2))
    if errors:
        raise DataErrors(errors)
    return frame


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every table of `folder`, by file stem; all their errors are raised together."""
    tables, errors = {}, []
    for path in sorted(folder.glob("*.csv")):
        try:
            tables[path.stem] = read_table(path)
        except DataErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise DataErrors(errors)
    return tables
