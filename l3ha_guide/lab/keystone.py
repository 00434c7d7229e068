"""Real Keystone 30.0.0 on the controller: the Identity service behind the manual's credentials.

Bootstrapped as the install guide does it: the `admin` project, user and role
(`keystone-manage bootstrap`), the `service` project with a user for each
service (with the `admin` and `service` roles), and a `demo` project whose
`demo` user has the `member` role. Served like the Neutron API, under uwsgi
(keystone 30.0.0 ships no `keystone-wsgi-public`). Fernet and credential keys
and every password are made once per lab, under its state folder (the keys by
`keystone-manage` at the lab's first start, then copied into the controller's
/etc/keystone at each start); none is committed. The bootstrap is part of the
lab's migrated database template, which is made again when its inputs change.

/root/admin-openrc and /root/demo-openrc on the controller are the install
guide's files with those passwords.
"""

from __future__ import annotations

from l3ha_guide.ha_router import CREDENTIALS
from l3ha_guide.lab import wsgi
from l3ha_guide.topology import Topology

PORT = 5000
CONFIG_DIR = "/etc/keystone"
LOG = "/var/log/keystone/keystone.log"
OPENRC = CREDENTIALS
REGION = "RegionOne"
SERVICE_PROJECT = "service"
# The catalog, as the install guide names it: service name -> (type, description, port on the controller,
# path of the endpoint URL). Each service has a user of the same name in the service project.
CATALOG = {
    "neutron": ("network", "OpenStack Networking", 9696, ""),
    "nova": ("compute", "OpenStack Compute", 8774, "/v2.1"),
    "placement": ("placement", "Placement API", 8778, ""),
    "glance": ("image", "OpenStack Image", 9292, ""),
}
SERVICE_USERS = tuple(CATALOG)
# bcrypt's lowest cost (Keystone's default is 12). Every `openstack` command signs in with a
# password: at 12 rounds each sign-in cost Keystone about half a second of the lab's two cores.
PASSWORD_HASH_ROUNDS = 4
# Keystone caches tokens, role assignments and the catalog in its one uwsgi process (oslo.cache
# names this backend for "a single instance of the server"; the default, dogpile.cache.null,
# caches nothing): each token a service validates, or a user gets, otherwise costs SQL and CPU.
CACHE_BACKEND = "dogpile.cache.memory"


def auth_url(topology: Topology) -> str:
    return f"http://{topology.controller.name}:{PORT}/v3"


def config_text(database_password: str) -> str:
    return (
        "# Written by the lab (l3ha_guide.lab.keystone); not part of the manual.\n"
        "[DEFAULT]\n"
        f"log_file = {LOG}\n"
        "[database]\n"
        f"connection = mysql+pymysql://keystone:{database_password}@127.0.0.1:3306/keystone\n"
        "[token]\n"
        "provider = fernet\n"
        "[identity]\n"
        f"password_hash_rounds = {PASSWORD_HASH_ROUNDS}\n"
        "[cache]\n"
        f"backend = {CACHE_BACKEND}\n"
    )


def openrc_text(topology: Topology, user: str, password: str) -> str:
    """The install guide's openrc file for a user whose project has the same name."""
    variables = {
        "OS_PROJECT_DOMAIN_NAME": "Default",
        "OS_USER_DOMAIN_NAME": "Default",
        "OS_PROJECT_NAME": user,
        "OS_USERNAME": user,
        "OS_PASSWORD": password,
        "OS_AUTH_URL": auth_url(topology),
        "OS_IDENTITY_API_VERSION": "3",
        "OS_IMAGE_API_VERSION": "2",
    }
    return "".join(f"export {name}={value}\n" for name, value in variables.items())


KEY_REPOSITORIES = ("fernet-keys", "credential-keys")  # under CONFIG_DIR, as keystone-manage makes them


def bootstrap_command(topology: Topology, admin_password: str) -> list[str]:
    """`keystone-manage bootstrap`: the admin project, user and role, the region and Identity's endpoints."""
    url = auth_url(topology) + "/"
    return [
        "keystone-manage", "bootstrap", "--bootstrap-password", admin_password,
        "--bootstrap-admin-url", url, "--bootstrap-internal-url", url, "--bootstrap-public-url", url,
        "--bootstrap-region-id", REGION,
    ]  # fmt: skip


def key_setup_script() -> str:
    """The Fernet and credential key repositories, side by side (each call spends 2-4 s importing)."""
    steps = [
        f"keystone-manage {name.replace('-keys', '')}_setup --keystone-user root --keystone-group root"
        for name in KEY_REPOSITORIES
    ]
    background = " ".join(f"( {step} >>{LOG}.setup 2>&1 ) & " for step in steps)
    # `wait PID` for each, so that any failing step fails the script.
    return f"set -e; {background}for job in $(jobs -p); do wait $job; done"


def uwsgi_command(address: str) -> list[str]:
    return wsgi.uwsgi_command(
        address, PORT, "keystone.wsgi.api:application", {"OS_KEYSTONE_CONFIG_DIR": CONFIG_DIR}
    )


def identity_plan(topology: Topology, passwords: dict[str, str]) -> dict:
    """What bootstrap does not make: projects, users with their roles, and the catalog."""
    users = {"demo": (passwords["demo"], [("demo", "member")])}
    for user in SERVICE_USERS:
        # keystonemiddleware 13 wants the `service` role on the tokens services send each other.
        users[user] = (passwords[user], [(SERVICE_PROJECT, "admin"), (SERVICE_PROJECT, "service")])
    return {
        "projects": {SERVICE_PROJECT: "Service Project", "demo": "Demo Project"},
        "users": users,
        "services": {
            name: (service_type, description, f"http://{topology.controller.name}:{port}{path}")
            for name, (service_type, description, port, path) in CATALOG.items()
        },
    }


def create_identity(plan: dict) -> None:
    """Make the plan's objects through the Identity API as admin, skipping those that exist.

    Runs on the controller (`python -m l3ha_guide.lab.keystone` with the plan on stdin and
    admin-openrc loaded): one process with openstacksdk instead of one `openstack` call per
    object, which costs 3-5 s of start-up each on two cores.
    """
    import openstack  # the lab extra's client library; imported only on the controller

    identity = openstack.connect(region_name=REGION).identity
    projects = {
        name: identity.find_project(name, domain_id="default")
        or identity.create_project(name=name, description=description, domain_id="default")
        for name, description in plan["projects"].items()
    }
    for name, (password, grants) in plan["users"].items():
        user = identity.find_user(name, domain_id="default") or identity.create_user(
            name=name, password=password, domain_id="default"
        )
        for project, role in grants:
            identity.assign_project_role_to_user(projects[project], user, identity.find_role(role))
    for name, (service_type, description, url) in plan["services"].items():
        service = identity.find_service(name) or identity.create_service(
            name=name, type=service_type, description=description
        )
        existing = {endpoint.interface for endpoint in identity.endpoints(service_id=service.id)}
        for interface in {"public", "internal", "admin"} - existing:
            identity.create_endpoint(service_id=service.id, interface=interface, url=url, region_id=REGION)


if __name__ == "__main__":
    import json
    import sys as _sys

    create_identity(json.load(_sys.stdin))
