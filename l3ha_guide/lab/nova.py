"""Compute around Neutron: Placement 16.0.0, Glance 33.0.0 and Nova 34.0.0, set up as the install guide does.

controller: the Placement, Image and Compute APIs under uwsgi (`l3ha_guide.lab.wsgi`),
nova-conductor and nova-scheduler, cells v2 (cell0 and cell1) in the lab's MariaDB;
compute nodes: nova-compute with the lab's virt driver (`l3ha_guide.lab.nova_driver`),
whose instances are network namespaces plugged by os-vif.

The cell mappings keep `{password}` templates (nova fills them from each
service's own config), so the pre-migrated database template holds no password
and the passwords stay per lab.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from l3ha_guide.lab import keystone, wsgi
from l3ha_guide.topology import Topology

# nova.conf is the manual's (its `[neutron]` section, from examples/<role>/etc/nova/); the lab's
# own settings are in a second file that every Nova process reads after it.
NOVA_CONF = "/etc/nova/nova.conf"
LAB_CONF = "/etc/nova/nova-lab.conf"
NOVA_CONFIG_ARGS = ("--config-file", NOVA_CONF, "--config-file", LAB_CONF)
API_FILES = ("api-paste.ini", "nova.conf", "nova-lab.conf")  # the API's files in /etc/nova, in order
PLACEMENT_CONF = "/etc/placement/placement.conf"
GLANCE_CONF = "/etc/glance/glance-api.conf"
# Each service's databases, and the database user they share.
DATABASES = {
    "placement": ("placement",),
    "glance": ("glance",),
    "nova": ("nova_api", "nova", "nova_cell0"),
}
# The manual's flavor and image: m1.tiny as the Liberty-era clouds defined it, and a CirrOS-named
# image whose bytes are never booted (the lab's instances are network namespaces).
FLAVOR = {"name": "m1.tiny", "id": "1", "ram": 512, "disk": 1, "vcpus": 1}
IMAGE = {"name": "cirros", "disk_format": "raw", "container_format": "bare", "visibility": "public"}
IMAGE_BYTES = b"l3ha-guide lab image: the lab's instances are network namespaces; nothing boots these bytes\n"
CONTROLLER_SERVICES = ("nova-conductor", "nova-scheduler")
# On the controller (its private /run): written by `lab up` once the compute nodes are mapped into
# cell1 and the flavor and image exist, so an instance booted from then on can be scheduled.
COMPUTE_READY = "/run/lab-compute-ready"
DISCOVER_INTERVAL = 2  # seconds: how often nova-scheduler maps new compute nodes into cell1
PASTE_FILES = {"nova/api-paste.ini": "/etc/nova/api-paste.ini",
               "glance/glance-api-paste.ini": "/etc/glance/glance-api-paste.ini"}  # fmt: skip


def port(service: str) -> int:
    return keystone.CATALOG[service][2]


def log(service: str) -> str:
    project = service.split("-")[0]
    return f"/var/log/{project}/{service}.log"


@dataclass(frozen=True)
class Context:
    """What the config files need: the topology, one host and the lab's secrets."""

    topology: Topology
    host_address: str
    secret: Callable[[str], str]  # LabState.secret: a password by name, made once per lab

    @property
    def controller(self) -> str:
        return self.topology.controller.name

    def database(self, user: str, name: str, *, template: bool = False) -> str:
        password = "{password}" if template else self.secret(f"{user}-database")
        return f"mysql+pymysql://{user}:{password}@127.0.0.1:3306/{name}"

    def transport_url(self, *, template: bool = False) -> str:
        password = "{password}" if template else self.secret("rabbit")
        return f"rabbit://openstack:{password}@{self.controller}:5672/"

    def auth(self, user: str) -> str:
        """The keystoneauth password plugin, as the install guide writes it in every section."""
        return (
            f"auth_url = {keystone.auth_url(self.topology).removesuffix('/v3')}\n"
            "auth_type = password\n"
            "project_domain_name = Default\n"
            "user_domain_name = Default\n"
            f"region_name = {keystone.REGION}\n"
            f"project_name = {keystone.SERVICE_PROJECT}\n"
            f"username = {user}\n"
            f"password = {self.secret(user)}\n"
        )

    def authtoken(self, user: str) -> str:
        url = keystone.auth_url(self.topology).removesuffix("/v3")
        return f"[keystone_authtoken]\nwww_authenticate_uri = {url}\n{self.auth(user)}"


HEADER = "# Written by the lab (l3ha_guide.lab.nova); not part of the manual.\n"


def placement_conf(context: Context) -> str:
    return (
        f"{HEADER}[DEFAULT]\nlog_file = {log('placement-api')}\n"
        "[api]\nauth_strategy = keystone\n"
        f"{context.authtoken('placement')}"
        f"[placement_database]\nconnection = {context.database('placement', 'placement')}\n"
    )


def glance_conf(context: Context) -> str:
    return (
        f"{HEADER}[DEFAULT]\nlog_file = {log('glance-api')}\nenabled_backends = fs:file\n"
        f"[database]\nconnection = {context.database('glance', 'glance')}\n"
        f"{context.authtoken('glance')}"
        "[paste_deploy]\nflavor = keystone\n"
        "[glance_store]\ndefault_backend = fs\n"
        "[fs]\nfilesystem_store_datadir = /var/lib/glance/images/\n"
        "[os_glance_staging_store]\nfilesystem_store_datadir = /var/lib/glance/staging/\n"
        "[os_glance_tasks_store]\nfilesystem_store_datadir = /var/lib/glance/tasks/\n"
    )


