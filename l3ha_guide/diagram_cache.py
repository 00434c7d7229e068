"""A caching front end to mermaid-cli (`mmdc`), used as sphinxcontrib-mermaid's `mermaid_cmd`.

Called as `python -m l3ha_guide.diagram_cache [mmdc options] -i IN -o OUT`. The
rendered SVG is keyed by the diagram source, the options and the mermaid-cli
version, and kept in `.cache/diagrams/`, so a clean build does not start
Chromium again for a diagram it has already rendered (over a second each).

A miss inside a `diagram_renderer.warm_renderer()` scope (the docs build, the
preview) is drawn by the scope's warm renderer; elsewhere, or when the options
are ones it does not take, or when it cannot start, by mmdc itself.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from l3ha_guide import PROJECT_ROOT, diagram_renderer

CACHE_DIR = PROJECT_ROOT / ".cache" / "diagrams"
MMDC = PROJECT_ROOT / "node_modules" / ".bin" / "mmdc"
MERMAID_CLI_PACKAGE = PROJECT_ROOT / "node_modules" / "@mermaid-js" / "mermaid-cli" / "package.json"


def _option_value(args: list[str], flag: str) -> str:
    index = args.index(flag)
    return args[index + 1]


def cache_key(args: list[str]) -> str:
    """Hash of the diagram source, the other options, the Mermaid config file's content and the
    mermaid-cli version."""
    source = Path(_option_value(args, "-i")).read_bytes()
    other = [
        arg
        for i, arg in enumerate(args)
        if arg not in ("-i", "-o") and (i == 0 or args[i - 1] not in ("-i", "-o"))
    ]
    version = json.loads(MERMAID_CLI_PACKAGE.read_text())["version"]
    digest = hashlib.sha256(source)
    digest.update(json.dumps([other, version]).encode())
    if "-c" in args:
        digest.update(Path(_option_value(args, "-c")).read_bytes())
    return digest.hexdigest()


def _renderer_options(args: list[str]) -> argparse.Namespace | None:
    """The mmdc options that the warm renderer takes, or None if `args` has any other."""
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    parser.add_argument("-i", "--input", required=True)
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("-b", "--backgroundColor", default="white")
    parser.add_argument("-t", "--theme", default="default")
    parser.add_argument("-c", "--configFile")
    parser.add_argument("-p", "--puppeteerConfigFile", default=str(diagram_renderer.PUPPETEER_CONFIG))
    parser.add_argument("-q", "--quiet", action="store_true")
    try:
        options, unknown = parser.parse_known_args(args)
    except argparse.ArgumentError:
        return None
    if unknown or not options.output.endswith(".svg"):
        return None
    return options


def _render_warm(scope: Path, options: argparse.Namespace) -> bool:
    """Draw with the scope's warm renderer; False when it is unavailable (use mmdc)."""
    mermaid_config: dict[str, object] = {"theme": options.theme}
    if options.configFile:
        mermaid_config.update(json.loads(Path(options.configFile).read_text()))
    try:
        svg = diagram_renderer.render(
            scope,
            Path(options.input).read_text(encoding="utf-8"),
            options.backgroundColor,
            mermaid_config,
            Path(options.puppeteerConfigFile),
        )
    except diagram_renderer.RendererUnavailable as error:
        print(f"{error}; drawing with mmdc", file=sys.stderr)
        return False
    Path(options.output).write_text(svg, encoding="utf-8")
    return True


def _render_mmdc(args: list[str], output: Path) -> bool:
    result = subprocess.run([str(MMDC), "--quiet", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0 or not output.exists():
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-20:])
        print(f"mmdc failed (exit {result.returncode}) rendering {output.name}:\n{tail}", file=sys.stderr)
        return False
    return True


def render(args: list[str]) -> int:
    if not MMDC.exists():
        print(
            f"mermaid-cli is not installed ({MMDC} is missing): run `npm ci` in {PROJECT_ROOT}",
            file=sys.stderr,
        )
        return 1
    output = Path(_option_value(args, "-o"))
    cached = CACHE_DIR / f"{cache_key(args)}{output.suffix}"
    if cached.exists():
        shutil.copyfile(cached, output)
        return 0
    started = time.monotonic()
    scope = os.environ.get(diagram_renderer.SCOPE_ENV)
    options = _renderer_options(args) if scope else None
    try:
        drawn = bool(scope and options and _render_warm(Path(scope), options)) or _render_mmdc(args, output)
    except diagram_renderer.DiagramError as error:
        print(f"Mermaid cannot draw {output.name}: {error}", file=sys.stderr)
        return 1
    if not drawn:
        return 1
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    temporary = cached.with_suffix(".tmp")
    shutil.copyfile(output, temporary)
    temporary.replace(cached)  # atomic: parallel builds never see half a file
    print(f"rendered diagram {output.name} in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(render(sys.argv[1:]))
