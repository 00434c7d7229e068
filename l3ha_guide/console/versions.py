"""The versions of Neutron, Open vSwitch and keepalived that a run measured with, for its records."""

from __future__ import annotations

import re

from l3ha_guide.console.runner import HostMap, HostUnreachable, UnknownHost, run

VERSION_PROBES = {
    # name: (host, command whose output starts with the version)
    "Neutron": ("controller", "neutron-rpc-server --version"),
    "Open vSwitch": ("network1", "ovs-vsctl --version | sed -n '1s/.* //p'"),
    "keepalived": ("network1", "keepalived --version 2>&1 | sed -n '1s/^Keepalived v//p'"),
}
VERSION = re.compile(r"\d+(?:\.\d+)+")


def version_in(exit_status: int, output: str) -> str:
    """The version a VERSION_PROBES command printed on its last line (warnings may come first), or ''."""
    lines = output.strip().splitlines()
    found = VERSION.search(lines[-1]) if lines else None
    return found.group(0) if exit_status == 0 and found else ""


def probe_versions(host_map: HostMap) -> dict[str, str]:
    """Each VERSION_PROBES version on its host ('' where unknown or the host cannot be reached)."""
    versions = {}
    for name, (host, command) in VERSION_PROBES.items():
        try:
            result = run(host_map, host, command, timeout=60)
            versions[name] = version_in(result.exit_status, result.output)
        except (UnknownHost, HostUnreachable):
            versions[name] = ""
    return versions
