"""axe-core, in Debian's chromium, over every page of both languages in the theme's light and dark mode;
and the text of the diagrams, which axe cannot see inside their SVG, against their background.

No serious or critical violation may remain. In dark mode only the colour rules
run again (color-contrast, link-in-text-block): the theme changes colours, not
structure, and the full audit costs a second a page. No rule is switched off.
"""

from __future__ import annotations

import base64
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


# The highest contrast ratio (WCAG 2) between the background, taken at the corner of the
# screenshot, and any pixel of the label's box: the text's own colour, however it is drawn.
CONTRAST = """async ([png, box]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  [canvas.width, canvas.height] = [image.width, image.height];
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const channel = (value) => {
    value /= 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (p) => 0.2126 * channel(p[0]) + 0.7152 * channel(p[1]) + 0.0722 * channel(p[2]);
  const background = luminance(context.getImageData(2, 2, 1, 1).data);
  const pixels = context.getImageData(...box).data;
  let best = 1;
  for (let i = 0; i < pixels.length; i += 4) {
    const [light, dark] = [background, luminance(pixels.slice(i, i + 3))].sort((a, b) => b - a);
    best = Math.max(best, (light + 0.05) / (dark + 0.05));
  }
  return best;
}"""
LABEL_BOX = """() => {
  const label = [...document.querySelectorAll("foreignObject span, text")].find((e) => e.textContent.trim());
  const box = label.getBoundingClientRect();
  return [label.textContent.trim(), box.x, box.y, box.width, box.height];
}"""


@pytest.mark.parametrize("mode", AUDITS)
@pytest.mark.parametrize("language", ["en", "ja"])
def test_diagram_text_is_readable_in_both_modes(built_manual: Path, language: str, mode: str) -> None:
    """A screenshot of each diagram of the architecture page: its first label against its background."""
    with launch_chromium() as browser:
        context = browser.new_context()
        context.add_init_script(f"localStorage.setItem('theme', '{mode}')")
        page = context.new_page()
        page.goto((built_manual / language / "architecture.html").as_uri(), wait_until="load")
        diagrams = page.locator('object[type="image/svg+xml"]').all()
        assert len(diagrams) >= 3
        for diagram in diagrams:
            diagram.scroll_into_view_if_needed()
            image = diagram.get_attribute("data").rsplit("/", 1)[-1]  # Playwright has no frame for <object>
            frame = next(frame for frame in page.frames if frame.url.endswith(image))
            text, *box = frame.evaluate(LABEL_BOX)
            png = base64.b64encode(diagram.screenshot()).decode()
            ratio = page.evaluate(CONTRAST, [png, [round(value) for value in box]])
            assert ratio >= 4.5, f"{language} {mode}: {frame.url}: label {text!r} has contrast {ratio:.1f}"
        context.close()
