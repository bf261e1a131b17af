"""JSON Schemas of the data files (in `data/schemas/`), compiled with fastjsonschema, and their
errors translated into French messages that name the place and what was expected."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema

from .errors import DataError, DataErrors
from .paths import data_dir
from .yamlio import YamlDocument, load_yaml

Validator = Callable[[Any], Any]

_TYPE_NAMES = {
    "string": "un texte",
    "boolean": "true ou false",
    "object": "un dictionnaire (clé : valeur)",
    "array": "une liste",
    "integer": "un nombre entier",
    "null": "null",
    "number": "un nombre",
}


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


@cache
def _schema(name: str) -> dict[str, Any]:
    return json.loads((data_dir() / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def validator(name: str, definition: str | None = None) -> Validator:
    """Compiled validator for a schema file, or for one of its `definitions`."""
    schema = _schema(name)
    if definition is not None:
        schema = {"$ref": f"#/definitions/{definition}", "definitions": schema["definitions"]}
    return fastjsonschema.compile(schema, formats={"date": _is_date})


def _alternative(choice: dict[str, Any]) -> str:
    """One branch of an anyOf/oneOf (fastjsonschema gives them with their $ref resolved), in words."""
    if choice.get("format") == "date":
        return "une date réelle au format AAAA-MM-JJ"
    if choice.get("const") == "":
        return "une cellule vide"
    if "const" in choice:
        return str(choice["const"])
    return _TYPE_NAMES.get(choice.get("type", ""), "une valeur conforme")


def _expected(rule: str, definition: dict[str, Any], value: Any) -> str:
    if rule == "required":
        missing = [k for k in definition["required"] if not isinstance(value, dict) or k not in value]
        return "champ obligatoire manquant : " + ", ".join(f"« {k} »" for k in missing)
    if rule == "additionalProperties":
        known = definition.get("properties", {})
        extra = sorted(k for k in value if k not in known) if isinstance(value, dict) else []
        allowed = ", ".join(sorted(known))
        return f"champ inconnu : {', '.join(extra)} (champs permis : {allowed})"
    if rule == "type":
        types = definition["type"] if isinstance(definition["type"], list) else [definition["type"]]
        return "attendu : " + " ou ".join(_TYPE_NAMES.get(t, t) for t in types)
    if rule == "enum":
        return "valeur inconnue ; valeurs permises : " + ", ".join(map(str, definition["enum"]))
    if rule == "const":
        return f"attendu : {definition['const']}"
    if rule == "format":
        return "attendu : une date réelle au format AAAA-MM-JJ"
    if rule == "pattern":
        return f"format invalide (motif attendu : {definition['pattern']})"
    if rule in ("minLength", "minItems", "minProperties"):
        return "ne peut pas être vide"
    if rule in ("anyOf", "oneOf"):
        return "attendu : " + ", ou ".join(_alternative(choice) for choice in definition[rule])
    if rule == "minimum":
        return f"attendu : un nombre au moins égal à {definition['minimum']}"
    return f"valeur non conforme ({rule})"


def error_path(exc: fastjsonschema.JsonSchemaValueException) -> list[object]:
    """The place of a schema error inside the validated value; list indexes as integers."""
    return [int(p) if isinstance(p, str) and p.isdigit() else p for p in exc.path[1:]]


def validate(
    doc: YamlDocument, name: str, definition: str | None = None, value: Any = None,
    path: Sequence[object] = (),
) -> list[DataError]:
    """Validate `value` (default: the whole document) at `path`; return the error, if any."""
    target = doc.data if value is None and not path else value
    try:
        validator(name, definition)(target)
    except fastjsonschema.JsonSchemaValueException as exc:
        inner = error_path(exc)
        shown = f"« {exc.value} »" if isinstance(exc.value, (str, int, float, bool)) else None
        message = _expected(exc.rule or "", exc.definition, exc.value)
        if shown and exc.rule in ("enum", "type", "format", "pattern", "const"):
            message += f" ; reçu : {shown}"
        return [doc.error([*path, *inner], message)]
    return []


def load_checked(path: Path, name: str, errors: list[DataError]) -> YamlDocument | None:
    """Parse `path` and validate it against schema `name`; on failure add the problems to
    `errors` and return None."""
    try:
        doc = load_yaml(path)
    except DataErrors as exc:
        errors.extend(exc.errors)
        return None
    problems = validate(doc, name)
    errors.extend(problems)
    return None if problems else doc
