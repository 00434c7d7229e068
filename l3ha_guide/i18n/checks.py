"""The checks on one catalog: completeness, markup, emphasis, literal blocks, glossary, numbers, style.

Each problem is reported at the entry's msgstr line, as `file:line: error: ...`.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib

from l3ha_guide.i18n.catalogs import MalformedCatalog, Problem, msgstr_line, read_catalog
from l3ha_guide.i18n.glossary import EXCEPTION_COMMENT, Term, violations
from l3ha_guide.i18n.literal_blocks import is_literal_block
from l3ha_guide.i18n.markup import Markup, read_markup
from l3ha_guide.i18n.style import EXCEPTION_COMMENT as STYLE_EXCEPTION
from l3ha_guide.i18n.style import Style, number_problems, style_problems

# `{name}` fields of the extensions' messages (generated.po), filled in with str.format: a field
# dropped or renamed in a translation breaks the build. MyST roles such as {doc} match too; both
# sides keep them anyway.
FORMAT_FIELD = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")

# What gettext's template header says until someone fills it in.
HEADER_PLACEHOLDERS = (
    "SOME DESCRIPTIVE TITLE",
    "FIRST AUTHOR",
    "YEAR-MO-DA",
    "FULL NAME",
    "LL@li.org",
    "EMAIL@ADDRESS",
)

# English prose: three words in a row. Names (`br-int`, "Open vSwitch", "eth0: 10.0.0.11/24") stay
# as they are; a phrase identical to its msgid was left untranslated, unless a translator comment
# accepts it.
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}")
UNTRANSLATED_OK = "untranslated: ok"

EMPHASIS_HINT = (
    "CommonMark does not open or close `**` between punctuation such as 「」 and a Japanese letter;"
    " write 「**…**」 instead of **「…」**, or leave a space"
)


def _shorten(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _difference(kind: str, source: Counter[str], translation: Counter[str]) -> list[str]:
    messages = []
    if missing := source - translation:
        messages.append(f"{kind} missing in msgstr: {', '.join(sorted(missing))}")
    if added := translation - source:
        messages.append(f"{kind} added in msgstr: {', '.join(sorted(added))}")
    return messages


def markup_problems(source: Markup, translation: Markup) -> list[str]:
    messages = [
        *_difference("link target(s)", source.links, translation.links),
        *_difference("role(s)", source.roles, translation.roles),
        *_difference("inline code", source.code, translation.code),
        *_difference("substitution(s)", source.substitutions, translation.substitutions),
    ]
    for delimiter, count in (translation.literal_delimiters - source.literal_delimiters).items():
        if delimiter == "**":
            messages.append(f"`**` stays literal ({count}x): {EMPHASIS_HINT}")
        else:
            messages.append(f"unbalanced backtick ({count}x): a code span is not closed")
    if source.emphasis != translation.emphasis:
        wanted = ", ".join(f"{n} {kind}" for kind, n in sorted(source.emphasis.items())) or "none"
        found = ", ".join(f"{n} {kind}" for kind, n in sorted(translation.emphasis.items())) or "none"
        messages.append(f"emphasis differs: msgid has {wanted}, msgstr has {found}")
    return messages


def entry_problems(entry: polib.POEntry, glossary: list[Term], style: Style) -> list[str]:
    label = _shorten(entry.msgid)
    if entry.obsolete:
        return [f"obsolete entry {label!r}: run `tox -e i18n` to drop it, or delete it"]
    if entry.fuzzy:
        return [f"fuzzy entry {label!r}: check the translation, then remove the fuzzy flag"]
    if not entry.msgstr:
        return [f"untranslated: {label!r}"]
    if is_literal_block(entry.msgid, entry.occurrences):
        if entry.msgstr != entry.msgid:
            return [f"literal block differs from the source {label!r}: code is never translated"]
        return []
    source, translation = read_markup(entry.msgid), read_markup(entry.msgstr)
    messages = markup_problems(source, translation)
    messages += _difference(
        "format field(s)",
        Counter(FORMAT_FIELD.findall(entry.msgid)),
        Counter(FORMAT_FIELD.findall(entry.msgstr)),
    )
    comment = entry.tcomment or ""
    if entry.msgstr == entry.msgid and ENGLISH_PHRASE.search(source.prose) and UNTRANSLATED_OK not in comment:
        messages.append(
            f"English left untranslated {label!r}: translate it, or mark it "
            f"'# {UNTRANSLATED_OK}, <reason>' (a name, say)"
        )
    if EXCEPTION_COMMENT not in comment:
        for term in violations(glossary, source.prose, entry.msgstr):
            agreed = " or ".join(repr(japanese) for japanese in term.japanese)
            messages.append(f"glossary: {term.english!r} is translated as {agreed} (in {label!r})")
    if STYLE_EXCEPTION not in comment:
        messages += number_problems(source.prose, translation.prose)
        messages += style_problems(style, translation.prose)
    return messages


def header_problems(path: Path, lines: list[str]) -> list[Problem]:
    """The header (comments and the entry of msgid "") is filled in and not fuzzy."""
    problems = []
    for number, line in enumerate(lines, start=1):
        if line.startswith("msgid ") and line != 'msgid ""':
            break  # the first real entry: the header is over
        if line.startswith("#,") and "fuzzy" in line:
            problems.append(
                Problem(path, number, "the header is marked fuzzy: fill it in, then remove the flag")
            )
        for placeholder in HEADER_PLACEHOLDERS:
            if placeholder in line:
                problems.append(Problem(path, number, f"the header still says {placeholder!r}: fill it in"))
    return problems


def check_catalog(path: Path, glossary: list[Term], style: Style) -> list[Problem]:
    try:
        catalog, lines = read_catalog(path)
    except MalformedCatalog as error:
        return [error.problem]
    problems = header_problems(path, lines)
    for entry in catalog:  # polib yields obsolete entries too
        for message in entry_problems(entry, glossary, style):
            problems.append(Problem(path, msgstr_line(lines, entry), message))
    return problems
