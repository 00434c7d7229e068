"""sshd inside each lab host, and an ssh_config that reaches it through the host's namespace.

Keys are generated per lab under `<state>/ssh`, beside the client files
`write_client_files` writes there: the ssh_config, and an Ansible inventory
(groups named after the guide's roles) whose hosts are reached through it. sshd listens on the host's
own 127.0.0.1 only; the client gets there with a ProxyCommand that runs `nc`
in the host's network namespace. One stanza per host, because paramiko
expands no tokens in ProxyCommand or HostKeyAlias.

The test suite's own session writes a second file, `shared_ssh_config`, whose
stanzas also name a ControlPath per host in `<state>/ssh`: its commands then run
over one connection per host, about a fifth of a second each instead of a third
for a new connection. Its connections stay open for the session
(`SESSION_PERSIST`): a connection that closes on its own while a command starts
on it makes ssh print "master hello exchange failed" into that command's output.
`close_connections` ends them when the lab goes down. The ssh_config for readers
shares nothing.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from l3ha_guide.lab.hosts import lab_path, nsenter
from l3ha_guide.lab.state import LabState
from l3ha_guide.topology import Topology

SSHD = "/usr/sbin/sshd"
# A Unix socket's path holds at most 107 bytes, and ssh binds a temporary name 17 bytes longer first.
SOCKET_PATH_MAX = 107 - 17
# How long the session's shared connections stay open without a command (testinfra's default is 60 s).
SESSION_PERSIST = 3600


def ensure_keys(state: LabState) -> None:
    folder = state.ssh_dir
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    for key in ("host_ed25519_key", "id_ed25519"):
        if not (folder / key).exists():
            subprocess.run(
                [
                    "ssh-keygen",
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-C",
                    f"l3ha-lab {key}",
                    "-f",
                    str(folder / key),
                ],
                check=True,
            )
    (folder / "authorized_keys").write_text((folder / "id_ed25519.pub").read_text())


def sshd_config(state: LabState) -> str:
    folder = state.ssh_dir
    return (
        # A session finds the OpenStack clients where a node's packages would put them on PATH:
        # `ssh controller openstack ...` needs nothing from the caller's environment.
        f"SetEnv PATH={lab_path()}\n"
        "ListenAddress 127.0.0.1\n"
        "Port 22\n"
        f"HostKey {folder / 'host_ed25519_key'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\n"
        "PermitRootLogin prohibit-password\n"
        "PasswordAuthentication no\n"
        "UsePAM no\n"
        # The keys live in the repository's state folder, whose modes sshd does not expect.
        "StrictModes no\n"
        "PidFile /run/sshd.pid\n"
        "Subsystem sftp internal-sftp\n"
    )


def start_command(state: LabState, host: str) -> list[str]:
    config = state.host_dir(host) / "sshd_config"
    config.write_text(sshd_config(state))
    return [SSHD, "-f", str(config), "-E", "/var/log/sshd.log"]


def ssh_config(state: LabState, init_pids: dict[str, int], *, shared: bool = False) -> str:
    folder = state.ssh_dir
    host_key = (folder / "host_ed25519_key.pub").read_text().split()
    known_hosts = "".join(f"l3ha-lab-{name} {host_key[0]} {host_key[1]}\n" for name in init_pids)
    (folder / "known_hosts").write_text(known_hosts)
    stanzas = []
    for name, pid in init_pids.items():
        proxy = " ".join([*nsenter(pid, network_only=True), "nc", "127.0.0.1", "22"])
        control = control_path(state, name) if shared else None
        sharing = f"    ControlPath {control}\n" if control else ""
        stanzas.append(
            f"Host {name}\n"
            f"{sharing}"
            "    HostName 127.0.0.1\n"
            "    User root\n"
            f"    IdentityFile {folder / 'id_ed25519'}\n"
            "    IdentitiesOnly yes\n"
            f"    ProxyCommand {proxy}\n"
            f"    HostKeyAlias l3ha-lab-{name}\n"
            f"    UserKnownHostsFile {folder / 'known_hosts'}\n"
            "    StrictHostKeyChecking yes\n"
        )
    return "\n".join(stanzas)


def control_path(state: LabState, host: str) -> Path | None:
    """Where the shared connection to a host listens; None (no sharing) if the path is too long."""
    path = state.ssh_dir / f"mux-{host}"
    return path if len(str(path).encode()) <= SOCKET_PATH_MAX else None


def shared_ssh_config(state: LabState, init_pids: dict[str, int]) -> Path:
    """`<state>/ssh/ssh_config.shared`: the ssh_config with a shared connection per host."""
    config_file = state.ssh_dir / "ssh_config.shared"
    config_file.write_text(ssh_config(state, init_pids, shared=True))
    return config_file


def close_connections(state: LabState) -> None:
    """Ask each shared connection's ssh process to exit (`ssh -O exit`), and remove its socket."""
    for socket in state.ssh_dir.glob("mux-*"):
        subprocess.run(
            ["ssh", "-o", f"ControlPath={socket}", "-O", "exit", socket.name.removeprefix("mux-")],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=10,
            check=False,
        )
        socket.unlink(missing_ok=True)


def ansible_inventory(topology: Topology, ssh_config_file: Path) -> str:
    """A YAML inventory: one group per role, each host reached through the lab's ssh_config.

    testinfra's Ansible backend turns each host into its own SSH connection with
    these variables, and so does `ansible` itself."""
    groups: dict[str, dict] = {}
    for name, host in topology.lab_hosts.items():
        groups.setdefault(host.role, {"hosts": {}})["hosts"][name] = {"ansible_host": name}
    inventory = {
        "all": {
            "vars": {"ansible_user": "root", "ansible_ssh_common_args": f"-F {ssh_config_file}"},
            "children": groups,
        }
    }
    return yaml.safe_dump(inventory, sort_keys=False)


def write_client_files(state: LabState, topology: Topology, init_pids: dict[str, int]) -> tuple[Path, Path]:
    """`<state>/ssh/ssh_config` and `<state>/ssh/inventory.yml` for the running lab."""
    config_file = state.ssh_dir / "ssh_config"
    config_file.write_text(ssh_config(state, init_pids))
    inventory_file = state.ssh_dir / "inventory.yml"
    inventory_file.write_text(ansible_inventory(topology, config_file))
    return config_file, inventory_file
