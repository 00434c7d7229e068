"""Translations of the text the extensions generate: truth report, failover figures, benchmarks.

Their messages live in one more plain gettext catalog beside the pages' ones,
locale/<lang>/LC_MESSAGES/generated.po, so translators keep a single workflow:
`tox -e i18n` extracts them (pybabel, keywords `_` and `N_`) into
build/gettext/generated.pot and sphinx-intl updates the catalog with the
others; `l3ha-guide i18n check` checks it like every other catalog.

    from l3ha_guide.sphinxext.messages import N_, _
    SKIP = {"x": N_("needs ...")}     # marked where defined, translated where shown
    text = _("Measured on {date}").format(date=...)
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx.application import Sphinx
from sphinx.locale import get_translation

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.files import replaced_atomically
from l3ha_guide.i18n.marks import N_

CATALOG = "generated"
LOCALE_DIR = PROJECT_ROOT / "locale"
# The modules whose messages `tox -e i18n` extracts (and a test checks are translated).
SOURCES = (
    "l3ha_guide/console/report.py",
    "l3ha_guide/console/status_lines.py",
    "l3ha_guide/console/status.py",
    "l3ha_guide/console/examples.py",
    "l3ha_guide/console/lab_actions.py",
    "l3ha_guide/console/faults.py",
    "l3ha_guide/console/failover_figures.py",
    "l3ha_guide/console/variables.py",
    "l3ha_guide/sphinxext/console_block.py",
    "l3ha_guide/sphinxext/benchmark_results.py",
    "l3ha_guide/sphinxext/failover_tuning.py",
    "l3ha_guide/sphinxext/connection_state.py",
    "l3ha_guide/sphinxext/site_chrome.py",
    "l3ha_guide/sphinxext/print_edition.py",
)

_ = get_translation(CATALOG)
__all__ = ["CATALOG", "N_", "_", "compile_catalogs"]


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """generated.po -> generated.mo where the .mo is missing or older (.mo files stay out of git)."""
    compiled = []
    for po_path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{CATALOG}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source, locale=po_path.parent.parent.name)
        with replaced_atomically(mo_path, "wb") as target:  # both languages build at once
            write_mo(target, catalog)
        compiled.append(mo_path)
    return compiled


def setup(app: Sphinx) -> dict[str, object]:
    compile_catalogs()
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
