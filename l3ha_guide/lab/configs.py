"""Install the manual's config files on the lab hosts, placeholders filled from the topology.

`examples/<role>/etc/neutron/...` (written by `l3ha-guide extract` from the
manual) go to each host of that role, unchanged except for placeholders. The
lab's own differences from a real deployment sit in one overlay per role,
`examples/lab/overlay/<role>.conf`, installed as /etc/neutron/lab-overlay.conf
and passed last to every service, so they win and stay easy to list.
"""

from __future__ import annotations

import configparser
import os
import re
import sys
from pathlib import Path

from l3ha_guide.errors import UserError
from l3ha_guide.lab.hosts import lab_path
from l3ha_guide.lab.state import LabState
from l3ha_guide.topology import NODE_ROLES, REPO_ROOT, Host, Topology

OVERLAY_DIR = REPO_ROOT / "examples" / "lab" / "overlay"
OVERLAY_TARGET = "/etc/neutron/lab-overlay.conf"
PACKAGE_ETC = Path(sys.prefix) / "etc" / "neutron"
PLACEHOLDER = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


def overlay_option(role: str, section: str, name: str) -> str:
    """One option of a role's lab overlay, as the lab's services read it."""
    path = OVERLAY_DIR / f"{role}.conf"
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    try:
        return parser.get(section, name)
    except configparser.Error:
        raise UserError(f"{path}: no [{section}] {name}") from None


def examples_dir() -> Path:
    return Path(os.environ.get("L3HA_EXAMPLES_DIR", REPO_ROOT / "examples"))


def placeholder_values(topology: Topology, host: Host, state: LabState) -> dict[str, str]:
    def range_part(key: str, index: int) -> str:
        return topology.neutron.get(key, "1:1000").split(":")[index]

    controller = topology.controller.address_on("management") or ""
    return {
        "TUNNEL_INTERFACE_IP_ADDRESS": host.address_on("tunnel") or "",
        "OVERLAY_INTERFACE_IP_ADDRESS": host.address_on("tunnel") or "",
        "MANAGEMENT_INTERFACE_IP_ADDRESS": host.address_on("management") or "",
        "CONTROLLER_ADDRESS": controller,
        "METADATA_SECRET": state.secret("metadata"),
        "NEUTRON_DBPASS": state.secret("database"),
        "RABBIT_PASS": state.secret("rabbit"),
        "NEUTRON_PASS": state.secret("neutron"),
        "NOVA_PASS": state.secret("nova"),
        "MIN_VLAN_ID": range_part("vlan_range", 0),
        "MAX_VLAN_ID": range_part("vlan_range", 1),
        "MIN_VXLAN_ID": range_part("vni_range", 0),
        "MAX_VXLAN_ID": range_part("vni_range", 1),
        "MIN_GRE_ID": range_part("gre_range", 0),
        "MAX_GRE_ID": range_part("gre_range", 1),
    }


def substitute(text: str, values: dict[str, str], source: Path) -> str:
    """Replace placeholders in option values; an unknown one is an error with its line."""
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if "=" in line and not stripped.startswith(("#", ";")):
            key, value = line.split("=", 1)

            def replace(match: re.Match[str], number: int = number) -> str:
                if match.group(0) not in values:
                    raise UserError(
                        f"{source}:{number}: error: placeholder {match.group(0)} has no value in the lab; "
                        f"known: {', '.join(sorted(values))}"
                    )
                return values[match.group(0)]

            line = key + "=" + PLACEHOLDER.sub(replace, value)
        lines.append(line)
    return "\n".join(lines) + "\n"


def files_for(role: str) -> list[tuple[Path, str]]:
    """(source file, absolute target path) pairs for a role: the manual's files, then the overlay."""
    root = examples_dir() / role
    pairs = [(path, "/" + str(path.relative_to(root))) for path in sorted(root.rglob("*")) if path.is_file()]
    if role == "controller":
        # What a distribution package puts in /etc/neutron: the API's paste pipeline, shipped by neutron.
        pairs.insert(0, (PACKAGE_ETC / "api-paste.ini", "/etc/neutron/api-paste.ini"))
    overlay = OVERLAY_DIR / f"{role}.conf"
    if overlay.exists():
        pairs.append((overlay, OVERLAY_TARGET))
    return pairs


def install(topology: Topology, state: LabState) -> dict[str, list[str]]:
    """Write each host's config files into its /etc overlay; returns the targets per host."""
    installed: dict[str, list[str]] = {}
    for host in topology.hosts.values():
        if host.role not in NODE_ROLES:
            continue
        pairs = files_for(host.role)
        if not any(target.startswith("/etc/neutron/") and target != OVERLAY_TARGET for _, target in pairs):
            raise UserError(
                f"{examples_dir() / host.role / 'etc/neutron'}: error: no config files for role {host.role}; "
                "run `l3ha-guide extract` to write them from the manual"
            )
        values = placeholder_values(topology, host, state)
        for source, target in pairs:
            destination = state.upper(host.name, target)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(substitute(source.read_text(), values, source))
        installed[host.name] = [target for _, target in pairs]
    return installed


def etc_files(topology: Topology, host: Host) -> dict[str, str]:
    """Plain files every host gets: its name, /etc/hosts for the lab, and a login shell's PATH
    with the OpenStack clients (Debian's /etc/profile resets PATH for a login shell)."""
    return {
        "/etc/hostname": host.name + "\n",
        "/etc/hosts": topology.etc_hosts(),
        "/etc/profile.d/l3ha-lab.sh": f"export PATH={lab_path()}\n",
    }
