"""What the lab must never change in the root namespace, as one comparable snapshot.

Links, addresses, routes, iptables rules, network sysctls, mounts and named
network namespaces of the machine itself; a lab run must leave all of them as
it found them. Counters and statistics are left out, since they change anyway.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

COUNTERS = re.compile(r"\[\d+:\d+\]")
SYSCTL_ROOTS = ("/proc/sys/net/ipv4/conf", "/proc/sys/net/ipv6/conf", "/proc/sys/net/bridge")
SYSCTL_FILES = ("/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv4/ip_nonlocal_bind")


def _run(*command: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return (
        result.stdout if result.returncode == 0 else f"({' '.join(command)} failed: {result.stderr.strip()})"
    )


def _sysctls() -> dict[str, str]:
    values = {}
    paths = [Path(p) for p in SYSCTL_FILES]
    for root in SYSCTL_ROOTS:
        base = Path(root)
        if base.exists():
            paths += [p for p in base.rglob("*") if p.is_file()]
    for path in paths:
        try:
            values[str(path)] = path.read_text().strip()
        except OSError:
            continue
    return values


def snapshot() -> dict[str, object]:
    return {
        "links": _run("ip", "-o", "link", "show"),
        "addresses": _run("ip", "-o", "address", "show"),
        "routes": _run("ip", "route", "show", "table", "all")
        + _run("ip", "-6", "route", "show", "table", "all"),
        "rules": _run("ip", "rule", "show"),
        "iptables": COUNTERS.sub("", _run("iptables-save")),
        "ip6tables": COUNTERS.sub("", _run("ip6tables-save")),
        "sysctls": _sysctls(),
        "mounts": sorted(line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()),
        "netns": _run("ip", "netns", "list"),
    }


def differences(before: dict[str, object], after: dict[str, object]) -> list[str]:
    """Names of the snapshot parts that changed, with the changed sysctls spelled out."""
    changed = []
    for key in before:
        if key == "sysctls":
            changed += [
                f"sysctl {name}: {value!r} -> {after['sysctls'].get(name)!r}"
                for name, value in before["sysctls"].items()
                if after["sysctls"].get(name) != value
            ]
        elif before[key] != after.get(key):
            changed.append(f"{key}:\n--- before\n{before[key]}\n--- after\n{after.get(key)}")
    return changed
