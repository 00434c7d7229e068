"""The glossary: English terms and the Japanese term agreed for each.

locale/glossary.yaml maps a term to one Japanese term or a list of accepted
ones. A message whose prose (code spans and link targets left out) contains the
English term, case-insensitively and also in the plural, must contain one of
them. A translator comment `glossary: ok` on an entry accepts a deliberate
exception (write why in the same comment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from l3ha_guide.i18n.catalogs import Problem

EXCEPTION_COMMENT = "glossary: ok"


class DataFileError(Exception):
    """A translator's data file (the glossary, the style file) that cannot be used, with its line."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class GlossaryError(DataFileError):
    pass


def read_yaml(path: Path, name: str, error: type[DataFileError]) -> object:
    """The YAML document at `path`; `error` with the file and line if it cannot be read or parsed."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as problem:
        raise error(Problem(path, 0, f"cannot read the {name}: {problem.strerror}")) from None
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = str(problem)
        if isinstance(problem, yaml.MarkedYAMLError):  # context and problem, without the quoted source
            reason = ": ".join(part for part in (problem.context, problem.problem) if part)
        raise error(Problem(path, line, f"malformed {name}: {reason}")) from None


@dataclass(frozen=True)
class Term:
    english: str
    japanese: tuple[str, ...]
    pattern: re.Pattern[str]
    first_word: str  # lower case; a cheap test before the regular expression

    def used_in(self, prose: str) -> bool:
        return self.first_word in prose.lower() and bool(self.pattern.search(prose))

    def translated_in(self, msgstr: str) -> bool:
        return any(japanese in msgstr for japanese in self.japanese)


def _term(english: str, japanese: str | list[str]) -> Term:
    accepted = (japanese,) if isinstance(japanese, str) else tuple(japanese)
    words = r"[\s-]+".join(re.escape(word) for word in english.split())
    pattern = re.compile(rf"(?<![\w-]){words}(?:s|es)?(?![\w-])", re.IGNORECASE)
    return Term(english, accepted, pattern, english.split()[0].lower())


def load_glossary(path: Path) -> list[Term]:
    data = read_yaml(path, "glossary", GlossaryError)
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, dict) or not terms:
        raise GlossaryError(Problem(path, 1, "the glossary needs a `terms:` mapping of English → Japanese"))
    glossary = []
    for english, japanese in terms.items():
        valid = isinstance(japanese, str) or (
            isinstance(japanese, list) and japanese and all(isinstance(item, str) for item in japanese)
        )
        if not isinstance(english, str) or not valid:
            raise GlossaryError(
                Problem(path, 1, f"glossary term {english!r} needs a Japanese string or list")
            )
        glossary.append(_term(english, japanese))
    # Longest first, so reports name the most specific term first.
    return sorted(glossary, key=lambda term: len(term.english), reverse=True)


def violations(glossary: list[Term], prose: str, msgstr: str) -> list[Term]:
    """Terms used in the English prose whose agreed Japanese term the msgstr lacks."""
    return [term for term in glossary if term.used_in(prose) and not term.translated_in(msgstr)]
