"""The lab as one object: bring it up in phases, run commands on its hosts, tear it down.

    lab = Lab.load()
    lab.up()                       # hosts, fabric, Open vSwitch, sshd, then OpenStack
    lab.exec("network1", "ip netns")
    lab.down()

Every holder PID is recorded in the state folder the moment it exists, so a
half-built lab (an exception, Ctrl-C, a killed driver) is removed by `down`.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from l3ha_guide.errors import UserError
from l3ha_guide.lab import configs, fabric, hosts, ovs, ssh
from l3ha_guide.lab.keystone import OPENRC
from l3ha_guide.lab.state import LabState
from l3ha_guide.progress import Progress
from l3ha_guide.topology import TOPOLOGY_FILE, Topology, load

FABRIC = "fabric"


class Lab:
    def __init__(self, topology: Topology, state: LabState) -> None:
        self.topology = topology
        self.state = state

    @classmethod
    def load(cls, topology_file: Path = TOPOLOGY_FILE, state_dir: Path | None = None) -> Lab:
        return cls(load(topology_file), LabState(state_dir))

    # --- what is running -------------------------------------------------

    def init_pids(self) -> dict[str, int]:
        """PID 1 of each running holder (hosts and fabric), by name."""
        holders = self.state.load().get("holders", {})
        return {
            name: entry["init"]
            for name, entry in holders.items()
            if entry.get("init") and hosts.is_holder(entry["init"], self.state)
        }

    def host_pids(self) -> dict[str, int]:
        return {name: pid for name, pid in self.init_pids().items() if name != FABRIC}

    def is_up(self, level: str = "hosts") -> bool:
        """True if every host runs and the lab reached `level` ("hosts" or "neutron")."""
        pids = self.init_pids()
        if set(pids) != {*self.topology.lab_hosts, FABRIC}:
            return False
        reached = self.state.load().get("level")
        return reached == "neutron" or reached == level

    # --- commands on hosts -----------------------------------------------

    def command(self, host: str, command: str | list[str]) -> list[str]:
        argv = ["/bin/sh", "-c", command] if isinstance(command, str) else list(command)
        if host in self.topology.hosts and self.topology.hosts[host].role == "instance":
            compute, namespace = self.instance_location()
            return self.command(compute, ["ip", "netns", "exec", namespace, *argv])
        pids = self.init_pids()
        if host not in pids:
            known = ", ".join(sorted(self.topology.hosts))
            if host not in self.topology.hosts:
                raise UserError(f"unknown lab host {host!r}; hosts: {known}")
            raise UserError(f"lab host {host} is not running; start the lab with `l3ha-guide lab up`")
        # The host's own environment, whoever calls: the virtual environment's bin on PATH, HOME=/root.
        environment = [f"{key}={value}" for key, value in hosts.lab_environment().items()]
        return [*hosts.nsenter(pids[host]), "env", *environment, *argv]

    def instance_location(self) -> tuple[str, str]:
        """(compute host, network namespace) of the manual's instance, asked of Nova once per lab."""
        known = self.state.load().get("instance")
        if known:
            return known[0], known[1]
        name = self.topology.openstack.instance
        # As admin: the host and the instance name are admin-only fields of the server. The name
        # may carry a console run's prefix (`--name-prefix`); Nova reads --name as a regex.
        script = (
            f". {OPENRC['admin']} && "
            f"id=$(openstack server list --all-projects --name '^.*{name}$' -f value -c ID) && "
            '[ -n "$id" ] && openstack server show "$id" -f value '
            "-c OS-EXT-SRV-ATTR:host -c OS-EXT-SRV-ATTR:instance_name"
        )
        result = self.exec(self.topology.controller.name, ["bash", "-c", script])
        fields = result.stdout.split()
        if result.returncode != 0 or len(fields) != 2 or "None" in fields:
            raise UserError(
                f"instance: Nova has no running instance {name} yet; it is made by "
                "`openstack server create` (verify-operation)"
            )
        self.state.update(instance=fields)
        return fields[0], fields[1]

    def exec(
        self,
        host: str,
        command: str | list[str],
        *,
        check: bool = False,
        timeout: float | None = 120,
        capture: bool = True,
        input: str | None = None,
    ) -> subprocess.CompletedProcess:
        """Run a command (a shell string or an argv list) on a lab host."""
        argv = self.command(host, command)
        try:
            result = subprocess.run(
                argv,
                capture_output=capture,
                text=True,
                timeout=timeout,
                input=input,
                env=hosts.lab_environment(),
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise UserError(f"{host}: timed out after {timeout} s: {command}") from None
        if check and result.returncode != 0:
            output = (result.stdout or "") + (result.stderr or "")
            raise UserError(f"{host}: `{command}` failed (exit {result.returncode}):\n{output.strip()}")
        return result

    def shell(self, host: str, command: str, timeout: float = 120) -> tuple[int, str]:
        """A `ha_router.Shell`: (exit status, stdout and stderr) of a shell command on a lab host."""
        result = self.exec(host, command, timeout=timeout)
        return result.returncode, (result.stdout or "") + (result.stderr or "")

    def fabric_exec(self, command: list[str], *, input: str | None = None) -> subprocess.CompletedProcess:
        pid = self.init_pids()[FABRIC]
        return subprocess.run(
            [*hosts.nsenter(pid, network_only=True), *command], capture_output=True, text=True, input=input
        )

    def daemon(self, host: str, command: list[str], log: str) -> int:
        """Start a long-running process on a host, detached under its PID 1; returns its PID there."""
        import shlex

        script = f"setsid {shlex.join(command)} </dev/null >>{shlex.quote(log)} 2>&1 & echo $!"
        return int(self.exec(host, script, check=True).stdout.strip())

    # --- up ---------------------------------------------------------------

    def up(
        self,
        *,
        hosts_only: bool = False,
        progress: Progress | None = None,
        api_ready: Callable[[], object] | None = None,
    ) -> bool:
        """Build the lab; returns False (and changes nothing) if it is already up.

        `api_ready` is called once Keystone and the Networking API answer, while the agents start
        (`scenario.up_with_scenario` makes the manual's networks and router then)."""
        level = "hosts" if hosts_only else "neutron"
        if self.is_up(level):
            return False
        if os.geteuid() != 0:
            raise UserError("the lab needs root (Linux namespaces, mounts); run as root or use a real lab")
        progress = progress or Progress("lab up")
        try:
            # Neutron starts on a lab left by `up --hosts-only`; anything else half-built is rebuilt.
            if not self.is_up("hosts") or self.state.load().get("level") != "hosts":
                self._down_quietly()
                self._up_hosts(progress)
            if not hosts_only:
                from l3ha_guide.lab import neutron

                self.state.update(level="starting neutron")
                neutron.start(self, progress, api_ready)
        except BaseException as failure:
            self.state.write_timings(progress.timings, level="failed")
            # Nothing stays running; the hosts' files stay for a look at their logs until the next `up`.
            self._down_quietly(keep_files=True)
            if isinstance(failure, UserError):
                logs = self.state.root / "hosts" / "HOST" / "upper" / "var" / "log"
                message = f"{failure}\n  the lab is down; its logs stay in {logs} until `lab up`"
                raise UserError(message) from None
            raise
        self.state.update(level=level)
        self.state.write_timings(progress.timings, level=level, memory_mib=self.memory_mib())
        return True

    def _up_hosts(self, progress: Progress) -> None:
        self.state.root.mkdir(parents=True, exist_ok=True)
        self.state.update(level="building", holders={}, instance=None)
        with progress.phase("config files"):
            for host in self.topology.lab_hosts.values():
                for target, text in configs.etc_files(self.topology, host).items():
                    path = self.state.upper(host.name, target)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text)
            configs.install(self.topology, self.state)
            ssh.ensure_keys(self.state)
        with progress.phase("hosts and fabric"):
            names = [FABRIC, *self.topology.lab_hosts]
            processes = {name: hosts.spawn_holder(self.state, name, fabric=name == FABRIC) for name in names}
            pids = {name: hosts.wait_ready(self.state, name, process) for name, process in processes.items()}
            batch = fabric.fabric_batch(self.topology, pids)
            result = self.fabric_exec(["ip", "-batch", "-"], input=batch)
            if result.returncode != 0:
                raise UserError(f"fabric: ip -batch failed: {result.stderr.strip()}")
            self._on_each_host(self._wire_host)
        with progress.phase("open vswitch"):
            self._on_each_host(self._start_ovs, [h for h in self.topology.lab_hosts.values() if h.runs_ovs])
        with progress.phase("sshd"):
            self._on_each_host(self._start_sshd)
        self.state.update(level="hosts")

    def _on_each_host(self, action, selected=None) -> None:
        selected = list(self.topology.lab_hosts.values()) if selected is None else selected
        with ThreadPoolExecutor(max_workers=len(selected) or 1) as pool:
            for future in [pool.submit(action, host) for host in selected]:
                future.result()

    def _wire_host(self, host) -> None:
        if host.interfaces:
            self.exec(host.name, ["ip", "-batch", "-"], input=fabric.host_batch(host), check=True)
            script = "\n".join(" ".join(c) + " >/dev/null" for c in fabric.offload_commands(host))
            self.exec(host.name, script, check=True)

    def _start_ovs(self, host) -> None:
        result = self.exec(host.name, ovs.start_script(host))
        if result.returncode != 0:
            log = self.state.upper(host.name, "/var/log/openvswitch/ovs-vswitchd.log")
            from l3ha_guide.progress import log_tail

            raise UserError(f"{host.name}: Open vSwitch failed: {result.stderr.strip()}\n{log_tail(log)}")

    def _start_sshd(self, host) -> None:
        self.exec(host.name, ssh.start_command(self.state, host.name), check=True)

    # --- down -------------------------------------------------------------

    def down(self, progress: Progress | None = None) -> None:
        progress = progress or Progress("lab down")
        with progress.phase("stop hosts"):
            self._down_quietly()
        timings = self.state.load().get("down_timings", [])
        self.state.update(down_seconds=progress.timings.get("stop hosts"), down_timings=timings[-19:])

    def _down_quietly(self, keep_files: bool = False) -> None:
        ssh.close_connections(self.state)  # the clients' shared connections, before their hosts go
        holders = self.state.load().get("holders", {})
        candidates = set(hosts.find_holders(self.state))
        for entry in holders.values():
            candidates.update(pid for pid in (entry.get("init"), entry.get("outer")) if pid)
        for pid in candidates:
            hosts.kill_holder(pid, self.state)
        outers = [entry["outer"] for entry in holders.values() if entry.get("outer")]
        left = hosts.wait_gone(outers + [p for p in candidates if p not in outers])
        if left:
            raise UserError(f"lab processes still present after SIGKILL: {left}")
        self.state.update(level="down", holders={}, instance=None, examples_run=None)
        if not keep_files:
            for folder in (self.state.root / "hosts").glob("*"):
                _remove_tree(folder)

    # --- status -----------------------------------------------------------

    def status(self) -> dict[str, str]:
        pids = self.init_pids()
        return {
            name: (f"running (PID {pids[name]})" if name in pids else "stopped")
            for name in self.topology.lab_hosts
        }

    def memory_mib(self) -> float:
        """Proportional set size of every process in the lab's hosts, in MiB."""
        total_kib = 0
        for init_pid in self.init_pids().values():
            for pid in _descendants(init_pid):
                try:
                    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                        if line.startswith("Pss:"):
                            total_kib += int(line.split()[1])
                except OSError:
                    continue
        return round(total_kib / 1024, 1)


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                queue.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _remove_tree(folder: Path) -> None:
    # rm copes with the 000-mode `work` folders overlayfs leaves, and is quick on big trees.
    subprocess.run(["rm", "-rf", "--one-file-system", str(folder)], check=False)
    if folder.exists():
        time.sleep(0.1)
        subprocess.run(["rm", "-rf", str(folder)], check=False)
