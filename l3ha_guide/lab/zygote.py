"""Neutron's agents and their privsep daemons forked from one preloaded interpreter per lab host.

Each agent is a Python process that imports Neutron (1.3 to 2 CPU-seconds) and
starts one privsep daemon per privilege context (about ten per network node),
each one more Python process that imports Neutron (about 107 MB apiece). On a
two-core machine those imports are a good part of `lab up`. This zygote, one per
agent host, imports the modules of the host's agents and every
`neutron.privileged` module once, then forks what the host runs:

- an agent (`daemon`): in a session of its own, with its log as stdout and
  stderr, running the agent's console script with the agent's arguments; `ps`
  shows the command line the script would have had;
- a privsep daemon (`spawn`, what the lab's root helper runs): oslo.privsep's
  own `helper_main()` with the same arguments.

The processes are the real ones; only their interpreters start as forks, whose
pages stay shared. Neutron 29.0.0's agents use oslo.service's threading
backend (no eventlet), and the zygote has no thread of its own, so a fork is safe.

    python3 zygote.py serve SOCKET BINARY...          # in the host, before its agents
    python3 zygote.py daemon SOCKET LOG BINARY ARGS... # an agent; prints its PID
    python3 zygote.py spawn SOCKET ARGS...             # a privsep daemon (the root helper)

This file is run by path and imports nothing of l3ha_guide, so its clients start fast.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import json
import os
import pkgutil
import shutil
import socket
import sys
import threading
import traceback
from importlib.metadata import EntryPoint, entry_points


def console_script(binary: str) -> EntryPoint:
    scripts = entry_points(group="console_scripts", name=binary)
    if not scripts:
        raise LookupError(f"no console script named {binary} in {sys.prefix}")
    return next(iter(scripts))


def preload(binaries: list[str]) -> None:
    import neutron.privileged
    from oslo_privsep import daemon  # noqa: F401
    from setproctitle import setproctitle  # noqa: F401  (a dependency of neutron-lib)

    for binary in binaries:
        importlib.import_module(console_script(binary).module)
    for module in pkgutil.walk_packages(neutron.privileged.__path__, "neutron.privileged."):
        importlib.import_module(module.name)
    if threading.active_count() != 1:  # a fork would copy a lock some thread holds
        raise RuntimeError(f"preloading started threads: {threading.enumerate()}")
    gc.freeze()  # the collector would otherwise touch, and so copy, every preloaded object


def exit_child(run) -> None:
    """In a forked child: run, then exit as a process would, never returning into the zygote's loop."""
    status = 0
    try:
        run()
    except SystemExit as done:
        status = 0 if done.code is None else done.code if isinstance(done.code, int) else 1
    except BaseException:
        traceback.print_exc()
        status = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def run_helper(args: list[str]) -> None:
    """oslo.privsep's helper, which connects to the agent, forks the daemon and returns."""
    from oslo_privsep import daemon
    from setproctitle import setproctitle

    sys.argv = ["privsep-helper", *args]
    setproctitle(" ".join(sys.argv))  # `ps` shows the daemon as privsep-helper, as without the zygote
    daemon.helper_main()


def run_agent(log: str, script: EntryPoint, args: list[str]) -> None:
    """The agent's console script, as `setsid BINARY ARGS </dev/null >>LOG 2>&1` would run it."""
    from setproctitle import setproctitle

    stdin = os.open(os.devnull, os.O_RDONLY)
    output = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(stdin, 0)
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.close(stdin)
    os.close(output)
    sys.argv = [shutil.which(script.name) or script.name, *args]
    setproctitle(" ".join([sys.executable, *sys.argv]))  # as `ps` shows a console script
    sys.exit(script.load()())


def fork_daemon(log: str, binary: str, args: list[str], close) -> int:
    """Fork twice, so the agent is adopted by the host's PID 1 as with `setsid ... &`; returns its PID."""
    script = console_script(binary)  # an unknown binary fails here, in the zygote, with a message
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        close()
        os.close(read_end)
        os.setsid()
        agent = os.fork()
        if agent:
            os.write(write_end, f"{agent}\n".encode())
            os._exit(0)
        os.close(write_end)
        exit_child(lambda: run_agent(log, script, args))
    os.close(write_end)
    os.waitpid(child, 0)
    with os.fdopen(read_end) as pipe:
        return int(pipe.read())


def serve(path: str, binaries: list[str]) -> None:
    preload(binaries)
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen(16)
    print(f"zygote {os.getpid()} ready on {path}, preloaded {' '.join(binaries)}", flush=True)
    while True:
        connection, _ = server.accept()
        with connection, connection.makefile("rw") as stream:
            request = json.loads(stream.readline())

            def close(stream=stream, connection=connection) -> None:
                """In a child: the zygote's sockets are not its own (the client waits for them to close)."""
                stream.close()
                connection.close()
                server.close()

            if request["kind"] == "daemon":
                try:
                    pid = fork_daemon(request["log"], request["binary"], request["args"], close)
                except Exception as error:  # e.g. an unknown binary: the client reports it
                    stream.write(f"error {error}\n")
                    continue
                print(f"forked {request['binary']} as PID {pid}", flush=True)
                stream.write(f"{pid}\n")
                continue
            child = os.fork()
            if child == 0:
                close()
                exit_child(lambda args=request["args"]: run_helper(args))
            _, wait_status = os.waitpid(child, 0)
            stream.write(f"{os.waitstatus_to_exitcode(wait_status)}\n")


def ask(path: str, request: dict) -> str:
    client = socket.socket(socket.AF_UNIX)
    client.connect(path)
    with client, client.makefile("rw") as stream:
        stream.write(json.dumps(request) + "\n")
        stream.flush()
        return stream.readline().strip()


def main(argv: list[str]) -> int:
    command, path, *rest = argv
    if command == "serve":
        serve(path, rest)
        return 0
    if command == "daemon":
        log, binary, *args = rest
        answer = ask(path, {"kind": "daemon", "log": log, "binary": binary, "args": args})
        if not answer.isdigit():
            print(f"zygote: {binary} not started: {answer or 'no answer'}", file=sys.stderr)
            return 1
        print(answer)
        return 0
    answer = ask(path, {"kind": "privsep", "args": rest})
    return int(answer) if answer.lstrip("-").isdigit() else 1


if __name__ == "__main__":
    sys.path.pop(0)  # this file's folder: its neutron.py would hide the real neutron package
    sys.exit(main(sys.argv[1:]))
