"""The guide's Japanese style, after the OpenStack Japanese team's conventions (locale/style.yaml).

Checked on the prose of each msgstr (code spans, roles and link targets left out):
- variants: spellings the guide does not use (テナント → プロジェクト, プロキシ → プロキシー, …);
- 中黒 (・) between words, except the proper nouns the style file lists;
- a half-width comma or period after Japanese text, where 、 or 。 belongs;
- a sentence that ends in the plain form (…する。, …だ。) where the guide writes です/ます.
And between msgid and msgstr: the numbers and addresses, which a translation keeps as they are.
A translator comment `style: ok` accepts a deliberate exception (write why in the same comment).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from l3ha_guide.i18n.catalogs import Problem
from l3ha_guide.i18n.glossary import DataFileError, read_yaml

EXCEPTION_COMMENT = "style: ok"
JAPANESE = r"\u3040-\u30ff\u3400-\u9fff"
# A middle dot between two words, with up to six letters either side for the report.
MIDDLE_DOT = re.compile(rf"[{JAPANESE}A-Za-z0-9]{{0,6}}・[{JAPANESE}A-Za-z0-9]{{1,6}}")
HALF_WIDTH_PUNCTUATION = re.compile(rf"[{JAPANESE}](?P<mark>[,.])(?=\s|$|[{JAPANESE}])")
# A sentence's last words, before its 。 and any closing brackets.
SENTENCE_END = re.compile(r"([^。]*?)[）)」』\s]*。")
POLITE = re.compile(r"(?:ます|です|ました|でした|ません|ましょう|でしょう|ください)$")
PLAIN = re.compile(r"(?:る|だ|である|ない|く|ぐ|む|ぶ|つ|ぬ|う|す|た)$")
# Numbers and addresses: 203.0.113.1, 169.254.192.0/18, 6.8, 1450, 2026.1.
NUMBER = re.compile(r"(?<![0-9A-Za-z.])\d+(?:[.:/]\d+)*(?![0-9A-Za-z])")
SMALL_COUNT = 10  # "two nodes" → 「2 台」: a translation may write a small count as a digit


class StyleError(DataFileError):
    pass


@dataclass(frozen=True)
class Style:
    variants: tuple[tuple[re.Pattern[str], str], ...]
    middle_dot_words: frozenset[str]


def load_style(path: Path) -> Style:
    data = read_yaml(path, "style file", StyleError)
    if not isinstance(data, dict) or not isinstance(data.get("variants"), dict):
        raise StyleError(Problem(path, 1, "the style file needs a `variants:` mapping of wrong → right"))
    variants = []
    for wrong, right in data["variants"].items():
        try:
            variants.append((re.compile(str(wrong)), str(right)))
        except re.error as error:
            raise StyleError(
                Problem(path, 1, f"variant {wrong!r} is not a regular expression: {error}")
            ) from None
    return Style(tuple(variants), frozenset(data.get("middle_dot_words") or ()))


def numbers(prose: str) -> Counter[str]:
    return Counter(NUMBER.findall(prose))


def number_problems(source_prose: str, translated_prose: str) -> list[str]:
    source, translation = numbers(source_prose), numbers(translated_prose)
    messages = []
    if missing := source - translation:
        messages.append(f"number(s) or address(es) missing in msgstr: {', '.join(sorted(missing))}")
    added = [
        number for number in translation - source if not (number.isdigit() and int(number) <= SMALL_COUNT)
    ]
    if added:
        messages.append(f"number(s) or address(es) added in msgstr: {', '.join(sorted(added))}")
    return messages


def style_problems(style: Style, prose: str) -> list[str]:
    """What the msgstr's prose does against the guide's style."""
    messages = []
    for pattern, right in style.variants:
        if found := pattern.search(prose):
            messages.append(f"style: write {right!r}, not {found.group(0)!r}")
    for found in MIDDLE_DOT.finditer(prose):
        if not any(word in prose and found.group(0) in word for word in style.middle_dot_words):
            messages.append(
                f"style: no 中黒 between words (…{found.group(0)}…); use 、 or と, or list a proper noun"
            )
    for found in HALF_WIDTH_PUNCTUATION.finditer(prose):
        full_width = "、" if found["mark"] == "," else "。"
        context = prose[max(0, found.start() - 8) : found.end()]
        messages.append(f"style: {found['mark']!r} after Japanese text, write {full_width!r} (…{context})")
    for sentence in SENTENCE_END.findall(prose):
        ending = sentence.strip()
        if ending and PLAIN.search(ending) and not POLITE.search(ending):
            messages.append(
                f"style: plain-form sentence ending (…{ending[-12:]}。); the guide writes です/ます"
            )
    return list(dict.fromkeys(messages))
