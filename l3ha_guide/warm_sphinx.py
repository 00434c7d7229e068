"""The live preview's rebuilds from a warm Python: Sphinx, the theme and the extensions imported once.

sphinx-autobuild runs `python -m sphinx build …` on every save. A fresh Python
spends about 0.9 s of a 2 s rebuild importing Sphinx, Furo, MyST and this
project's extensions and setting them up. Here one build server imports them
and initialises Sphinx once on the project, then forks a child for each
build: every build still starts from the same clean state as a fresh
interpreter, without paying for the imports again.

    python -m l3ha_guide.warm_sphinx ROOT LANG AUTOBUILD-ARGS...

starts the build server, then runs sphinx-autobuild with AUTOBUILD-ARGS; its
`sys.executable` is replaced by a small client script (`warm_sphinx_client.py`,
standard library only) that hands the `-m sphinx build` arguments to the server
and relays the build's output and exit status. The server stops with this
process (it watches this one), and serves one build at a time, as
sphinx-autobuild asks for them.
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
from pathlib import Path

from l3ha_guide.processes import alive

CLIENT_SCRIPT = Path(__file__).with_name("warm_sphinx_client.py")
EXIT_MARKER = b"\0l3ha-exit:"  # ends the relayed output: the exit status follows (shared with the client)


def _warm_up(root: Path, language: str) -> None:
    """Import and set up everything a build of the project needs, in a throwaway application."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    # docutils_namespace() undoes what the extensions register globally, as sphinx-build does
    with (
        tempfile.TemporaryDirectory(prefix="l3ha-warm-sphinx-") as scratch,
        patch_docutils(root),
        docutils_namespace(),
    ):
        Sphinx(
            str(root / "source"),
            str(root),
            f"{scratch}/out",
            f"{scratch}/doctrees",
            "html",
            confoverrides={"language": language},
            status=None,
            warning=None,
        )


def _build_in_child(connection: socket.socket, request: dict[str, object]) -> int:
    """Fork; the child runs sphinx-build with its output on the connection. The child's exit status."""
    child = os.fork()
    if child == 0:
        status = 1
        try:
            os.dup2(connection.fileno(), 1)
            os.dup2(connection.fileno(), 2)
            os.chdir(str(request["cwd"]))
            os.environ.clear()
            os.environ.update(request["environment"])  # type: ignore[arg-type]
            from sphinx.cmd.build import main

            status = main(list(request["arguments"]))  # type: ignore[call-overload]
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
        except BaseException:  # a crash of the build is reported by the build's own output
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    _, wait_status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(wait_status)


def serve(socket_path: Path, root: Path, language: str, owner: int) -> None:
    """Warm up, say `ready` on stdout, then build on request for as long as the owner process lives.

    An owner killed before it could clean up leaves its folder (the socket's) to this server."""
    try:
        _serve(socket_path, root, language, owner)
    finally:
        if not alive(owner):
            shutil.rmtree(socket_path.parent, ignore_errors=True)


def _serve(socket_path: Path, root: Path, language: str, owner: int) -> None:
    _warm_up(root, language)
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(socket_path))
        listener.listen()
        listener.settimeout(2)
        print("ready", flush=True)
        while alive(owner):
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(None)
                with connection.makefile("rb") as reader:  # an open reader would keep the socket open
                    request = json.loads(reader.readline())
                status = _build_in_child(connection, request)
                with contextlib.suppress(OSError):  # the client may be gone
                    connection.sendall(EXIT_MARKER + str(status).encode() + b"\n")


def _client_executable(folder: Path, socket_path: Path) -> Path:
    """An executable for sphinx-autobuild's `sys.executable`: the client, on this Python, without site."""
    wrapper = folder / "python"
    python = sys.executable
    client = f'"{python}" -S -I "{CLIENT_SCRIPT}" "{socket_path}" "{python}"'
    wrapper.write_text(f'#!/bin/sh\nexec {client} "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # so that the clean-up below runs (Python's default is to die at once)


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    if argv[:1] == ["--serve"]:
        serve(Path(argv[1]), Path(argv[2]), argv[3], int(argv[4]))
        return 0
    root, language, autobuild_args = Path(argv[0]), argv[1], argv[2:]
    import sphinx_autobuild.__main__ as autobuild

    with tempfile.TemporaryDirectory(prefix="l3ha-warm-sphinx-", ignore_cleanup_errors=True) as folder:
        socket_path = Path(folder) / "build.sock"
        serve_arguments = ["--serve", str(socket_path), str(root), language, str(os.getpid())]
        server = subprocess.Popen(
            [sys.executable, "-m", "l3ha_guide.warm_sphinx", *serve_arguments], stdout=subprocess.PIPE
        )
        try:
            assert server.stdout is not None
            if server.stdout.readline().strip() == b"ready":
                sys.executable = str(_client_executable(Path(folder), socket_path))
            else:  # the builds run the usual way: slower, but the preview works
                print("the warm build server did not start; each rebuild starts Python anew", file=sys.stderr)
            autobuild.main(autobuild_args)
        finally:
            server.terminate()
            server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
