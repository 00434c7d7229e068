"""Run a documented command on a lab host through testinfra, bounded by a timeout.

Each lab host name maps to a testinfra host URL: `nsenter://HOST` for the
embedded lab by default; `ssh://...`, `paramiko://...` or
`ansible://HOST?ansible_inventory=FILE` for a real lab (`HostMap.parse`).

On the controller, client commands run with the credentials the reader has
loaded at that point of the manual sourced (`. /root/admin-openrc && CMD`, or
demo-openrc for a block with `:credentials: demo`); the
legacy `neutron` command runs from its own environment (`legacy_client`).
Every command runs under coreutils `timeout`, with stderr merged into stdout
in the order a terminal shows them.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Any

from l3ha_guide.errors import UserError
from l3ha_guide.ha_router import CREDENTIALS, HARouter
from l3ha_guide.topology import load as load_topology

CLIENT_COMMANDS = ("openstack", "neutron", "nova")  # the clients that read the openrc's credentials
DEFAULT_TIMEOUT = 120.0  # seconds; one `openstack` call takes 3-5 s on two cores
TIMEOUT_STATUS = 124  # coreutils `timeout` exits with this when the time is up
KILL_GRACE = 5  # seconds between SIGTERM and SIGKILL


class UnknownHost(UserError):
    """A console block names a host the host map does not know."""


class HostUnreachable(UserError):
    """testinfra's backend could not reach the host (ssh exits 255, the inventory is unreadable, ...)."""


@dataclass
class RunResult:
    command: str  # the shell command as run (values substituted, wrapped)
    exit_status: int
    output: str
    timed_out: bool


@dataclass
class HostMap:
    """Lab host name -> testinfra host URL, plus keyword arguments for testinfra.get_host."""

    urls: dict[str, str] = field(
        default_factory=lambda: {name: f"nsenter://{name}" for name in load_topology().hosts}
    )
    options: dict[str, Any] = field(default_factory=dict)
    # Before the name of each object the manual creates there: on a real cloud, they stand apart.
    name_prefix: str = ""
    # Whether the hosts are the embedded lab's, whose faults the lab can inject (console.faults).
    embedded_lab: bool = True

    @classmethod
    def parse(cls, specs: list[str], name_prefix: str = "", **options: Any) -> HostMap:
        """`NAME=URL` items override the default `nsenter://NAME`; e.g. `network1=ssh://root@192.0.2.21`."""
        host_map = cls(
            options={key: value for key, value in options.items() if value},
            name_prefix=name_prefix,
            embedded_lab=False,
        )
        for spec in specs:
            name, separator, url = spec.partition("=")
            if not separator or not name or "://" not in url:
                raise UserError(f"host mapping {spec!r}: write NAME=URL, e.g. network1=ssh://root@network1")
            host_map.urls[name.strip()] = url.strip()
        return host_map

    def shell(self, host: str, command: str, timeout: float = DEFAULT_TIMEOUT) -> tuple[int, str]:
        """A `ha_router.Shell`: (exit status, output) of a command on the host, through testinfra."""
        result = run(self, host, command, timeout=timeout)
        return result.exit_status, result.output

    def object_name(self, documented: str) -> str:
        """The real name of an object the manual names `documented`."""
        return self.name_prefix + documented

    def router(self) -> HARouter:
        """The manual's router, by the name it has on this host map's cloud."""
        return HARouter(self.shell, self.object_name(load_topology().openstack.router))

    def backend(self, name: str) -> str:
        """How the host is reached: the URL's scheme (nsenter, ssh, paramiko, ansible, local)."""
        return self.urls.get(name, "").partition("://")[0]

    def host(self, name: str) -> Any:
        import testinfra

        if name not in self.urls:
            raise UnknownHost(f"unknown host {name!r}; known hosts: {', '.join(self.urls)}")
        try:
            return testinfra.get_host(self.urls[name], **self.options)
        except (RuntimeError, OSError, ValueError, KeyError) as error:  # e.g. no such host in the inventory
            raise HostUnreachable(f"{name} ({self.urls[name]}): {_reason(error)}") from None


def uses_client(command: str) -> str | None:
    """`openstack`, `neutron` or `nova` if the command starts with that client, else None."""
    words = command.split()
    return words[0] if words and words[0] in CLIENT_COMMANDS else None


def clients_in(command: str) -> set[str]:
    """The clients that run anywhere in the command (`until openstack ...; do ...; done` too)."""
    return {word for word in re.split(r"[\s;&|()`$]+", command) if word in CLIENT_COMMANDS}


def shell_command(
    command: str, host: str, timeout: float, path_prefix: str | None = None, credentials: str = "admin"
) -> str:
    """The command as the host's shell runs it: credentials, PATH, timeout, stderr merged."""
    script = command
    if host == "controller" and clients_in(command):
        script = f". {CREDENTIALS[credentials]} && {command}"
    if path_prefix:
        script = f"PATH={shlex.quote(path_prefix)}:$PATH && export PATH && {script}"
    return f"timeout --kill-after={KILL_GRACE} {timeout:g} /bin/sh -c {shlex.quote(script)} </dev/null 2>&1"


def _reason(error: BaseException) -> str:
    """The useful part of a backend's error: testinfra raises RuntimeError(CommandResult) on ssh's 255."""
    result = error.args[0] if error.args else None
    stderr = getattr(result, "stderr", None)
    if stderr is not None:
        return f"cannot connect (exit status {result.rc}): {stderr.strip() or '(no message)'}"
    return str(error) or type(error).__name__


def run(
    host_map: HostMap,
    host: str,
    command: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    path_prefix: str | None = None,
    credentials: str = "admin",
) -> RunResult:
    wrapped = shell_command(command, host, timeout, path_prefix, credentials)
    try:
        result = host_map.host(host).run(wrapped)
    except (RuntimeError, OSError) as error:
        raise HostUnreachable(f"{host} ({host_map.urls[host]}): {_reason(error)}") from None
    output = result.stdout + (result.stderr or "")
    return RunResult(wrapped, result.rc, output, result.rc in (TIMEOUT_STATUS, 128 + 9))
