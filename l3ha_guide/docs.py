"""`l3ha-guide docs`: build the manual in both languages, side by side, offline.

English and Japanese build in parallel (one sphinx-build process each, with
their own doctree folders, so incremental rebuilds stay incremental) into
build/html/en and build/html/ja; build/html/index.html sends readers to English.
Missing tools are installed first: Debian's chromium (as root) and mermaid-cli
from package-lock.json with `npm ci`, never a browser download.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from filelock import FileLock

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.diagram_renderer import warm_renderer
from l3ha_guide.errors import UserError
from l3ha_guide.progress import Progress
from l3ha_guide.system import install as install_system_packages

LANGUAGES = ("en", "ja")
BUILD_DIR = PROJECT_ROOT / "build"

LANDING_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url=en/index.html">
<title>Neutron L3 HA guide</title></head>
<body><p><a href="en/index.html">English</a> · <a href="ja/index.html" lang="ja">日本語</a></p></body>
</html>
"""


def ensure_mermaid_cli(root: Path = PROJECT_ROOT) -> None:
    """Run `npm ci` when node_modules is missing or older than package-lock.json (one at a time:
    a second `npm ci` in the same folder fails, and the first one's result serves both)."""
    marker = root / "node_modules" / ".package-lock.json"
    lock = root / "package-lock.json"
    (root / ".cache").mkdir(exist_ok=True)
    with FileLock(root / ".cache" / "npm-ci.lock"):
        if not marker.exists() or marker.stat().st_mtime < lock.stat().st_mtime:
            _npm_ci(root)


def _npm_ci(root: Path) -> None:
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    result = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise UserError(f"npm ci failed (exit {result.returncode}):\n{tail}")


def sphinx_command(
    language: str, builder: str = "html", root: Path = PROJECT_ROOT, build_dir: Path | None = None
) -> list[str]:
    build_dir = build_dir or root / "build"
    return [
        *(sys.executable, "-m", "sphinx", "-b", builder, "-W", "--keep-going", "-q"),
        *("-c", str(root), "-D", f"language={language}"),
        # each builder its own doctrees: the HTML and the print edition may be built at the same time
        *("-d", str(build_dir / "doctrees" / (language if builder == "html" else f"{builder}-{language}"))),
        str(root / "source"),
        str(build_dir / builder / language),
    ]


def run_sphinx(
    languages: tuple[str, ...] = LANGUAGES,
    root: Path = PROJECT_ROOT,
    build_dir: Path | None = None,
    builder: str = "html",
) -> None:
    """Build the languages in parallel, one sphinx-build process each, sharing one warm
    diagram renderer for the diagrams the cache does not hold."""
    build_dir = build_dir or root / "build"
    failed = []
    with warm_renderer():
        processes = {
            language: subprocess.Popen(
                sphinx_command(language, builder, root=root, build_dir=build_dir),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for language in languages
        }
        for language, process in processes.items():
            output, _ = process.communicate()
            if output.strip():
                print(output.rstrip(), file=sys.stderr)
            if process.returncode != 0:
                failed.append(language)
    if failed:
        raise UserError(f"the {', '.join(failed)} build failed (see the messages above)")
    if builder == "html":
        (build_dir / "html" / "index.html").write_text(LANDING_PAGE, encoding="utf-8")


def build(languages: tuple[str, ...] = LANGUAGES) -> None:
    progress = Progress("docs")
    with progress.phase("system packages"):
        install_system_packages(["docs"])
    with progress.phase("mermaid-cli"):
        ensure_mermaid_cli()
    with progress.phase("sphinx " + " + ".join(languages)):
        run_sphinx(languages)
    for language in languages:
        print(f"open {BUILD_DIR / 'html' / language / 'index.html'}")


def add_languages_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("languages", nargs="*", metavar="LANG", help="en and/or ja (default: both)")


def chosen_languages(args: argparse.Namespace) -> tuple[str, ...]:
    """The languages named on the command line, all when none; a wrong one is a UserError."""
    unknown = [language for language in args.languages if language not in LANGUAGES]
    if unknown:
        raise UserError(f"unknown language {unknown[0]!r}; choose from {', '.join(LANGUAGES)}")
    return tuple(args.languages or LANGUAGES)


def _docs_command(args: argparse.Namespace) -> int:
    build(chosen_languages(args))
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    add_languages_argument(parser)
    parser.set_defaults(func=_docs_command)
