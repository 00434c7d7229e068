"""axe-core, in Debian's chromium, over every page of both languages in the theme's light and dark mode.

No serious or critical violation may remain. In dark mode only the colour rules
run again (color-contrast, link-in-text-block): the theme changes colours, not
structure, and the full audit costs a second a page. No rule is switched off.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.browser import launch_chromium

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
AUDITS = {
    "light": "{resultTypes: ['violations']}",
    "dark": "{resultTypes: ['violations'], runOnly: ['color-contrast', 'link-in-text-block']}",
}


def _violations(result: dict) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']}: {node['failureSummary']}"
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("mode", AUDITS)
@pytest.mark.parametrize("language", ["en", "ja"])
def test_no_serious_violation_on_any_page(built_manual: Path, language: str, mode: str) -> None:
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci`"
    pages = sorted((built_manual / language).glob("*.html"))
    assert len(pages) > 10
    problems: list[str] = []
    with launch_chromium() as browser:
        context = browser.new_context()
        # Furo keeps the reader's choice in localStorage and applies it before the page paints.
        context.add_init_script(f"localStorage.setItem('theme', '{mode}')")
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        audited = 0
        for path in pages:
            page.goto(path.as_uri(), wait_until="load")
            assert page.evaluate("document.body.dataset.theme") == mode, f"{path}: not in {mode} mode"
            result = page.evaluate(f"axe.run(document, {AUDITS[mode]})")
            audited += len(result["passes"]) + len(result["incomplete"]) + len(result["violations"]) > 0
            problems += [f"{language}/{path.name}: {problem}" for problem in _violations(result)]
        context.close()
    assert audited == len(pages), "axe audited nothing on some pages"
    assert not problems, "\n".join(problems)
