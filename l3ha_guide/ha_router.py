"""The manual's HA router as an operator looks at it, over any shell: the one lab client.

The lab's own steps (creating the scenario, measuring a failover), the console
examples' lab actions and the tests all ask the same questions: the router's
ID, the HA state of each L3 agent, keepalived's PID file and state on a node.
They ask them here, through a `Shell` that runs a command on a named host:
`Lab.shell` for the embedded lab, `HostMap.shell` for testinfra's backends
(nsenter, SSH, Ansible), so what works in the lab works on a real deployment.
Questions that wait loops repeat go to the Networking API through
l3ha_guide.networking_api (about 0.1 s each on the controller); changes go
through the `openstack` client, as an operator makes them.

    router = HARouter(lab.shell)                  # the router of examples/lab/topology.yaml
    router.ha_states()                            # {'network1': 'active', 'network2': 'standby'}
    router.stop_keepalived("network1")            # SIGTERM through its PID file
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from l3ha_guide.errors import UserError
from l3ha_guide.topology import load as load_topology
from l3ha_guide.waiting import wait_until

# The install guide's credentials files on the controller, by the user (and project) they load;
# client commands source one of them (admin unless an example says otherwise).
CREDENTIALS = {"admin": "/root/admin-openrc", "demo": "/root/demo-openrc"}
ADMIN_OPENRC = CREDENTIALS["admin"]
HA_CONFS = "/var/lib/neutron/ha_confs"  # the L3 agent's ha_confs_path (Neutron's default)
# Where the L3 agent (29.0.0, default state_path) writes radvd's configuration and PID file.
RADVD_CONFS = "/var/lib/neutron/ra"
EXTERNAL_PIDS = "/var/lib/neutron/external/pids"
CONTROLLER = "controller"

# (host, shell command, timeout in seconds) -> (exit status, stdout and stderr together)
Shell = Callable[[str, str, float], tuple[int, str]]


NETWORKING_API_SCRIPT = Path(__file__).with_name("networking_api.py")


def _router_name() -> str:
    return load_topology().openstack.router


@dataclass
class HARouter:
    shell: Shell
    name: str = field(default_factory=_router_name)

    def openstack(self, arguments: str, timeout: float = 60) -> str:
        """Run the `openstack` client on the controller with the admin credentials; its output."""
        status, output = self.shell(CONTROLLER, f". {ADMIN_OPENRC} && openstack {arguments}", timeout)
        if status != 0:
            raise UserError(f"{CONTROLLER}: `openstack {arguments}` failed (exit {status}): {output.strip()}")
        return output

    def api(self, *paths: str, timeout: float = 60) -> list[dict]:
        """The bodies of GETs on the Networking API (paths under /v2.0/), with the admin credentials."""
        script = shlex.quote(NETWORKING_API_SCRIPT.read_text())
        arguments = " ".join(map(shlex.quote, paths))
        command = f". {ADMIN_OPENRC} && python3 -c {script} {arguments}"
        status, output = self.shell(CONTROLLER, command, timeout)
        lines = output.strip().splitlines()
        if status != 0 or not lines:
            raise UserError(f"{CONTROLLER}: cannot GET {', '.join(paths)} (exit {status}): {output.strip()}")
        return json.loads(lines[-1])

    def id(self) -> str:
        (found,) = self.api(f"routers?name={quote(self.name)}&fields=id")
        routers = found["routers"]
        if len(routers) != 1:
            raise UserError(f"{len(routers)} routers are named {self.name} (one expected)")
        return routers[0]["id"]

    def ha_states(self) -> dict[str, str]:
        """Host -> HA state of the router's L3 agents, as the server reports them (what
        `openstack network agent list --router ROUTER --long` shows as Host and HA State)."""
        (hosting,) = self.api(f"routers/{self.id()}/l3-agents")
        return {agent["host"]: str(agent["ha_state"]) for agent in hosting["agents"]}

    def wait_active_standby(self, timeout: float = 90) -> dict[str, str]:
        seen: dict[str, str] = {}

        def active_standby() -> dict[str, str] | None:
            seen.update(self.ha_states())
            return dict(seen) if sorted(seen.values()) == ["active", "standby"] else None

        return wait_until(
            active_standby,
            timeout=timeout,
            interval=0.5,
            failure=lambda: f"{self.name}: no active/standby pair after {timeout:.0f} s (states: {seen})",
        )

    def wait_healthy(self, timeout: float = 120, after: str = "the change") -> dict[str, str]:
        """Until the router can fail over again: keepalived primary on one network node and backup on
        the other, and the server reporting one agent active and one standby. keepalived's states are
        read first (a file on each node); the server is asked only once they pair up. Returns them."""
        router_id = self.id()
        seen: dict[str, dict[str, str]] = {}

        def healthy() -> bool:
            seen["keepalived"] = self.keepalived_states(router_id)
            if sorted(seen["keepalived"].values()) != ["backup", "primary"]:
                return False
            seen["server"] = self.ha_states()
            return sorted(seen["server"].values()) == ["active", "standby"]

        wait_until(
            healthy,
            timeout=timeout,
            interval=0.5,
            failure=lambda: f"{self.name} is not active/standby again {timeout:.0f} s after {after}: {seen}",
        )
        return seen["keepalived"]

    # --- keepalived on a network node, by the router's ID -----------------------------

    @staticmethod
    def conf_dir(router_id: str) -> str:
        return f"{HA_CONFS}/{router_id}"

    @staticmethod
    def state_change_log(router_id: str) -> str:
        """Where neutron-keepalived-state-change logs the transitions it detects (29.0.0)."""
        return f"{HA_CONFS}/{router_id}/neutron-keepalived-state-change.log"

    @staticmethod
    def pid_file(router_id: str) -> str:
        return f"{HA_CONFS}/{router_id}.pid.keepalived"

    def _running(self, host: str, pid_file: str) -> bool:
        """Whether the process of a PID file runs on `host`."""
        return self.shell(host, f"kill -0 $(cat {pid_file} 2>/dev/null) 2>/dev/null", 30)[0] == 0

    def keepalived_running(self, host: str, router_id: str) -> bool:
        return self._running(host, self.pid_file(router_id))

    def stop_keepalived(self, host: str, router_id: str, signal: str = "TERM") -> None:
        """SIGTERM makes keepalived send priority 0 first, so the backup takes over at once."""
        status, output = self.shell(host, f"kill -{signal} $(cat {self.pid_file(router_id)})", 30)
        if status != 0:
            raise UserError(f"{host}: cannot stop keepalived of {self.name}: {output.strip()}")

    def keepalived_state(self, host: str, router_id: str) -> str:
        """keepalived's own view on the node: primary, backup or fault ('none' if it has no state file)."""
        status, output = self.shell(host, f"cat {self.conf_dir(router_id)}/state 2>/dev/null", 30)
        return output.strip() if status == 0 and output.strip() else "none"

    def keepalived_states(self, router_id: str) -> dict[str, str]:
        """keepalived's own view on every network node of the scenario."""
        return {host: self.keepalived_state(host, router_id) for host in load_topology().network_nodes}

    def recent_transitions(self, router_id: str, lines: int = 4) -> dict[str, str]:
        """The last transitions each network node's state-change monitor logged: for failure messages."""
        command = f"tail -n {lines} {self.state_change_log(router_id)} 2>&1"
        return {host: self.shell(host, command, 30)[1].strip() for host in load_topology().network_nodes}

    # --- radvd on the master, for IPv6 subnets in SLAAC mode (source/ipv6.md) --------

    @staticmethod
    def radvd_conf(router_id: str) -> str:
        return f"{RADVD_CONFS}/{router_id}.radvd.conf"

    def radvd_hosts(self, router_id: str) -> list[str]:
        """The network nodes on which the router's radvd runs (the master's only, when all is well)."""
        pid_file = f"{EXTERNAL_PIDS}/{router_id}.pid.radvd"
        return [host for host in load_topology().network_nodes if self._running(host, pid_file)]

    def max_rtr_adv_interval(self, host: str, router_id: str) -> int | None:
        """The longest time between two of radvd's unsolicited advertisements on `host`, in seconds,
        from the configuration the L3 agent wrote (max_rtr_adv_interval); None without one."""
        command = f"grep -o 'MaxRtrAdvInterval [0-9]*' {self.radvd_conf(router_id)}"
        status, output = self.shell(host, command, 30)
        values = output.split()
        return int(values[1]) if status == 0 and len(values) == 2 and values[1].isdigit() else None

    def keepalived_conf(self, host: str, router_id: str) -> str:
        status, output = self.shell(host, f"cat {self.conf_dir(router_id)}/keepalived.conf", 30)
        if status != 0:
            raise UserError(f"{host}: no keepalived.conf for {self.name}: {output.strip()}")
        return output
