"""`l3ha-guide preview [LANG]`: serve one language of the manual on 127.0.0.1 and reload on save.

sphinx-autobuild (the `preview` extra) watches the pages, the diagrams and the
catalogs under locale/, rebuilds what changed with the same Sphinx
configuration as `l3ha-guide docs` (Sphinx compiles a saved .po itself), and
reloads the page in the browser. The preview is written to build/preview/LANG,
so it never touches the published build.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.diagram_renderer import RendererUnavailable, ensure_running, warm_renderer
from l3ha_guide.docs import LANGUAGES, ensure_mermaid_cli
from l3ha_guide.errors import UserError
from l3ha_guide.extras import require
from l3ha_guide.processes import process_group, signal_group
from l3ha_guide.progress import Progress
from l3ha_guide.system import install as install_system_packages

PREVIEW_DIR = PROJECT_ROOT / "build" / "preview"
HOST = "127.0.0.1"  # only this machine: a preview is not a web site


def autobuild_command(language: str, port: int, root: Path = PROJECT_ROOT) -> list[str]:
    """sphinx-autobuild on the project at `root` (a copy, for the benchmark), writing build/preview/LANG."""
    preview_dir = root / PREVIEW_DIR.relative_to(PROJECT_ROOT)
    return [
        # sphinx-autobuild, with its rebuilds handed to a warm Python (see warm_sphinx.py)
        *(sys.executable, "-m", "l3ha_guide.warm_sphinx", str(root), language, "-q"),
        *("-c", str(root), "-D", f"language={language}"),
        *("-D", "search_index=0"),  # see conf.py: a faster rebuild, no search in the preview
        *("-d", str(preview_dir / "doctrees" / language)),
        *("--watch", str(root / "locale")),
        # Sphinx writes the compiled catalogs next to the .po files: not a change to rebuild for.
        *("--ignore", "*.mo"),
        *("--host", HOST, "--port", str(port)),
        str(root / "source"),
        str(preview_dir / language),
    ]


def _preview_command(args: argparse.Namespace) -> int:
    if args.language not in LANGUAGES:
        raise UserError(f"unknown language {args.language!r}; choose from {', '.join(LANGUAGES)}")
    require("preview", "the live preview")
    progress = Progress("preview")
    with progress.phase("system packages"):
        install_system_packages(["docs"])
    with progress.phase("mermaid-cli"):
        ensure_mermaid_cli()
    with warm_renderer() as scope:
        # Started now, not at the first diagram edit: a label edit then redraws in about 0.2 s.
        with progress.phase("warm diagram renderer"):
            try:
                ensure_running(scope)
            except RendererUnavailable as error:
                print(f"{error}\ndiagrams are drawn by mmdc instead (slower)", file=sys.stderr)
        return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    print(
        f"serving {args.language} on http://{HOST}:{args.port}/ (Ctrl+C stops)", file=sys.stderr, flush=True
    )
    with process_group(autobuild_command(args.language, args.port), timeout=5) as server:

        def stop(signum: int, frame: object) -> None:
            signal_group(server.pid, signal.SIGTERM)

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, stop)
        server.wait()
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("language", nargs="?", default="ja", metavar="LANG", help="en or ja (default: ja)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    parser.set_defaults(func=_preview_command)
