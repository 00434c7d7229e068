"""A testinfra backend for the embedded lab: `nsenter://network1` runs commands in that host.

    from l3ha_guide.lab.testinfra_backend import register
    register()
    host = testinfra.get_host("nsenter://network1")

pytest gets it without the call: the package's `pytest11` entry point
(`l3ha_guide.lab.pytest_plugin`) registers it. As testinfra does with its own
backends, the registry holds the class as a "module.Class" string, so this
module is imported only when a test asks for an `nsenter://` host. Against a
real lab, use testinfra's own ssh, paramiko or ansible backends instead.
"""

from __future__ import annotations

import shlex
from typing import Any

from testinfra.backend import base

SCHEME = "nsenter"


class NsenterBackend(base.BaseBackend):
    NAME = SCHEME

    def __init__(self, hostname: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(hostname, *args, **kwargs)

    def run(self, command: str, *args: str, **kwargs: Any) -> base.CommandResult:
        from l3ha_guide.lab.lab import Lab

        prefix = Lab.load().command(self.hostname, [])
        return self.run_local(
            " ".join(shlex.quote(part) for part in prefix) + " /bin/sh -c %s",
            self.get_command(command, *args),
        )


def register() -> None:
    """Make `nsenter://HOST` known to testinfra (idempotent)."""
    from testinfra.backend import BACKENDS

    BACKENDS[SCHEME] = f"{__name__}.NsenterBackend"
