"""The built manual in a real browser (Debian's chromium via Playwright), over HTTP and file://.

Every diagram renders as an SVG of non-zero size, the language switcher's links
lead to the same page in the other language, and no request leaves 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from page_server import serve

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.browser import launch_chromium
from l3ha_guide.console.examples import split_commands

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "ja")


@pytest.fixture(scope="module")
def http_root(built_manual: Path) -> Iterator[str]:
    with serve(built_manual) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as browser:
        yield browser


def pages_with_diagrams(built_manual: Path, language: str) -> list[str]:
    pages = sorted((built_manual / language).glob("*.html"))
    return [page.name for page in pages if 'type="image/svg+xml"' in page.read_text(encoding="utf-8")]


@pytest.fixture(params=["http", "file"])
def base_url(request: pytest.FixtureRequest, built_manual: Path) -> str:
    if request.param == "http":
        return request.getfixturevalue("http_root")
    return built_manual.resolve().as_uri() + "/"


def is_local(url: str, base_url: str) -> bool:
    return url.startswith((base_url, "data:", "about:", "blob:"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_diagram_renders_and_nothing_leaves_the_machine(
    browser, built_manual: Path, base_url: str, language: str
) -> None:
    pages = pages_with_diagrams(built_manual, language)
    assert pages, f"no page of the {language} manual has a diagram"
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    for name in ["index.html", *pages]:
        page.goto(f"{base_url}{language}/{name}", wait_until="load")
        objects = page.locator('object[type="image/svg+xml"]').count()
        frames = [frame for frame in page.frames if frame.url.endswith(".svg")]
        assert len(frames) == objects, f"{language}/{name}: {objects} diagrams, {len(frames)} loaded"
        for frame in frames:
            size = frame.evaluate(
                "() => { const svg = document.querySelector('svg');"
                " if (!svg) return [0, 0]; const box = svg.getBoundingClientRect();"
                " return [box.width, box.height]; }"
            )
            assert size[0] > 0 and size[1] > 0, f"{frame.url} rendered empty: {size}"
    context.close()
    outside = [url for url in requests if not is_local(url, base_url)]
    assert not outside, f"requests left the machine: {outside}"
    assert len(requests) > len(pages), "the browser made no requests: nothing was checked"


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_switch_leads_to_the_same_page(
    browser, built_manual: Path, base_url: str, language: str
) -> None:
    other = "ja" if language == "en" else "en"
    page = browser.new_page()
    for name in sorted(path.name for path in (built_manual / language).glob("*.html")):
        if name in ("genindex.html", "search.html"):
            continue
        page.goto(f"{base_url}{language}/{name}", wait_until="load")
        link = page.locator(f'.language-switch a[hreflang="{other}"]').first
        link.click()
        page.wait_for_load_state("load")
        assert page.url == f"{base_url}{other}/{name}"
        assert page.locator("html").get_attribute("lang") == other
        assert page.title(), f"{other}/{name} has no title: the link did not resolve"
    page.close()


def copy_button_labels(language: str) -> list[str]:
    """sphinx-copybutton's tooltip, tooltip after copying, and icon title: its English ones, or their
    translation in the site chrome's catalog (copybutton.js itself has no Japanese)."""
    english = ["Copy", "Copied!", "Copy to clipboard"]
    if language == "en":
        return english
    catalog = polib.pofile(str(PROJECT_ROOT / "locale" / language / "LC_MESSAGES" / "sphinx.po"))
    translated = [entry.msgstr for label in english if (entry := catalog.find(label)) and entry.msgstr]
    assert len(translated) == len(english), f"sphinx.po ({language}) lacks a copy button label"
    return translated


@pytest.mark.parametrize("language", LANGUAGES)
def test_copy_buttons_copy_only_the_commands(browser, base_url: str, language: str) -> None:
    """Every console block on the failover page (multi-line commands among them): its copy
    button yields exactly the commands, as the lab runs them: no prompt, no output. Its tooltip
    and icon title are in the page's language."""
    tooltip, copied_tooltip, icon_title = copy_button_labels(language)
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{base_url}{language}/failover.html", wait_until="load")
    blocks = page.locator("div.console-block")
    multi_line = 0
    for index in range(blocks.count()):
        block = blocks.nth(index)
        shown = block.locator("pre").inner_text()
        commands = [command.command for command in split_commands(shown, 1)]
        assert commands, f"{language}/failover.html: console block {index} shows no command"
        multi_line += any("\n" in command for command in commands)
        page.evaluate("navigator.clipboard.writeText('')")
        block.hover()
        button = block.locator("button.copybtn")
        assert button.get_attribute("data-tooltip") == tooltip
        assert button.locator("svg title").text_content() == icon_title
        button.click()
        assert button.get_attribute("data-tooltip") == copied_tooltip  # for 2 s after the click
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == "\n".join(commands), f"{language}/failover.html: console block {index}"
    assert multi_line, "no multi-line command was copied: the continuation rule went unchecked"
    context.close()
