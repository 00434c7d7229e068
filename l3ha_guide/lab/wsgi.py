"""The lab's API services under uwsgi, one way for all of them (Neutron, Keystone, Placement, Glance, Nova).

The 2026 releases ship WSGI applications instead of eventlet servers
(`neutron-server`, `keystone-wsgi-public` and `glance-api` are gone), so each
API runs as its project's WSGI module under uwsgi, with its config folder in
the environment variable the module reads.
"""

from __future__ import annotations

import sys


def uwsgi_command(address: str, port: int, module: str, environment: dict[str, str]) -> list[str]:
    """argv of one API server: one process with two threads (the lab serves one reader)."""
    return [
        "env",
        *(f"{name}={value}" for name, value in environment.items()),
        "uwsgi",
        f"--http-socket={address}:{port}",
        f"--home={sys.prefix}",
        f"--module={module}",
        "--master",
        "--processes=1",
        "--threads=2",
        "--enable-threads",
        "--lazy-apps",
        "--die-on-term",
        "--need-app",
        # Keep-alive on makes the clients see `Connection reset by peer`.
        "--http-keepalive=0",
        "--add-header=Connection: close",
        "--buffer-size=65535",
        # Image uploads come chunked.
        "--http-auto-chunked",
        "--http-raw-body",
        "--http-chunked-input",
    ]
