"""`l3ha-guide i18n check [PATH ...]`, `l3ha-guide i18n stats` and `l3ha-guide i18n extract`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from l3ha_guide.errors import UserError
from l3ha_guide.i18n import GLOSSARY_FILE, LOCALE_DIR, SOURCE_DIR, STYLE_FILE
from l3ha_guide.i18n.catalogs import MalformedCatalog, Problem, find_catalogs
from l3ha_guide.i18n.checks import check_catalog
from l3ha_guide.i18n.glossary import DataFileError, load_glossary
from l3ha_guide.i18n.stats import catalog_path, coverage, pages, pages_without_catalog, table
from l3ha_guide.i18n.style import load_style


def check(
    paths: list[Path], glossary_file: Path = GLOSSARY_FILE, style_file: Path = STYLE_FILE
) -> tuple[list[str], int]:
    """Every problem in the catalogs under `paths` as `file:line: error: message`, and the catalog count."""
    try:
        glossary = load_glossary(glossary_file)
        style = load_style(style_file)
    except DataFileError as error:
        return [str(error.problem)], 0
    catalogs, problems = find_catalogs(paths)
    for catalog in catalogs:
        problems.extend(check_catalog(catalog, glossary, style))
    return [str(problem) for problem in problems], len(catalogs)


def missing_catalogs(
    language: str = "ja", locale_dir: Path = LOCALE_DIR, source_dir: Path = SOURCE_DIR
) -> list[str]:
    """A problem for each page of the manual that has no catalog yet."""
    message = "no catalog for the page source/{}.md: run `tox -e i18n`"
    return [
        str(Problem(catalog_path(page, language, locale_dir), 0, message.format(page)))
        for page in pages_without_catalog(language, locale_dir, source_dir)
    ]


def _check_command(args: argparse.Namespace) -> int:
    paths = args.paths or [LOCALE_DIR]
    problems, catalogs = check(paths, args.glossary, args.style)
    if not args.paths:  # the whole translation: every page needs its catalog
        problems = missing_catalogs() + problems
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {catalogs} catalog(s)", file=sys.stderr)
        return 1
    if not catalogs:
        raise UserError(f"no .po file under {', '.join(map(str, paths))}: run `tox -e i18n` first")
    print(f"{catalogs} catalog(s) checked, no problem", file=sys.stderr)
    return 0


def _stats_command(args: argparse.Namespace) -> int:
    try:
        rows = [coverage(page, args.language) for page in pages()]
    except MalformedCatalog as error:
        print(error.problem, file=sys.stderr)
        return 1
    print(table(rows))
    return 0


def _unwrap_command(args: argparse.Namespace) -> int:
    from l3ha_guide.i18n.layout import unwrap

    paths = args.paths or [LOCALE_DIR]
    _, missing = find_catalogs(paths)
    try:
        if missing:
            raise MalformedCatalog(missing[0])
        rewritten = unwrap(paths)
    except MalformedCatalog as error:
        print(error.problem, file=sys.stderr)
        return 1
    for path in rewritten:
        print(f"{path}: one line per message again")
    return 0


def _extract_command(args: argparse.Namespace) -> int:
    from l3ha_guide.i18n.generated import TEMPLATE, write_template

    count = write_template()
    print(f"{count} messages of the generated text written to {TEMPLATE}", file=sys.stderr)
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    check_parser = commands.add_parser(
        "check",
        help="report untranslated, fuzzy, broken markup, changed numbers, glossary and style problems",
    )
    check_parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help=".po files or directories (default: locale/, and then every page needs a catalog)",
    )
    check_parser.add_argument("--glossary", type=Path, default=GLOSSARY_FILE, help=argparse.SUPPRESS)
    check_parser.add_argument("--style", type=Path, default=STYLE_FILE, help=argparse.SUPPRESS)
    check_parser.set_defaults(func=_check_command)
    stats_parser = commands.add_parser("stats", help="translation coverage per page")
    stats_parser.add_argument("--language", default="ja", help="catalog language (default: ja)")
    stats_parser.set_defaults(func=_stats_command)
    unwrap_parser = commands.add_parser(
        "unwrap",
        help="rewrite catalogs that a tool wrapped: one line per message, as sphinx-intl writes them",
    )
    unwrap_parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=".po files or directories")
    unwrap_parser.set_defaults(func=_unwrap_command)
    extract_parser = commands.add_parser(
        "extract", help="write build/gettext/generated.pot: the messages of the generated text"
    )
    extract_parser.set_defaults(func=_extract_command)
