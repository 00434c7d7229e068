"""Privsep daemons forked from one preloaded process per lab host, so they share their memory.

Each Neutron agent starts one privsep daemon per privilege context (about ten
per network node), and each is a new Python process that imports Neutron: about
107 MB apiece. In the lab, the agents' root helper (/etc/neutron/lab-root-helper)
hands `privsep-helper ...` to this zygote instead: it has imported oslo.privsep
and every `neutron.privileged` module once, and forks a child that runs
oslo.privsep's own `helper_main()` with the same arguments. The daemon is the
real one; only its interpreter starts as a fork, whose pages stay shared.

    python3 privsep_zygote.py serve SOCKET          # in the host, before its agents
    python3 privsep_zygote.py spawn SOCKET ARGS...  # what the root helper runs

This file is run by path and imports nothing of l3ha_guide, so `spawn` starts fast.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import pkgutil
import socket
import sys
import traceback


def preload() -> None:
    import neutron.privileged
    from oslo_privsep import daemon  # noqa: F401

    for module in pkgutil.walk_packages(neutron.privileged.__path__, "neutron.privileged."):
        importlib.import_module(module.name)
    gc.freeze()  # the collector would otherwise touch, and so copy, every preloaded object


def run_helper(args: list[str]) -> None:
    """In the forked child: oslo.privsep's helper, which connects, forks the daemon and returns."""
    from oslo_privsep import daemon
    from setproctitle import setproctitle  # a dependency of neutron-lib

    sys.argv = ["privsep-helper", *args]
    setproctitle(" ".join(sys.argv))  # `ps` shows the daemon as privsep-helper, as without the zygote
    daemon.helper_main()


def serve(path: str) -> None:
    preload()
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen(16)
    print(f"privsep zygote {os.getpid()} ready on {path}", flush=True)
    while True:
        connection, _ = server.accept()
        with connection, connection.makefile("rw") as stream:
            args = json.loads(stream.readline())
            child = os.fork()
            if child == 0:
                server.close()
                os.close(connection.fileno())  # the daemon must not keep the client's connection open
                status = 0
                try:
                    run_helper(args)
                except SystemExit as done:  # the daemon's own end: its client (an agent) went away
                    status = 0 if done.code is None else done.code if isinstance(done.code, int) else 1
                except BaseException:  # report, never return into the zygote's loop
                    traceback.print_exc()
                    status = 1
                os._exit(status)
            _, wait_status = os.waitpid(child, 0)
            stream.write(f"{os.waitstatus_to_exitcode(wait_status)}\n")


def spawn(path: str, args: list[str]) -> int:
    client = socket.socket(socket.AF_UNIX)
    client.connect(path)
    with client, client.makefile("rw") as stream:
        stream.write(json.dumps(args) + "\n")
        stream.flush()
        answer = stream.readline().strip()
    return int(answer) if answer else 1


if __name__ == "__main__":
    sys.path.pop(0)  # this file's folder: its neutron.py would hide the real neutron package
    command, path, *rest = sys.argv[1:]
    if command == "serve":
        serve(path)
    else:
        sys.exit(spawn(path, rest))
