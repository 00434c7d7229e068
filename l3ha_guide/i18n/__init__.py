"""Translator tooling: the catalog check, coverage statistics and the glossary.

`l3ha-guide i18n check [PATH ...]` reads gettext catalogs with polib and reports
what Sphinx lets through silently (dropped links, broken emphasis, glossary
terms, changed numbers, the house style, English left untranslated);
`l3ha-guide i18n stats` prints the coverage of each page.
"""

from l3ha_guide import PROJECT_ROOT

LOCALE_DIR = PROJECT_ROOT / "locale"
SOURCE_DIR = PROJECT_ROOT / "source"
GLOSSARY_FILE = LOCALE_DIR / "glossary.yaml"
STYLE_FILE = LOCALE_DIR / "style.yaml"
