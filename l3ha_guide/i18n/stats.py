"""Coverage of the translation, page by page: `l3ha-guide i18n stats` (`tox -e i18n-stats`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from l3ha_guide.i18n import LOCALE_DIR, SOURCE_DIR
from l3ha_guide.i18n.catalogs import read_catalog

SKIPPED_SOURCE_FOLDERS = ("_static", "_templates", "diagrams")


@dataclass
class Coverage:
    page: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    has_catalog: bool = True

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 0.0


def pages(source_dir: Path = SOURCE_DIR) -> list[str]:
    """Docnames of the manual's pages, e.g. `index`, `failover`."""
    return sorted(
        str(path.relative_to(source_dir).with_suffix(""))
        for path in source_dir.rglob("*.md")
        if path.relative_to(source_dir).parts[0] not in SKIPPED_SOURCE_FOLDERS
    )


def catalog_path(page: str, language: str = "ja", locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{page}.po"


def pages_without_catalog(
    language: str = "ja", locale_dir: Path = LOCALE_DIR, source_dir: Path = SOURCE_DIR
) -> list[str]:
    return [page for page in pages(source_dir) if not catalog_path(page, language, locale_dir).is_file()]


def coverage(page: str, language: str = "ja") -> Coverage:
    path = catalog_path(page, language)
    if not path.is_file():
        return Coverage(page, has_catalog=False)
    catalog, _ = read_catalog(path)  # MalformedCatalog propagates: the command reports it
    return Coverage(
        page,
        translated=len(catalog.translated_entries()),
        fuzzy=len(catalog.fuzzy_entries()),
        untranslated=len(catalog.untranslated_entries()),
        obsolete=len(catalog.obsolete_entries()),
    )


def table(rows: list[Coverage]) -> str:
    width = max([len("page"), *(len(row.page) for row in rows)])
    header = f"{'page':<{width}}  {'done':>6}  {'transl':>6}  {'fuzzy':>5}  {'untr':>5}  {'obs':>4}"
    lines = [header, "-" * len(header)]
    for row in rows:
        if not row.has_catalog:
            lines.append(f"{row.page:<{width}}  {'no catalog (run tox -e i18n)':>30}")
            continue
        lines.append(
            f"{row.page:<{width}}  {row.percent:5.1f}%  {row.translated:>6}  {row.fuzzy:>5}"
            f"  {row.untranslated:>5}  {row.obsolete:>4}"
        )
    translated = sum(row.translated for row in rows)
    total = sum(row.total for row in rows)
    percent = 100.0 * translated / total if total else 0.0
    lines.append("-" * len(header))
    lines.append(f"{'all pages':<{width}}  {percent:5.1f}%  {translated:>6} of {total} messages")
    return "\n".join(lines)
