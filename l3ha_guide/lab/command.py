"""`l3ha-guide lab up | down | status | exec HOST -- CMD... | ssh-config | ansible-inventory`."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from l3ha_guide.errors import UserError
from l3ha_guide.extras import require
from l3ha_guide.lab.hosts import lab_environment
from l3ha_guide.lab.lab import Lab


def _up(args: argparse.Namespace) -> int:
    if not args.hosts_only:
        require("lab", "`lab up` (real Neutron 29.0.0 and its clients)")
    if os.geteuid() != 0:
        raise UserError("the lab needs root (Linux namespaces, mounts); run `sudo l3ha-guide lab up`")
    from l3ha_guide.system import install

    install(["lab"])
    lab = Lab.load()
    if not lab.up(hosts_only=args.hosts_only):
        print("lab is already up; nothing changed")
        return 0
    print(f"lab is up (state in {lab.state.root}); memory {lab.memory_mib():.0f} MiB")
    return 0


def _down(args: argparse.Namespace) -> int:
    Lab.load().down()
    print("lab is down")
    return 0


def _status(args: argparse.Namespace) -> int:
    lab = Lab.load()
    level = lab.state.load().get("level", "down")
    print(f"lab: {level if lab.init_pids() else 'down'}")
    for name, status in lab.status().items():
        print(f"  {name:<11} {status}")
    return 0 if lab.is_up() else 3


def _exec(args: argparse.Namespace) -> int:
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        raise UserError("lab exec needs a command: l3ha-guide lab exec HOST -- CMD ...")
    argv = Lab.load().command(args.host, command)
    return subprocess.run(argv, env=lab_environment(), check=False).returncode


def _client_file(args: argparse.Namespace) -> int:
    """Print the ssh_config or the Ansible inventory of the running lab (both also kept in its state)."""
    from l3ha_guide.lab.ssh import write_client_files

    lab = Lab.load()
    pids = lab.host_pids()
    if not pids:
        raise UserError("the lab is not running; start it with `l3ha-guide lab up`")
    ssh_config, inventory = write_client_files(lab.state, lab.topology, pids)
    sys.stdout.write((inventory if args.action == "ansible-inventory" else ssh_config).read_text())
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    up = actions.add_parser("up", help="build the lab (as root); says so if it is already up")
    up.add_argument(
        "--hosts-only", action="store_true", help="hosts, fabric, Open vSwitch and sshd; no Neutron"
    )
    up.set_defaults(func=_up)
    actions.add_parser("down", help="remove every process, namespace and device of the lab").set_defaults(
        func=_down
    )
    actions.add_parser("status", help="which hosts run (exit 3 if the lab is down)").set_defaults(
        func=_status
    )
    run = actions.add_parser("exec", help="run a command on a lab host: lab exec HOST -- CMD ...")
    run.add_argument("host")
    run.add_argument("command", nargs=argparse.REMAINDER)
    run.set_defaults(func=_exec)
    actions.add_parser("ssh-config", help="print an ssh_config that reaches every lab host").set_defaults(
        func=_client_file
    )
    actions.add_parser(
        "ansible-inventory", help="print an Ansible inventory (groups by role) that reaches every lab host"
    ).set_defaults(func=_client_file)