def nova_conf(context: Context, role: str) -> str:
    """The lab's nova-lab.conf of a controller or a compute node (nova-compute must not see the
    databases); the manual's nova.conf holds the `[neutron]` section."""
    default = (
        f"[DEFAULT]\ntransport_url = {context.transport_url()}\nmy_ip = {context.host_address}\n"
        "state_path = /var/lib/nova\n"
    )
    common = (
        f"[service_user]\nsend_service_user_token = true\n{context.auth('nova')}"
        f"[placement]\n{context.auth('placement')}"
        "[vnc]\nenabled = false\n"
        "[oslo_concurrency]\nlock_path = /var/lib/nova/tmp\n"
        "[oslo_messaging_rabbit]\nrabbit_quorum_queue = false\n"
    )
    if role == "compute":
        # Privileged helpers started directly: nova-compute is root, and the lab has no sudo or rootwrap.
        helper = f"helper_command = privsep-helper {' '.join(NOVA_CONFIG_ARGS)}\n"
        return (
            f"{HEADER}{default}compute_driver = lab_namespace.NamespaceDriver\n"
            # A port that never comes up fails the boot in 30 s instead of the default 300 s.
            "vif_plugging_timeout = 30\n"
            f"{common}"
            f"[vif_plug_ovs_privileged]\n{helper}[vif_plug_linux_bridge_privileged]\n{helper}"
            f"[nova_sys_admin]\n{helper}"
        )
    return (
        f"{HEADER}{default}"
        # The scheduler maps a compute node into cell1 once it has registered (the install guide's
        # alternative to `nova-manage cell_v2 discover_hosts`); its periodic tasks start at once,
        # not after a random delay of up to 60 s.
        "periodic_fuzzy_delay = 0\n"
        f"{common}"
        "[api]\nauth_strategy = keystone\n"
        f"[api_database]\nconnection = {context.database('nova', 'nova_api')}\n"
        f"[database]\nconnection = {context.database('nova', 'nova')}\n"
        f"{context.authtoken('nova')}"
        f"[scheduler]\ndiscover_hosts_in_cells_interval = {DISCOVER_INTERVAL}\nworkers = 1\n"
        "[conductor]\nworkers = 1\n"
    )


def controller_files(context: Context) -> dict[str, str]:
    return {
        PLACEMENT_CONF: placement_conf(context),
        GLANCE_CONF: glance_conf(context),
        LAB_CONF: nova_conf(context, "controller"),
        **{target: (Path(sys.prefix) / "etc" / source).read_text() for source, target in PASTE_FILES.items()},
    }


def migrate_steps(context: Context) -> dict[str, tuple[str, str]]:
    """The install guide's database steps, as shell commands with their logs: Nova's four in order."""
    nova_manage = f"nova-manage {' '.join(NOVA_CONFIG_ARGS)}"
    cell0 = context.database("nova", "nova_cell0", template=True)
    cell1 = context.database("nova", "nova", template=True)
    nova = [
        f"{nova_manage} api_db sync",
        f"{nova_manage} cell_v2 map_cell0 --database_connection {shlex.quote(cell0)}",
        f"{nova_manage} cell_v2 create_cell --name cell1 --database_connection {shlex.quote(cell1)} "
        f"--transport-url {shlex.quote(context.transport_url(template=True))}",
        f"{nova_manage} db sync",
    ]
    return {
        "placement-manage db sync": (
            f"placement-manage --config-file {PLACEMENT_CONF} db sync",
            log("placement-manage"),
        ),
        "glance-manage db_sync": (f"glance-manage --config-file {GLANCE_CONF} db_sync", log("glance-manage")),
        "nova-manage api_db sync, cell_v2 map_cell0 and create_cell, db sync": (
            " && ".join(nova),
            log("nova-manage"),
        ),
    }


LOG_FOLDERS = ("/var/log/placement", "/var/log/glance", "/var/log/nova")


def api_commands(address: str) -> dict[str, list[str]]:
    """The three APIs under uwsgi, by the name of their log."""
    return {
        "placement-api": wsgi.uwsgi_command(
            address,
            port("placement"),
            "placement.wsgi.api:application",
            {"OS_PLACEMENT_CONFIG_DIR": "/etc/placement"},
        ),
        "glance-api": wsgi.uwsgi_command(
            address, port("glance"), "glance.wsgi.api:application", {"OS_GLANCE_CONFIG_DIR": "/etc/glance"}
        ),
        "nova-api": wsgi.uwsgi_command(
            address,
            port("nova"),
            "nova.wsgi.osapi_compute:application",
            {"OS_NOVA_CONFIG_DIR": "/etc/nova", "OS_NOVA_CONFIG_FILES": ";".join(API_FILES)},
        ),
    }


def service_command(binary: str) -> list[str]:
    return [binary, *NOVA_CONFIG_ARGS, "--log-file", log(binary)]


def compute_command() -> list[str]:
    launcher = [sys.executable, "-m", "l3ha_guide.lab.nova_compute"]
    return [*launcher, *NOVA_CONFIG_ARGS, "--log-file", log("nova-compute")]


def create_flavor_and_image(plan: dict) -> None:
    """The manual's flavor and image, as admin, if missing (run on the controller, admin-openrc loaded)."""
    import openstack  # the lab extra's client library; imported only on the controller

    cloud = openstack.connect(region_name=keystone.REGION)
    if not cloud.compute.find_flavor(plan["flavor"]["name"]):
        cloud.compute.create_flavor(**plan["flavor"])
    if not cloud.image.find_image(plan["image"]["name"]):
        cloud.image.create_image(**plan["image"], data=IMAGE_BYTES, allow_duplicates=True)


if __name__ == "__main__":
    import json

    create_flavor_and_image(json.load(sys.stdin))
