"""Command line: `casebook check [PATH ...] [--cours DIR]`, `casebook explain PATH#ID [--date
YYYY-MM-DD]`, `casebook serve [--host H] [--port P] [--cours DIR]`, `casebook handouts [--out DIR]`,
`casebook export moodle|fiche [filters] --out PATH` and `casebook --version` (the package's
version and the date of the law data).

The course folder (`law.course`) is the one given with --cours, else CASEBOOK_COURS, else the
repository's `cours/`; `check` without paths checks it with the worked cases.

Data errors and missing project files are printed one per line (file, place, what was expected)
with exit code 2, never a traceback."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from .law.engine import Situation, evaluate
from .law.errors import DataErrors
from .law.paths import MissingFiles
from .law.report import assessment_text
from .law.scenarios import check, load_scenarios


def version_line() -> str:
    """`casebook --version`: the package's version and the date of the law data."""
    from importlib.metadata import PackageNotFoundError, version

    from . import load
    from .law.currency import last_change
    from .law.labels import french_date

    try:
        number = version("casebook")
    except PackageNotFoundError:
        number = "(version inconnue : paquet non installé)"
    return (f"casebook {number} — données juridiques : dernier changement du droit enregistré "
            f"au {french_date(last_change(load()))}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casebook", description="Casebook du secret professionnel (droit belge)."
    )
    parser.add_argument("--version", action="store_true",
                        help="affiche la version et la date des données juridiques")
    sub = parser.add_subparsers(dest="command")
    p_check = sub.add_parser("check", help="vérifie les cas pratiques contre le moteur")
    p_check.add_argument("paths", nargs="*", type=Path, help="fichiers ou dossiers de cas")
    p_check.add_argument("--cours", type=Path, help="vérifie aussi ce dossier de cas du cours")
    p_explain = sub.add_parser("explain", help="explique un cas pratique en français")
    p_explain.add_argument("ref", help="FICHIER#IDENTIFIANT du cas")
    p_explain.add_argument("--date", help="évaluer à cette date (AAAA-MM-JJ)")
    p_serve = sub.add_parser("serve", help="ouvre les tableaux de bord Voilà")
    p_serve.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    p_serve.add_argument("--port", type=int, default=8866, help="port (défaut : 8866)")
    p_serve.add_argument("--no-browser", action="store_true", help="ne pas ouvrir le navigateur")
    p_serve.add_argument("--cours", type=Path, help="dossier des cas du cours à servir avec ceux du casebook")
    p_hand = sub.add_parser("handouts", help="exporte les carnets en pages HTML imprimables")
    p_hand.add_argument("--out", type=Path, default=Path("handouts"), help="dossier de sortie")
    p_hand.add_argument("--cours", type=Path, help="dossier des cas du cours (une page de plus)")
    p_export = sub.add_parser("export", help="exporte des cas pour Moodle ou en fiche imprimable")
    p_export.add_argument("format", choices=("moodle", "fiche"),
                          help="moodle : banque de questions Moodle XML ; fiche : exercices et corrigé HTML")
    p_export.add_argument("--cours", type=Path, help="dossier des cas du cours")
    p_export.add_argument("--theme", help="thème(s), séparés par des virgules (cours : les cas du cours)")
    p_export.add_argument("--difficulte", help="facile, moyen ou difficile (plusieurs : séparés par "
                                               "des virgules)")
    p_export.add_argument("--cas", help="identifiants de cas, séparés par des virgules")
    p_export.add_argument("--out", type=Path, required=True,
                          help="fichier .xml (moodle) ou dossier (fiche) à écrire")
    return parser


def _check(paths: list[Path], cours: Path | None) -> int:
    from .law import course
    from .law.knowledge import load_knowledge_base

    kb = load_knowledge_base()  # never from a snapshot: this is the check
    scenarios = load_scenarios(kb, paths or None)
    folder = course.locate(cours) if cours or not paths else None
    if folder is not None:
        added = course.load(kb, folder, scenarios)
        print(f"Dossier du cours : {folder.describe()} — {len(added)} cas")
        scenarios += added
    result = check(kb, scenarios)
    for mismatch in result.mismatches:
        print(mismatch.describe())
        print()
    print(f"{result.passed} passed, {result.failed} failed")
    return 0 if result.failed == 0 else 1


