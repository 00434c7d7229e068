"""The warm diagram renderer draws what mermaid-cli draws, reports Mermaid's errors, leaves nothing behind."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from l3ha_guide import PROJECT_ROOT, diagram_cache, diagram_renderer
from l3ha_guide.docs import ensure_mermaid_cli

DIAGRAM = PROJECT_ROOT / "source" / "diagrams" / "vrrp-failover.mmd"
MMDC_OPTIONS = ["--puppeteerConfigFile", str(PROJECT_ROOT / "puppeteer-config.json"), "-b", "white"]


def _without_path_data(svg: str) -> str:
    """Mermaid draws edges through random control points, in mmdc as here: compare the rest exactly."""
    return re.sub(r' (d|data-points)="[^"]*"', "", svg)


def _numbered_from_zero(svg: str) -> str:
    """Sequence diagram ids as on a new page: Mermaid counts actors on across the diagrams of a page."""
    first: dict[str, int] = {}
    for prefix, number in re.findall(r"\b(actor|root-)(\d+)\b", svg):
        first[prefix] = min(first.get(prefix, int(number)), int(number))
    return re.sub(
        r"\b(actor|root-)(\d+)\b", lambda match: f"{match[1]}{int(match[2]) - first[match[1]]}", svg
    )


@pytest.fixture(scope="module")
def mermaid_cli() -> None:
    ensure_mermaid_cli()


def test_warm_svg_is_mmdc_svg(mermaid_cli: None, tmp_path: Path) -> None:
    mmdc_svg = tmp_path / "mmdc.svg"
    subprocess.run(
        [str(diagram_cache.MMDC), "-q", *MMDC_OPTIONS, "-i", str(DIAGRAM), "-o", str(mmdc_svg)], check=True
    )
    with diagram_renderer.warm_renderer() as scope:
        warm = diagram_renderer.render(scope, DIAGRAM.read_text(), "white", {"theme": "default"})
        again = diagram_renderer.render(scope, DIAGRAM.read_text(), "white", {"theme": "default"})
    expected = _without_path_data(mmdc_svg.read_text())
    assert "<svg" in expected and 'id="my-svg"' in expected and 'id="actor0"' in expected
    assert _without_path_data(warm) == expected
    assert 'id="actor0"' not in again  # the documented difference, so the check below is not idle
    assert _numbered_from_zero(_without_path_data(again)) == expected  # nothing else of the first is left


def test_mermaid_errors_are_reported_and_the_next_diagram_draws(mermaid_cli: None) -> None:
    with diagram_renderer.warm_renderer() as scope:
        with pytest.raises(diagram_renderer.DiagramError, match="Parse error on line"):
            diagram_renderer.render(scope, "graph LR\n  A -->\n", "white", {"theme": "default"})
        svg = diagram_renderer.render(scope, "graph LR\n  A --> B\n", "white", {"theme": "default"})
    assert "Syntax error" not in svg and ">B<" in svg


def test_the_scope_ends_the_renderer_and_its_chromium(mermaid_cli: None) -> None:
    with diagram_renderer.warm_renderer() as scope:
        diagram_renderer.render(scope, "graph LR\n  A --> B\n", "white", {"theme": "default"})
        pids = [int(pid) for pid in (scope / "renderer.pids").read_text().split()]
        assert len(pids) == 2 and all(Path(f"/proc/{pid}").exists() for pid in pids)
    assert not scope.exists()
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists()], "the renderer or its Chromium survived"


def test_a_renderer_whose_owner_died_stops_by_itself(mermaid_cli: None, tmp_path: Path) -> None:
    """A build killed before it could close its scope (kill -9) leaves no Chromium and no folder behind."""
    script = (
        "import os, sys\n"
        "from l3ha_guide import diagram_renderer\n"
        "context = diagram_renderer.warm_renderer()\n"
        "scope = context.__enter__()\n"
        "diagram_renderer.ensure_running(scope)\n"
        "print(scope, (scope / 'renderer.pids').read_text(), flush=True)\n"
        "os._exit(0)  # as if killed: the scope is never closed\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    scope, *pids = result.stdout.split()
    pids = [int(pid) for pid in pids]
    assert len(pids) == 2
    deadline = time.monotonic() + 15  # it looks for its owner every 2 s, then closes Chromium
    while [pid for pid in pids if Path(f"/proc/{pid}").exists()] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists()], "the orphaned renderer kept running"
    assert not Path(scope).exists(), "the orphaned renderer left its owner's scope folder"


@pytest.mark.parametrize(
    ("arguments", "warm"),
    [
        (["-p", "p.json", "-b", "white", "-i", "in.mmd", "-o", "out.svg"], True),
        (["--theme", "forest", "-c", "mermaid.json", "-i", "in.mmd", "-o", "out.svg"], True),
        (["-i", "in.mmd", "-o", "out.png"], False),  # the renderer writes SVG only
        (["-s", "2", "-i", "in.mmd", "-o", "out.svg"], False),  # an option it does not take
    ],
)
def test_the_cache_hands_to_the_renderer_only_what_it_takes(arguments: list[str], warm: bool) -> None:
    assert (diagram_cache._renderer_options(arguments) is not None) is warm
