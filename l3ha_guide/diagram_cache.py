"""A caching front end to mermaid-cli (`mmdc`), used as sphinxcontrib-mermaid's `mermaid_cmd`.

Called as `python -m l3ha_guide.diagram_cache [mmdc options] -i IN -o OUT`. The
rendered SVG is keyed by the diagram source, the options and the mermaid-cli
version, and kept in `.cache/diagrams/`, so a clean build does not start
Chromium again for a diagram it has already rendered (over a second each).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from l3ha_guide import PROJECT_ROOT

CACHE_DIR = PROJECT_ROOT / ".cache" / "diagrams"
MMDC = PROJECT_ROOT / "node_modules" / ".bin" / "mmdc"
MERMAID_CLI_PACKAGE = PROJECT_ROOT / "node_modules" / "@mermaid-js" / "mermaid-cli" / "package.json"


def _option_value(args: list[str], flag: str) -> str:
    index = args.index(flag)
    return args[index + 1]


def cache_key(args: list[str]) -> str:
    """Hash of the diagram source, the other options and the mermaid-cli version."""
    source = Path(_option_value(args, "-i")).read_bytes()
    other = [
        arg
        for i, arg in enumerate(args)
        if arg not in ("-i", "-o") and (i == 0 or args[i - 1] not in ("-i", "-o"))
    ]
    version = json.loads(MERMAID_CLI_PACKAGE.read_text())["version"]
    digest = hashlib.sha256(source)
    digest.update(json.dumps([other, version]).encode())
    return digest.hexdigest()


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
    result = subprocess.run([str(MMDC), "--quiet", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0 or not output.exists():
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-20:])
        print(f"mmdc failed (exit {result.returncode}) rendering {output.name}:\n{tail}", file=sys.stderr)
        return 1
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    temporary = cached.with_suffix(".tmp")
    shutil.copyfile(output, temporary)
    temporary.replace(cached)  # atomic: parallel builds never see half a file
    print(f"rendered diagram {output.name} in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(render(sys.argv[1:]))