def _explain(ref: str, date: str | None) -> int:
    from . import load

    if "#" not in ref:
        print(f"erreur : « {ref} » : attendu FICHIER#IDENTIFIANT", file=sys.stderr)
        return 2
    file, case_id = ref.split("#", 1)
    kb = load()
    scenarios = load_scenarios(kb, [Path(file)])
    match = next((s for s in scenarios if s.id == case_id), None)
    if match is None:
        known = ", ".join(s.id for s in scenarios)
        print(f"erreur : {file} : aucun cas « {case_id} » (cas présents : {known})", file=sys.stderr)
        return 2
    situation = match.situation
    if date:
        try:
            situation = Situation(situation.facts, dt.date.fromisoformat(date))
        except ValueError:
            print(f"erreur : --date « {date} » : attendu une date AAAA-MM-JJ", file=sys.stderr)
            return 2
    assessment = evaluate(kb, situation)
    print(f"{match.title}\n\n{match.narrative.strip()}\n")
    print(assessment_text(kb, assessment))
    return 0


def _course_cases(cours: Path | None) -> tuple:
    """The knowledge base, the worked cases and the course's (checked: DataErrors when wrong)."""
    from . import load
    from .interface.ui import builtin_scenarios
    from .law import course

    kb, builtins = load(), builtin_scenarios()
    folder = course.locate(cours)
    return kb, builtins, (course.load(kb, folder, builtins) if folder is not None else ())


def _handouts(out: Path, cours: Path | None) -> int:
    from .interface.exports.handouts import export_all, export_course
    from .interface.server.serve import project_root

    written = export_all(project_root() / "notebooks", out)
    kb, _builtins, cases = _course_cases(cours)
    if cases:
        written.append(export_course(kb, cases, out))
    print(f"{len(written)} pages imprimables écrites dans {out}/")
    return 0


def _questions(count: int) -> str:
    return f"{count} question{'s' if count > 1 else ''}"


def _export(args: argparse.Namespace) -> int:
    from .interface.exports import fiche, moodle
    from .interface.exports.selection import SelectionError, select

    kb, builtins, cases = _course_cases(args.cours)
    try:
        asked = select(kb, builtins + cases, args.theme, args.difficulte, args.cas)
    except SelectionError as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 2
    kept, left = moodle.items(kb, asked)
    for q in left:
        print(f"question laissée de côté : {q.scenario.id} — {q.pid} (la réponse du moteur n'est "
              "pas l'une des réponses proposées)", file=sys.stderr)
    if not kept:
        print("erreur : aucune question à exporter", file=sys.stderr)
        return 2
    try:
        if args.format == "moodle":
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(moodle.bank_xml(kb, kept), encoding="utf-8")
            print(f"{_questions(len(kept))} Moodle dans {args.out} (à importer au format « Moodle XML »)")
        else:
            sheet, key = fiche.write(kb, kept, args.out)
            print(f"{_questions(len(kept))} : {sheet} (exercices) et {key} (corrigé)")
    except OSError as exc:
        print(f"erreur : {args.out} : impossible d'écrire ({exc.strerror})", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.version and args.command is None:
        parser.error("une commande est attendue : check, explain, serve, handouts ou export")
    try:
        if args.version:
            print(version_line())
            return 0
        if args.command == "check":
            return _check(args.paths, args.cours)
        if args.command == "serve":
            from .interface.server.serve import serve

            return serve(args.host, args.port, not args.no_browser, args.cours)
        if args.command == "handouts":
            return _handouts(args.out, args.cours)
        if args.command == "export":
            return _export(args)
        return _explain(args.ref, args.date)
    except DataErrors as exc:
        for error in exc.errors:
            print(f"erreur : {error}", file=sys.stderr)
        return 2
    except MissingFiles as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
