"""Long-lived TCP connections across a failover of the manual's router: which ones survive.

    result = connection_across_failover(lab, "floating-ip", "crash")
    result = connection_across_failover(lab, "snat", "graceful")

`floating-ip`: the external host connects to the instance's floating IP
(port 22, which the manual's security group opens). `snat`: the instance
connects to the external host through the router's SNAT address; its floating
IP is detached meanwhile, since an instance with one leaves through it.

An echo server runs on one end; the client sends a line every ROUND_TRIP_PAUSE
seconds and waits for the echo. The master fails once the connection carries
traffic; the connection survives if the echoes go on until CONNECTION_SECONDS
after it was opened. Both programs end by themselves (a process killed from
outside a host's PID namespace would leave its child running there).
"""

from __future__ import annotations

import subprocess
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass

from l3ha_guide.errors import UserError
from l3ha_guide.lab.failover import fail, helper_process, restore
from l3ha_guide.lab.scenario import ensure_scenario, openstack

PATHS = ("floating-ip", "snat")
FLOATING_IP_PORT = 22  # the manual's security group allows TCP 22 (source/verify-operation.md)
SNAT_PORT = 5001
CONNECTION_SECONDS = 45  # long enough for a crash's outage and TCP's retransmission back-off
ROUND_TRIP_PAUSE = 0.2
SETTLE_SECONDS = 3.0  # traffic before the failure
# When each program has ended by itself at the latest (the timeouts in their code below).
CLIENT_SECONDS = 10 + CONNECTION_SECONDS + 30
SERVER_SECONDS = 30 + CLIENT_SECONDS + 60

ECHO_SERVER = """
import socket, sys
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("0.0.0.0", int(sys.argv[1])))
listener.listen(1)
listener.settimeout(30)
connection, _ = listener.accept()
connection.settimeout(60)
while data := connection.recv(64):
    connection.sendall(data)
"""

CLIENT = """
import socket, sys, time
seconds, pause = float(sys.argv[3]), float(sys.argv[4])
connection = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
connection.settimeout(30)
print("connected", flush=True)
began, sent = time.monotonic(), 0
while time.monotonic() - began < seconds:
    sent += 1
    try:
        connection.sendall(b"%d\\n" % sent)
        if not connection.recv(64):
            print("closed by the peer after %.1f s" % (time.monotonic() - began))
            sys.exit(1)
    except OSError as error:
        print("broken after %.1f s: %s" % (time.monotonic() - began, error))
        sys.exit(1)
    time.sleep(pause)
print("alive after %d round trips" % sent)
"""


@dataclass
class ConnectionResult:
    path: str  # one of PATHS
    mode: str  # graceful or crash
    survived: bool
    client_said: str  # the client's last line: "alive after …", "broken after …: <error>"
    old_master: str
    new_master: str

    def as_dict(self) -> dict:
        return asdict(self)


def connection_across_failover(lab, path: str, mode: str) -> ConnectionResult:
    if path not in PATHS:
        raise UserError(f"connection path must be one of {', '.join(PATHS)}, not {path!r}")
    instance = ensure_scenario(lab)
    external = lab.topology.external_gateway
    with ExitStack() as cleanup:
        if path == "floating-ip":
            server_host, client_host, target, port = (
                "instance",
                "external",
                instance.floating_ip,
                FLOATING_IP_PORT,
            )
        else:
            openstack(lab, f"floating ip unset --port {instance.floating_ip}")
            cleanup.callback(
                openstack, lab, f"floating ip set --port {instance.port_id} {instance.floating_ip}"
            )
            server_host, client_host, target, port = "external", "instance", external, SNAT_PORT
        server_argv = lab.command(server_host, ["python3", "-c", ECHO_SERVER, str(port)])
        helper_process(cleanup, server_argv, SERVER_SECONDS)  # ends once the client has gone
        time.sleep(0.5)
        arguments = [target, str(port), str(CONNECTION_SECONDS), str(ROUND_TRIP_PAUSE)]
        client_argv = lab.command(client_host, ["python3", "-c", CLIENT, *arguments])
        client = helper_process(cleanup, client_argv, CLIENT_SECONDS)
        time.sleep(SETTLE_SECONDS)
        if client.poll() is not None:
            raise UserError(
                f"{client_host} could not hold a connection to {target}:{port}: {client.stdout.read()}"
            )
        failure = fail(lab, mode)
        try:
            output = client.communicate(timeout=CLIENT_SECONDS)[0]
        except subprocess.TimeoutExpired:
            raise UserError(f"the client on {client_host} did not end in time") from None
        finally:
            restore(lab, failure)
    lines = output.strip().splitlines()
    return ConnectionResult(
        path=path,
        mode=mode,
        survived=client.returncode == 0,
        client_said=lines[-1] if lines else "",
        old_master=failure.old_master,
        new_master=failure.new_master,
    )
