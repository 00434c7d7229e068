"""Real Neutron 29.0.0 on the lab hosts, with the OpenStack services around it, in dependency order.

controller: MariaDB (own data folder) and RabbitMQ (node rabbit@controller)
start side by side; the databases are migrated (`neutron-db-manage upgrade
heads`, `keystone-manage db_sync`, and Placement's, Glance's and Nova's steps
from `l3ha_guide.lab.nova`) and Keystone is bootstrapped, once per set of
releases and bootstrap arguments, into a template;
Keystone is set up and served (`l3ha_guide.lab.keystone`) beside the Neutron
API (`neutron.wsgi.api:application` under uwsgi, as neutron 29.0.0 ships no
`neutron-server`), `neutron-rpc-server`, `neutron-periodic-workers` and the
Placement, Glance and Nova APIs; nova-conductor and nova-scheduler start once
Keystone knows their users. Agents start only once the RPC server consumes
its queues, or they lose their first call and wait out a 60 s RPC timeout.
network nodes: Open vSwitch, L3, DHCP and metadata agents; compute: Open
vSwitch agent and nova-compute, which registers and is mapped into cell1.
Each Neutron service reads the manual's files plus /etc/neutron/lab-overlay.conf, last.
The agents and their privsep daemons (through the agents' root helper) are
forked from a per-host zygote (`l3ha_guide.lab.zygote`) that has imported
Neutron once; it starts, and preloads, beside RabbitMQ.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from l3ha_guide.errors import UserError
from l3ha_guide.lab import keystone, nova, wsgi, zygote
from l3ha_guide.lab.configs import OVERLAY_TARGET
from l3ha_guide.progress import Progress, log_tail
from l3ha_guide.waiting import WaitTimeout, wait_until

API_PORT = keystone.CATALOG["neutron"][2]
# The releases whose databases the template holds.
RELEASES = ("neutron", "keystone", "openstack-placement", "glance", "nova")
MYSQL_DATADIR = "/var/lib/lab-mysql"
MYSQL_SOCKET = "/run/mysqld/mysqld.sock"
RPC_QUEUES = ("q-plugin", "q-l3-plugin", "q-reports-plugin")
SERVER_FILES = ("/etc/neutron/neutron.conf", "/etc/neutron/plugins/ml2/ml2_conf.ini")
ROOT_HELPER = "/etc/neutron/lab-root-helper"  # the agents' [agent] root_helper (examples/lab/overlay)
ZYGOTE_SOCKET = "/run/l3ha-zygote.sock"
ZYGOTE_LOG = "/var/log/neutron/zygote.log"
ZYGOTE = [sys.executable, zygote.__file__]
# Options a measurement sets on the L3 agents (restart_l3_agents).
L3_AGENT_OPTIONS = "/etc/neutron/lab-l3-agent-options.conf"
# On the controller (its private /run): written by `lab up` once each DHCP agent consumes its own
# queue and the Open vSwitch agent beside it is alive. A DHCP agent asks for its networks before it
# registers, so it gets none of those made earlier; the server gives it one when a port is made on
# it later, only if the host's Open vSwitch agent is alive (the host must reach the network), and
# tells it with a message to the agent's queue, which is lost if the agent does not consume it yet.
DHCP_AGENTS_LISTEN = "/run/lab-dhcp-agents-listen"


@dataclass(frozen=True)
class Agent:
    binary: str
    config_file: str
    roles: tuple[str, ...]
    agent_type: str  # as the Networking API names it (neutron_lib.constants.AGENT_TYPE_*)


AGENTS = (
    Agent(
        "neutron-openvswitch-agent",
        "/etc/neutron/plugins/ml2/openvswitch_agent.ini",
        ("network", "compute"),
        "Open vSwitch agent",
    ),
    Agent("neutron-l3-agent", "/etc/neutron/l3_agent.ini", ("network",), "L3 agent"),
    Agent("neutron-dhcp-agent", "/etc/neutron/dhcp_agent.ini", ("network",), "DHCP agent"),
    Agent("neutron-metadata-agent", "/etc/neutron/metadata_agent.ini", ("network",), "Metadata agent"),
)


def agents_on(role: str) -> list[Agent]:
    """The agents a host of this role runs."""
    return [agent for agent in AGENTS if role in agent.roles]


def agent_named(binary: str) -> Agent:
    return next(known for known in AGENTS if known.binary == binary)


def config_args(*files: str) -> list[str]:
    args = []
    for path in (*files, OVERLAY_TARGET):
        args += ["--config-file", path]
    return args


def service_log(service: str) -> str:
    """Where a Neutron service of the lab logs, on its host."""
    return f"/var/log/neutron/{service}.log"


def start_agent(lab, host: str, agent: Agent, extra_config: tuple[str, ...] = ()) -> int:
    """Start one agent on a host as its node's init would; returns its PID there.

    `extra_config`: files on the host read after all others (the benchmark's changed options)."""
    if not lab.state.upper(host, agent.config_file).exists():
        raise UserError(f"{host}: {agent.config_file} is missing; run `l3ha-guide extract`")
    lab.exec(host, "mkdir -p /var/log/neutron /var/lib/neutron/lock", check=True)
    # A real node keeps neutron.conf; the manual may have nothing to add to it on this role.
    common = [path for path in ("/etc/neutron/neutron.conf",) if lab.state.upper(host, path).exists()]
    extra = [arg for path in extra_config for arg in ("--config-file", path)]
    args = [*config_args(*common, agent.config_file), *extra, *("--log-file", service_log(agent.binary))]
    # Forked by the host's zygote: the same process as `setsid BINARY ARGS`, without importing Neutron.
    stdout = f"/var/log/neutron/{agent.binary}.stdout"
    started = lab.exec(host, [*ZYGOTE, "daemon", ZYGOTE_SOCKET, stdout, agent.binary, *args])
    if started.returncode != 0:
        raise UserError(f"{host}: {agent.binary} did not start: {started.stderr.strip()}")
    return int(started.stdout)


def restart_l3_agents(lab, options: dict[str, object]) -> None:
    """Restart the L3 agent of every network node with `[DEFAULT]` options on top of the manual's and
    the lab's files (one file of its own, read last), as an operator edits l3_agent.ini and restarts."""
    l3_agent = agent_named("neutron-l3-agent")
    text = "# set by l3ha-guide for a measurement\n[DEFAULT]\n"
    text += "".join(f"{name} = {value}\n" for name, value in options.items())
    for host in lab.topology.network_nodes:
        lab.exec(host, f"cat > {L3_AGENT_OPTIONS}", input=text, check=True)
        kill_agent(lab, host, l3_agent.binary)
        start_agent(lab, host, l3_agent, extra_config=(L3_AGENT_OPTIONS,))


def kill_agent(lab, host: str, binary: str) -> None:
    """SIGKILL, as in a crash, every process of an agent (by PID); its children (keepalived,
    dnsmasq, ...) live on. Done when none is left."""
    pids = agent_pids(lab, host, binary)
    if not pids:
        raise UserError(f"{host}: no {binary} process to stop")
    lab.exec(host, ["kill", "-KILL", *map(str, pids)], check=True)
    wait_until(
        lambda: not agent_pids(lab, host, binary),
        timeout=30,
        interval=0.2,
        failure=f"{host}: {binary} still runs after SIGKILL",
    )


def agent_pids(lab, host: str, binary: str) -> list[int]:
    """The PIDs, on the host, of an agent's processes: its oslo.service parent and workers, which
    rename themselves (`neutron-l3-agent: master process [...]`, `neutron-openvswitch-agent (...)`),
    or the plain Python process.

    The host is a PID namespace of the lab's own, so only the lab's processes are seen.
    """
    pids = []
    for line in lab.exec(host, ["ps", "-eo", "pid=,args="]).stdout.splitlines():
        pid, _, args = line.strip().partition(" ")
        words = args.split()
        if words and (words[0].rstrip(":") == binary or (len(words) > 1 and words[1].endswith(f"/{binary}"))):
            pids.append(int(pid))
    return pids


class NeutronStarter:
    """Starts the services in dependency order and names the one that fails."""

    def __init__(self, lab, progress: Progress, api_ready: Callable[[], object] | None = None) -> None:
        self.lab = lab
        self.progress = progress
        self.api_ready = api_ready  # called once Keystone and the Networking API answer
        self.topology = lab.topology
        self.controller = self.topology.controller
        self.address = self.controller.address_on("management")

    # --- helpers ------------------------------------------------------------

    def fail(self, host: str, service: str, log: str, message: str) -> UserError:
        tail = log_tail(self.lab.state.upper(host, log))
        return UserError(f"{service} on {host}: {message}\n  tail of {log}:\n{tail}")

    def wait_until(self, host: str, script: str, service: str, log: str, timeout: float) -> None:
        """Run a shell test on the host until it succeeds (one process, polling inside)."""
        loop = (
            f"end=$(( $(date +%s) + {int(timeout)} )); "
            f"until {script}; do [ $(date +%s) -ge $end ] && exit 1; sleep 0.2; done"
        )
        if self.lab.exec(host, ["bash", "-c", loop], timeout=timeout + 30).returncode != 0:
            raise self.fail(host, service, log, f"not ready after {timeout:.0f} s")

    def port_open(self, address: str, port: int) -> str:
        return f"(exec 3<>/dev/tcp/{address}/{port}) 2>/dev/null"

    def write(self, host: str, path: str, text: str) -> None:
        self.lab.exec(host, f"mkdir -p $(dirname {path}) && cat > {path}", input=text, check=True)

    # --- controller ------------------------------------------------------------

    def template(self) -> str:
        """A migrated and bootstrapped database folder kept across labs: skips 5-20 s of migrations
        and Keystone's bootstrap (2-4 s of CPU). Per release and per bootstrap (its URLs and the
        lab's admin password), which the folder's name carries as a digest."""
        releases = "-".join(f"{name}-{version(name)}" for name in RELEASES)
        bootstrap = hashlib.sha256(shlex.join(self.keystone_bootstrap()).encode()).hexdigest()[:12]
        return str(self.lab.state.root / "cache" / f"mysql-{releases}-{bootstrap}")

    def keystone_bootstrap(self) -> list[str]:
        return keystone.bootstrap_command(self.topology, self.lab.state.secret("admin"))

    def start_mariadb(self) -> None:
        log = "/var/log/lab-mysql.log"
        command = [
            "mariadbd",
            "--no-defaults",
            "--user=root",
            f"--datadir={MYSQL_DATADIR}",
            f"--socket={MYSQL_SOCKET}",
            "--bind-address=127.0.0.1",
            "--port=3306",
            "--skip-name-resolve",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=8M",
            "--innodb-flush-log-at-trx-commit=0",
            "--performance-schema=OFF",
            f"--log-error={log}",
        ]
        self.lab.daemon("controller", command, "/var/log/lab-mysql.stdout")
        ping = f"mariadb-admin --socket={MYSQL_SOCKET} ping >/dev/null 2>&1"
        self.wait_until("controller", ping, "MariaDB", log, 30)

    def database(self) -> None:
        """MariaDB with the neutron database at the release's schema (from the template if there is one)."""
        template = self.template()
        migrated = Path(template).is_dir()
        prepare = (
            f"cp -a {template} {MYSQL_DATADIR}"
            if migrated
            else f"mariadb-install-db --user=root --datadir={MYSQL_DATADIR} --skip-test-db "
            "--auth-root-authentication-method=socket >/var/log/lab-mysql-install.log 2>&1"
        )
        self.lab.exec(
            "controller",
            f"mkdir -p /var/log/neutron /var/lib/neutron/lock; test -d {MYSQL_DATADIR}/mysql || {prepare}",
            check=True,
        )
        self.start_mariadb()
        # Each database's user; Neutron's password is the manual's NEUTRON_DBPASS.
        users = {"neutron": ("neutron",), "keystone": ("keystone",), **nova.DATABASES}
        sql = ""
        for user, databases in users.items():
            password = self.lab.state.secret("database" if user == "neutron" else f"{user}-database")
            sql += f"CREATE OR REPLACE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'; "
            for name in databases:
                sql += (
                    f"CREATE DATABASE IF NOT EXISTS {name}; "
                    f"GRANT ALL PRIVILEGES ON {name}.* TO '{user}'@'127.0.0.1'; "
                )
        sql += "FLUSH PRIVILEGES;"
        self.lab.exec("controller", ["mariadb", f"--socket={MYSQL_SOCKET}", "-e", sql], check=True)
        if not migrated:
            self.migrate()
            bootstrap = f"{shlex.join(self.keystone_bootstrap())} >>{keystone.LOG}.setup 2>&1"
            if self.lab.exec("controller", bootstrap, timeout=120).returncode != 0:
                raise self.fail("controller", "keystone-manage bootstrap", keystone.LOG + ".setup", "failed")
            self.save_template(template)

    def migrate(self) -> None:
        neutron_log, keystone_log = "/var/log/neutron/neutron-db-manage.log", keystone.LOG + ".db_sync"
        steps = {
            "neutron-db-manage upgrade heads": (
                shlex.join(["neutron-db-manage", *config_args(*SERVER_FILES), "upgrade", "heads"]),
                neutron_log,
            ),
            "keystone-manage db_sync": ("keystone-manage db_sync", keystone_log),
            **nova.migrate_steps(self.nova_context(self.controller)),
        }
        with ThreadPoolExecutor(len(steps)) as pool:
            results = {
                name: pool.submit(self.lab.exec, "controller", f"( {command} ) >{log} 2>&1", timeout=300)
                for name, (command, log) in steps.items()
            }
        for name, future in results.items():
            if future.result().returncode != 0:
                raise self.fail("controller", name, steps[name][1], f"exit {future.result().returncode}")

    def keystone_files(self) -> None:
        """keystone.conf and the openrc files; written before the migrations, which read keystone.conf."""
        state = self.lab.state
        self.write("controller", f"{keystone.CONFIG_DIR}/keystone.conf",
                   keystone.config_text(state.secret("keystone-database")))  # fmt: skip
        self.lab.exec(
            "controller", f"mkdir -p {shlex.quote(str(keystone.LOG.rsplit('/', 1)[0]))}", check=True
        )
        for user, path in keystone.OPENRC.items():
            self.write("controller", path, keystone.openrc_text(self.topology, user, state.secret(user)))

    def keystone_keys(self) -> None:
        """The lab's Fernet and credential keys, made at its first start (the bootstrap needs them)."""
        kept = self.lab.state.root / "keystone-keys"
        folders = " ".join(f"{keystone.CONFIG_DIR}/{name}" for name in keystone.KEY_REPOSITORIES)
        if kept.is_dir():
            self.lab.exec("controller", f"cp -a {kept}/. {keystone.CONFIG_DIR}/", check=True)
        else:
            script = keystone.key_setup_script()
            if self.lab.exec("controller", ["bash", "-c", script], timeout=120).returncode != 0:
                raise self.fail("controller", "keystone-manage", keystone.LOG + ".setup", "setup failed")
            # Kept like the lab's passwords: only root reads them; a copy in place is never half-made.
            save = (
                f"rm -rf {kept}.tmp && mkdir -m 700 {kept}.tmp && cp -a {folders} {kept}.tmp/ && "
                f"mv {kept}.tmp {kept}"
            )
            self.lab.exec("controller", save, check=True)

    def start_keystone(self) -> None:
        self.lab.daemon("controller", keystone.uwsgi_command(self.address), "/var/log/keystone/uwsgi.log")

    def identity(self) -> None:
        """Projects, users, roles and the catalog (`keystone.create_identity`, on the controller)."""
        self.wait_until(
            "controller", self.port_open(self.address, keystone.PORT), "keystone", keystone.LOG, 60
        )
        passwords = {user: self.lab.state.secret(user) for user in ("demo", *keystone.SERVICE_USERS)}
        plan = json.dumps(keystone.identity_plan(self.topology, passwords))
        log = "/var/log/keystone/identity.log"
        script = f". {keystone.OPENRC['admin']} && {sys.executable} -m l3ha_guide.lab.keystone >{log} 2>&1"
        if self.lab.exec("controller", ["bash", "-c", script], input=plan, timeout=120).returncode != 0:
            raise self.fail("controller", "keystone identity", log, "could not create the projects and users")

    # --- compute: Placement, Glance, Nova ----------------------------------------------

    def nova_context(self, host) -> nova.Context:
        return nova.Context(self.topology, host.address_on("management") or "", self.lab.state.secret)

    def nova_files(self) -> None:
        """Config files of the controller's services and of each compute node's nova-compute."""
        self.lab.exec("controller", f"mkdir -p {' '.join(nova.LOG_FOLDERS)}", check=True)
        for path, text in nova.controller_files(self.nova_context(self.controller)).items():
            self.write("controller", path, text)
        for host in self.topology.hosts_with_role("compute"):
            self.write(host.name, nova.LAB_CONF, nova.nova_conf(self.nova_context(host), "compute"))

    def start_nova_controller(self) -> None:
        self.lab.exec("controller", "mkdir -p /var/lib/glance /var/lib/nova/tmp", check=True)
        for name, command in nova.api_commands(self.address).items():
            self.lab.daemon("controller", command, nova.log(name) + ".stdout")

    def start_nova_services(self) -> None:
        """Conductor and scheduler: they ask Placement for a token as they start, so after identity."""
        for binary in nova.CONTROLLER_SERVICES:
            self.lab.daemon("controller", nova.service_command(binary), nova.log(binary) + ".stdout")

    def start_compute(self) -> list[str]:
        hosts = [host.name for host in self.topology.hosts_with_role("compute")]
        for host in hosts:
            self.lab.exec(
                host, "mkdir -p /var/log/nova /var/lib/nova/instances /var/lib/nova/tmp", check=True
            )
            self.lab.daemon(host, nova.compute_command(), nova.log("nova-compute") + ".stdout")
        return hosts

    def flavor_and_image(self) -> None:
        for service in ("nova-api", "glance-api"):
            name = service.split("-")[0]
            self.wait_until("controller", self.port_open(self.address, nova.port(name)), service,
                            nova.log(service), 60)  # fmt: skip
        log = "/var/log/nova/flavor-and-image.log"
        plan = json.dumps({"flavor": nova.FLAVOR, "image": nova.IMAGE})
        script = f". {keystone.OPENRC['admin']} && {sys.executable} -m l3ha_guide.lab.nova >{log} 2>&1"
        if self.lab.exec("controller", ["bash", "-c", script], input=plan, timeout=120).returncode != 0:
            raise self.fail("controller", "nova flavor and glance image", log, "could not create them")

    def wait_compute(self, hosts: list[str], timeout: float = 120) -> None:
        """Conductor, scheduler and nova-compute running, then the compute nodes mapped into cell1."""
        # A service's row appears once it runs; a compute node's once its nova-compute reported resources.
        query = (
            "SELECT CONCAT(host, ' ', `binary`) FROM services WHERE deleted = 0 "
            "UNION SELECT CONCAT(host, ' nova-compute') FROM compute_nodes WHERE deleted = 0"
        )
        expected = [*(("controller", binary) for binary in nova.CONTROLLER_SERVICES)]
        expected += [(host, "nova-compute") for host in hosts]
        self.wait_listed("nova", query, expected, nova.log, "not running", timeout)
        # nova-scheduler maps them (nova.DISCOVER_INTERVAL): a nova-manage run would cost 3 s of CPU.
        mapped = "SELECT CONCAT(host, ' nova-compute') FROM nova_api.host_mappings"
        computes = [(host, "nova-compute") for host in hosts]
        scheduler_log = nova.log("nova-scheduler")
        self.wait_listed("nova", mapped, computes, lambda _: scheduler_log, "not mapped into cell1", timeout)

    def save_template(self, template: str) -> None:
        # A clean shutdown makes the folder a consistent copy; then the same server starts again.
        script = (
            f"mariadb-admin --socket={MYSQL_SOCKET} shutdown && mkdir -p $(dirname {template}) && "
            f"rm -rf {template}.tmp && cp -a {MYSQL_DATADIR} {template}.tmp && "
            f"mv {template}.tmp {template} && "
            # One lab needs one template: those of other releases or another bootstrap go.
            f"find $(dirname {template}) -maxdepth 1 -name 'mysql-*' ! -name $(basename {template}) "
            "-exec rm -rf {} +"
        )
        self.lab.exec("controller", script, check=True)
        self.start_mariadb()

    def rabbitmq(self) -> None:
        log = "/var/log/rabbitmq/lab-startup.log"
        self.write(
            "controller",
            "/etc/rabbitmq/lab-rabbitmq.conf",
            f"listeners.tcp.default = {self.address}:5672\n"
            "default_user = openstack\n"
            f"default_pass = {self.lab.state.secret('rabbit')}\n"
            "loopback_users = none\n",
        )
        self.write("controller", "/etc/rabbitmq/lab-enabled-plugins", "[].\n")
        self.lab.exec("controller", "mkdir -p /var/log/rabbitmq /var/lib/rabbitmq", check=True)
        self.lab.daemon(
            "controller", ["env", *self.rabbit_env(), "/usr/lib/rabbitmq/bin/rabbitmq-server"], log
        )
        self.wait_until("controller", self.port_open(self.address, 5672), "RabbitMQ", log, 60)

    def rabbit_env(self) -> list[str]:
        return [
            "HOME=/var/lib/rabbitmq",
            "RABBITMQ_NODENAME=rabbit@controller",
            "RABBITMQ_CONFIG_FILE=/etc/rabbitmq/lab-rabbitmq.conf",
            "RABBITMQ_ENABLED_PLUGINS_FILE=/etc/rabbitmq/lab-enabled-plugins",
            "RABBITMQ_MNESIA_BASE=/var/lib/rabbitmq/mnesia",
            "RABBITMQ_LOG_BASE=/var/log/rabbitmq",
        ]

    def server_processes(self) -> None:
        files = ";".join(path.removeprefix("/etc/neutron/") for path in (*SERVER_FILES, OVERLAY_TARGET))
        environment = {"OS_NEUTRON_CONFIG_DIR": "/etc/neutron", "OS_NEUTRON_CONFIG_FILES": files}
        uwsgi = wsgi.uwsgi_command(self.address, API_PORT, "neutron.wsgi.api:application", environment)
        self.lab.daemon("controller", uwsgi, service_log("neutron-api"))
        for binary in ("neutron-rpc-server", "neutron-periodic-workers"):
            command = [binary, *config_args(*SERVER_FILES), "--log-file", service_log(binary)]
            self.lab.daemon("controller", command, f"/var/log/neutron/{binary}.stdout")

    def consumed(self, *queues: str) -> str:
        """A shell test for the controller: each RabbitMQ queue has a consumer."""
        checks = " && ".join(
            f"echo \"$q\" | grep -Eq '^{name.replace('.', '[.]')}[[:space:]]+[1-9]'" for name in queues
        )
        env = " ".join(self.rabbit_env())
        return f"q=$(env {env} rabbitmqctl -q list_queues name consumers 2>/dev/null) && {checks}"

    def wait_rpc_consumers(self) -> None:
        self.wait_until("controller", self.consumed(*RPC_QUEUES), "neutron-rpc-server",
                        service_log("neutron-rpc-server"), 90)  # fmt: skip

    def wait_dhcp_agents_listen(self, timeout: float = 90) -> None:
        """Until each DHCP agent consumes its own queue (`dhcp_agent.<host>`) and its host's Open
        vSwitch agent is alive, then DHCP_AGENTS_LISTEN."""
        dhcp, ovs = agent_named("neutron-dhcp-agent"), agent_named("neutron-openvswitch-agent")
        queues = {f"dhcp_agent.{host.name}": host.name for host in self.topology.hosts.values()
                  if dhcp in agents_on(host.role)}  # fmt: skip
        # Registered first (a query costs milliseconds; each rabbitmqctl call, 0.7 s of CPU).
        self.wait_agents_alive([(host, agent.binary) for host in queues.values() for agent in (dhcp, ovs)],
                               timeout)  # fmt: skip
        try:
            self.wait_until(
                "controller", self.consumed(*queues), dhcp.binary, service_log(dhcp.binary), timeout
            )
        except UserError:
            for queue, host in queues.items():  # name the agent that does not listen
                if self.lab.exec("controller", self.consumed(queue)).returncode != 0:
                    raise self.fail(
                        host, dhcp.binary, service_log(dhcp.binary), f"not consuming {queue}"
                    ) from None
            raise
        # From now on a port made on a network reaches a DHCP agent (the scenario process waits).
        self.lab.exec("controller", f"touch {DHCP_AGENTS_LISTEN}", check=True)

    # --- agents -------------------------------------------------------------------

    def agent_hosts(self) -> list[str]:
        return [host.name for host in self.topology.hosts.values() if agents_on(host.role)]

    def zygotes(self) -> None:
        """The root helper and the zygote on each agent host (it preloads for a few seconds)."""
        helper = (
            "#!/bin/sh\n"
            "# The lab's [agent] root_helper: the agents already run as root, so commands run as they are,\n"
            "# except oslo.privsep's helper, which this host's zygote forks (less memory).\n"
            'if [ "$1" = privsep-helper ]; then\n'
            "    shift\n"
            f'    exec {shlex.join([*ZYGOTE, "spawn", ZYGOTE_SOCKET])} "$@"\n'
            "fi\n"
            'exec "$@"\n'
        )
        for host in self.agent_hosts():
            self.write(host, ROOT_HELPER, helper)
            self.lab.exec(host, f"chmod 755 {ROOT_HELPER} && mkdir -p /var/log/neutron", check=True)
            binaries = [agent.binary for agent in agents_on(self.topology.hosts[host].role)]
            self.lab.daemon(host, [*ZYGOTE, "serve", ZYGOTE_SOCKET, *binaries], ZYGOTE_LOG)

    def wait_zygotes(self) -> None:
        for host in self.agent_hosts():
            self.wait_until(host, f"test -S {ZYGOTE_SOCKET}", "zygote", ZYGOTE_LOG, 60)

    def agents(self) -> list[tuple[str, str]]:
        started = []
        for host in self.topology.hosts.values():
            for agent in agents_on(host.role):
                start_agent(self.lab, host.name, agent)
                started.append((host.name, agent.binary))
        return started

    def wait_agents_alive(self, expected: list[tuple[str, str]], timeout: float = 90) -> None:
        query = (
            "SELECT CONCAT(host, ' ', `binary`) FROM agents "
            "WHERE heartbeat_timestamp > NOW() - INTERVAL 60 SECOND"
        )
        self.wait_listed("neutron", query, expected, service_log, "not alive", timeout)

    def wait_listed(self, database: str, query: str, expected: list[tuple[str, str]], log_of,
                    state: str, timeout: float) -> None:  # fmt: skip
        """Until a query's `host binary` rows hold every expected pair; else name the first one missing."""
        missing = list(expected)

        def all_listed() -> bool:
            result = self.lab.exec(
                "controller", ["mariadb", f"--socket={MYSQL_SOCKET}", "-N", database, "-e", query]
            )
            listed = {tuple(line.split()) for line in result.stdout.splitlines() if line.strip()}
            missing[:] = [pair for pair in expected if pair not in listed]
            return not missing

        try:
            wait_until(all_listed, timeout=timeout, interval=0.5)
        except WaitTimeout:
            host, binary = missing[0]
            message = f"{state} after {timeout:.0f} s (missing: {missing})"
            raise self.fail(host, binary, log_of(binary), message) from None

    # --- the whole start ------------------------------------------------------------

    def start(self) -> None:
        with self.progress.phase("database and message queue"), ThreadPoolExecutor(2) as pool:
            # The servers start as soon as their database is ready; they connect to RabbitMQ
            # when it is up (oslo.messaging retries), so their slow start overlaps RabbitMQ's.
            servers = pool.submit(
                lambda: (
                    self.keystone_files(),
                    self.keystone_keys(),
                    self.nova_files(),
                    self.database(),
                    self.server_processes(),
                    self.start_keystone(),
                    self.start_nova_controller(),
                )
            )
            queue = pool.submit(lambda: (self.zygotes(), self.rabbitmq()))
            servers.result()
            queue.result()
        with self.progress.phase("API, RPC and identity"), ThreadPoolExecutor(2) as pool:
            identity = pool.submit(lambda: (self.identity(), self.start_nova_services()))
            self.wait_rpc_consumers()
            identity.result()
        with ThreadPoolExecutor(3) as pool:
            with self.progress.phase("agents alive"):
                api_open = self.port_open(self.address, API_PORT)
                self.wait_until("controller", api_open, "neutron-api", service_log("neutron-api"), 60)
                if self.api_ready:
                    self.api_ready()
                self.wait_zygotes()
                expected = self.agents()
                computes = self.start_compute()
                # Nova's side goes on meanwhile: the flavor and image, then the compute nodes mapped.
                catalog = pool.submit(self.flavor_and_image)
                compute = pool.submit(self.wait_compute, computes)
                listening = pool.submit(self.wait_dhcp_agents_listen)
                self.wait_agents_alive(expected)
                listening.result()
            with self.progress.phase("compute"):
                compute.result()
                catalog.result()
                # From now on an instance can be booted (the scenario process waits for this).
                self.lab.exec("controller", f"touch {nova.COMPUTE_READY}", check=True)


def start(lab, progress: Progress, api_ready: Callable[[], object] | None = None) -> None:
    NeutronStarter(lab, progress, api_ready).start()
