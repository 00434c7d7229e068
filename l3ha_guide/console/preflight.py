"""Before a console run touches anything: can every host be reached, and has it what the examples use?

`problems()` returns one line per problem, naming the host and what to map,
install or set; the console suite stops with all of them (exit status 1)
before the first example runs, so a half-prepared cloud gets nothing created.
`changing_examples()` lists what a run would change, for the question asked
before running against hosts that are not the embedded lab.
"""

from __future__ import annotations

import shutil

from l3ha_guide.console.examples import ConsoleExample
from l3ha_guide.console.runner import HostMap, HostUnreachable, clients_in, run
from l3ha_guide.ha_router import CONTROLLER, CREDENTIALS
from l3ha_guide.topology import load as load_topology

# What a node needs for the client commands of the examples, and where it comes from.
CLIENT_PACKAGES = {
    "openstack": "python-openstackclient",
    "nova": "python-novaclient",
    "neutron": "python-neutronclient 9.0.0 (the last release with the `neutron` command)",
}
PREFLIGHT_TIMEOUT = 30.0


def needs(examples: list[ConsoleExample]) -> tuple[set[str], set[str], set[str]]:
    """The hosts, the controller's client commands and the credentials the examples use."""
    hosts, clients, credentials = set(), set(), set()
    for example in examples:
        if example.skip:
            continue
        hosts.update(example.hosts)
        for command in example.commands:
            used = clients_in(command.command)  # as the runner decides to load the credentials
            if used and CONTROLLER in example.hosts:
                clients.update(used)
                credentials.add(example.credentials)
    return hosts, clients, credentials


def problems(host_map: HostMap, examples: list[ConsoleExample], legacy_path: str | None = None) -> list[str]:
    """What keeps the examples from running on the mapped hosts, one line each; empty if nothing."""
    hosts, clients, credentials = needs(examples)
    found: list[str] = []
    if any(url.startswith("ansible://") for url in host_map.urls.values()) and not shutil.which(
        "ansible-inventory"
    ):
        found.append(
            "the Ansible backend needs ansible-core (`ansible-inventory`): pip install 'l3ha-guide[test]'"
        )
        return found
    unmapped = sorted(host for host in hosts if host not in host_map.urls)
    found.extend(
        f"{host}: not in L3HA_LAB_HOSTS; add {host}=ssh://... (or ansible://...) for the host that plays it"
        for host in unmapped
    )
    # The instance appears only when the examples boot it; `lab up` checks the embedded lab's own hosts.
    created = {name for name, host in load_topology().hosts.items() if host.role == "instance"}
    failed = set(unmapped)
    for host in sorted(hosts - failed - created):
        if host_map.backend(host) == "nsenter":
            continue
        try:
            result = run(host_map, host, "true", timeout=PREFLIGHT_TIMEOUT)
        except HostUnreachable as error:
            found.append(f"{error}")
            failed.add(host)
            continue
        if result.exit_status != 0:
            found.append(
                f"{host} ({host_map.urls[host]}): `true` exits {result.exit_status}: {result.output}"
            )
            failed.add(host)
    if CONTROLLER in hosts and CONTROLLER not in failed:
        for client in sorted(clients):
            prefix = f"PATH={legacy_path}:$PATH " if client == "neutron" and legacy_path else ""
            result = run(host_map, CONTROLLER, f"{prefix}command -v {client}", timeout=PREFLIGHT_TIMEOUT)
            if result.exit_status != 0:
                package = CLIENT_PACKAGES[client]
                found.append(f"{CONTROLLER}: no `{client}` command in a session there: install {package}")
        for user in sorted(credentials):
            path = CREDENTIALS[user]
            result = run(host_map, CONTROLLER, f"test -r {path}", timeout=PREFLIGHT_TIMEOUT)
            if result.exit_status != 0:
                found.append(
                    f"{CONTROLLER}: no {path}: write the {user} user's credentials there, as the "
                    "install guide's openrc files (OS_USERNAME, OS_PASSWORD, OS_AUTH_URL, ...)"
                )
    return found


def changing_examples(examples: list[ConsoleExample]) -> list[str]:
    """One line per example that changes the hosts: where, on which host, what it runs."""
    lines = []
    for example in examples:
        if example.changes and not example.skip:
            commands = "; ".join(command.command.splitlines()[0] for command in example.commands)
            lines.append(f"{example.id} on {', '.join(example.hosts)} ({example.changes}): {commands}")
        elif example.lab_action:
            lines.append(f"{example.id}: lab action {example.lab_action} (may stop keepalived on a node)")
    return lines
