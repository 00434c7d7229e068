"""One warm Mermaid renderer for a whole build or preview (`diagram_renderer.mjs`).

mermaid-cli starts Chromium and loads Mermaid for every diagram: about 2.5 s
each, which made a diagram label edit in the live preview take 4 s. A build or
preview opens a `warm_renderer()` scope; inside it, the diagram cache hands its
misses to one Node process that keeps a Chromium page with Mermaid loaded.

The renderer starts on the first miss (a build whose diagrams are all cached
never starts Chromium), or at once when asked (the preview). A lock file makes
the English and Japanese builds, which run side by side, share one renderer.
The scope stops it when it closes; the renderer also stops by itself if the
scope's process dies without closing it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.processes import alive
from l3ha_guide.progress import log_tail

SCOPE_ENV = "L3HA_DIAGRAM_RENDERER"  # the scope's folder, inherited by sphinx and the diagram cache
SERVER_SCRIPT = Path(__file__).with_name("diagram_renderer.mjs")
PUPPETEER_CONFIG = PROJECT_ROOT / "puppeteer-config.json"
RENDER_TIMEOUT = 60.0


class RendererUnavailable(Exception):
    """The warm renderer could not start or answer: use mermaid-cli instead."""


class DiagramError(Exception):
    """Mermaid rejected the diagram (the message is Mermaid's)."""


def _socket(scope: Path) -> Path:
    return scope / "renderer.sock"


def _pids(scope: Path) -> list[int]:
    try:
        return [int(pid) for pid in (scope / "renderer.pids").read_text().split()]
    except (OSError, ValueError):
        return []


def _start(scope: Path, puppeteer_config: Path) -> None:
    """Start the renderer and wait until it listens; the caller holds the scope's lock."""
    owner = (scope / "owner.pid").read_text().strip()
    log_path = scope / "renderer.log"
    with log_path.open("ab") as log:
        server = subprocess.Popen(
            [
                "node",
                str(SERVER_SCRIPT),
                str(PROJECT_ROOT),
                str(_socket(scope)),
                str(puppeteer_config),
                owner,
            ],
            stdout=subprocess.PIPE,
            stderr=log,
            start_new_session=True,  # it outlives the diagram cache process that started it
        )
    assert server.stdout is not None
    (scope / "renderer.pids").write_text(f"{server.pid}\n")
    began = time.monotonic()
    line = server.stdout.readline().decode()  # "ready CHROMIUM_PID", or "" if it died
    if not line.startswith("ready"):
        server.kill()
        raise RendererUnavailable(f"the warm renderer did not start:\n{log_tail(log_path)}")
    (scope / "renderer.pids").write_text(f"{server.pid} {line.removeprefix('ready').strip()}\n")
    print(f"started the warm diagram renderer in {time.monotonic() - began:.1f} s", file=sys.stderr)


def ensure_running(scope: Path, puppeteer_config: Path = PUPPETEER_CONFIG) -> None:
    with FileLock(scope / "lock"):
        pids = _pids(scope)
        if not pids or not alive(pids[0]):
            _start(scope, puppeteer_config)


def render(
    scope: Path,
    definition: str,
    background: str,
    mermaid_config: dict[str, object],
    puppeteer_config: Path = PUPPETEER_CONFIG,
) -> str:
    """The SVG of one diagram, drawn by the scope's renderer (started if needed)."""
    try:
        ensure_running(scope, puppeteer_config)
        with socket.socket(socket.AF_UNIX) as connection:
            connection.settimeout(RENDER_TIMEOUT)
            connection.connect(str(_socket(scope)))
            request = {
                "definition": definition,
                "mermaidConfig": mermaid_config,
                "backgroundColor": background,
            }
            connection.sendall(json.dumps(request).encode() + b"\n")
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
    except OSError as error:
        raise RendererUnavailable(f"the warm renderer did not answer: {error}") from None
    try:
        result = json.loads(answer)
    except ValueError:
        raise RendererUnavailable("the warm renderer gave no answer") from None
    if "error" in result:
        raise DiagramError(result["error"])
    return result["svg"]


def _stop(pids: list[int]) -> None:
    """End the renderer (it closes its Chromium), then anything of it that is left."""
    if not pids:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pids[0], signal.SIGTERM)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in filter(alive, pids):  # Chromium may lead a process group of its own
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


@contextlib.contextmanager
def warm_renderer() -> Iterator[Path]:
    """A scope in which this process and its children share one warm renderer, started by
    the first diagram to draw (or by `ensure_running(scope)`) and stopped when it closes."""
    scope = Path(tempfile.mkdtemp(prefix="l3ha-diagrams-"))
    (scope / "owner.pid").write_text(f"{os.getpid()}\n")
    previous = os.environ.get(SCOPE_ENV)
    os.environ[SCOPE_ENV] = str(scope)
    try:
        yield scope
    finally:
        pids = _pids(scope)
        # The folder goes first: a runner such as tox kills this process half a second after
        # Ctrl+C, and the renderer, left alone, stops by itself.
        shutil.rmtree(scope, ignore_errors=True)
        _stop(pids)
        if previous is None:
            del os.environ[SCOPE_ENV]
        else:
            os.environ[SCOPE_ENV] = previous
