"""Install the Debian packages the project needs, when they are missing.

`l3ha-guide system install docs lab` checks each package with dpkg and, as
root, installs the missing ones with apt-get. Without root it names what is
missing and how to install it, and exits 1.
"""

from __future__ import annotations

import argparse
import os
import subprocess

from l3ha_guide.errors import UserError

# One installer at a time on this machine (see install()), and how long apt-get waits for dpkg.
APT_LOCK = "/run/lock/l3ha-guide-apt.lock"
APT_LOCK_SECONDS = 600

PACKAGE_GROUPS: dict[str, list[str]] = {
    # Rendering diagrams offline and the browser tests: Debian's chromium, never a download.
    # BIZ UDPGothic: the Japanese font of the diagrams' labels and of the PDF, TrueType with a real
    # bold, which Chromium's PDF backend embeds by name (it prints Noto CJK's OpenType fonts, and
    # any synthesised bold, as unnamed Type 3 fonts).
    "docs": ["chromium", "fonts-noto-cjk", "fonts-morisawa-bizud-gothic", "fonts-dejavu-core"],
    # Reading the PDF manual in the tests: pdftotext, pdffonts, pdfimages.
    "pdf-tests": ["poppler-utils"],
    # The embedded lab: real Open vSwitch, keepalived, dnsmasq, MariaDB, RabbitMQ.
    "lab": [
        "iproute2",
        "iptables",
        "conntrack",
        "tcpdump",
        "openvswitch-switch",
        "keepalived",
        # Router advertisements of IPv6 subnets in SLAAC mode (source/ipv6.md), on the master only.
        "radvd",
        # Connection tracking state shared between a router's nodes (ha_conntrackd_enabled).
        "conntrackd",
        "dnsmasq-base",
        "haproxy",
        "openssh-server",
        "openssh-client",
        "netcat-openbsd",
        "mariadb-server",
        "rabbitmq-server",
        "psmisc",
        # The instance (its DHCP client) and the documented pings.
        "udhcpc",
        "iputils-ping",
        "ethtool",
    ],
}


def missing_packages(packages: list[str]) -> list[str]:
    missing = []
    for package in packages:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${db:Status-Status}", package],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.stdout.strip() != "installed":
            missing.append(package)
    return missing


def install(groups: list[str]) -> None:
    unknown = [group for group in groups if group not in PACKAGE_GROUPS]
    if unknown:
        choices = ", ".join(sorted(PACKAGE_GROUPS))
        raise UserError(f"unknown package group {unknown[0]!r}; choose from {choices}")
    wanted = sorted({package for group in groups for package in PACKAGE_GROUPS[group]})
    missing = missing_packages(wanted)
    if not missing:
        return
    if os.geteuid() != 0:
        raise UserError(
            "missing Debian packages: "
            + " ".join(missing)
            + "\nInstall them as root: apt-get install "
            + " ".join(missing)
        )
    from filelock import FileLock

    # The docs build and the lab may install at the same moment (two test workers); apt-get allows
    # one at a time, so wait for the other, then install only what it did not.
    with FileLock(APT_LOCK):
        missing = missing_packages(wanted)
        if missing:
            _apt_install(missing)


def _apt_install(missing: list[str]) -> None:
    print("installing Debian packages: " + " ".join(missing), flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    wait = ["-o", f"DPkg::Lock::Timeout={APT_LOCK_SECONDS}"]  # another apt user on the machine
    steps = [
        ["apt-get", *wait, "update", "-qq"],
        ["apt-get", *wait, "install", "-y", "-qq", "--no-install-recommends", *missing],
    ]
    for step in steps:
        result = subprocess.run(step, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
            raise UserError(f"{' '.join(step)} failed (exit {result.returncode}):\n{tail}")


def _install_command(args: argparse.Namespace) -> int:
    install(args.groups)
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    install_parser = actions.add_parser("install", help="install missing packages (as root)")
    install_parser.add_argument("groups", nargs="+", choices=sorted(PACKAGE_GROUPS))
    install_parser.set_defaults(func=_install_command)
