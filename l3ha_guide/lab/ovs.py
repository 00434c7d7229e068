"""Open vSwitch on a lab host: its own ovsdb-server and ovs-vswitchd, userspace datapath.

There is no openvswitch kernel module, so every bridge is `datapath_type=netdev`.
Userspace tunnelling needs the tunnel address on a netdev bridge, so an
interface with `bridge:` in the topology goes into that bridge and the
address moves onto the bridge. The agent finds this ovsdb on its default
`tcp:127.0.0.1:6640`, which is private to the host.
"""

from __future__ import annotations

import shlex

from l3ha_guide.topology import Host

SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"
# The integration and tunnel bridges exist before the agent starts, netdev like the rest.
AGENT_BRIDGES = ("br-int", "br-tun")


def start_script(host: Host) -> str:
    """A shell script, run inside the host, that starts OVS and builds its bridges."""
    commands = [
        "set -e",
        "mkdir -p /etc/openvswitch /var/log/openvswitch",
        f"test -e /etc/openvswitch/conf.db || ovsdb-tool create /etc/openvswitch/conf.db {SCHEMA}",
        "ovsdb-server /etc/openvswitch/conf.db --remote=punix:/run/openvswitch/db.sock"
        " --remote=db:Open_vSwitch,Open_vSwitch,manager_options --pidfile --detach"
        " --log-file=/var/log/openvswitch/ovsdb-server.log",
        "ovs-vsctl --no-wait init",
        f"ovs-vsctl --no-wait set Open_vSwitch . external_ids:hostname={host.name}",
        "ovs-vsctl --no-wait set-manager ptcp:6640:127.0.0.1",
        "ovs-vswitchd --pidfile --detach --log-file=/var/log/openvswitch/ovs-vswitchd.log",
    ]
    bridges = [*AGENT_BRIDGES, *(i.bridge for i in host.interfaces if i.bridge)]
    vsctl = ["ovs-vsctl"]
    for bridge in bridges:
        vsctl += [
            "--",
            "--may-exist",
            "add-br",
            bridge,
            "--",
            "set",
            "bridge",
            bridge,
            "datapath_type=netdev",
        ]
    for interface in host.interfaces:
        if interface.bridge:
            vsctl += ["--", "--may-exist", "add-port", interface.bridge, interface.name]
    commands.append(shlex.join(vsctl))
    for interface in host.interfaces:
        if interface.bridge:
            commands.append(f"ip link set {interface.bridge} up")
            if interface.address:
                commands.append(f"ip address replace {interface.address} dev {interface.bridge}")
    return "\n".join(commands) + "\n"


# Stop with --cleanup so the userspace datapath removes its tap devices.
STOP_SCRIPT = "ovs-appctl -t ovs-vswitchd exit --cleanup; ovs-appctl -t ovsdb-server exit\n"
