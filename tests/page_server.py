"""A local HTTP server for built pages, for the browser tests: 127.0.0.1 only, silent.

The browser closes a connection as soon as it has what it needs; the handler's
thread then meets a broken pipe, which is no fault of the page.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class PageServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # the browser hung up first
            return
        super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 for `directory`; yields its base URL."""
    server = PageServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
