"""The messages of the text the Sphinx extensions generate, extracted from their sources with babel.

`l3ha-guide i18n extract` writes them to build/gettext/generated.pot, beside the
pages' templates, so `sphinx-intl update` (`tox -e i18n`) keeps
locale/<lang>/LC_MESSAGES/generated.po with the others.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import write_po

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.sphinxext.messages import CATALOG, SOURCES
from l3ha_guide.sphinxext.site_chrome import PROJECT

KEYWORDS = {"_": None, "N_": None}
TEMPLATE = PROJECT_ROOT / "build" / "gettext" / f"{CATALOG}.pot"


def extract() -> dict[str, list[tuple[str, int]]]:
    """msgid -> where it occurs (source file, line), in source order."""
    found: dict[str, list[tuple[str, int]]] = {}
    for source in SOURCES:
        for line, message, _comments, _context in extract_from_file(
            "python", str(PROJECT_ROOT / source), keywords=KEYWORDS, comment_tags=()
        ):
            found.setdefault(message, []).append((source, line))
    return found


def write_template(path: Path = TEMPLATE) -> int:
    catalog = Catalog(project=PROJECT, msgid_bugs_address="", fuzzy=False)
    for message, locations in extract().items():
        catalog.add(message, locations=locations)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        write_po(target, catalog, width=0, sort_output=False)
    return len(catalog)
