"""Real Keystone in the lab: Neutron trusts only its tokens, and each user is what the manual says."""

from __future__ import annotations

import json
import subprocess

import testinfra

from l3ha_guide.lab import keystone
from l3ha_guide.lab.neutron import API_PORT
from l3ha_guide.topology import REPO_ROOT


def controller():
    return testinfra.get_host("nsenter://controller")


def as_user(user: str, arguments: str):
    output = controller().check_output(f". {keystone.OPENRC[user]} && openstack {arguments} -f json")
    return json.loads(output)


def test_neutron_refuses_a_request_without_a_token(lab):
    status = controller().check_output(
        f"curl -s -o /dev/null -w '%{{http_code}}' http://controller:{API_PORT}/v2.0/networks"
    )
    assert status == "401"


def test_each_openrc_loads_its_own_user_and_project(lab):
    for user in keystone.OPENRC:
        token = as_user(user, "token issue")
        project = as_user("admin", f"project show {user}")
        assert token["project_id"] == project["id"]


def test_the_users_have_the_install_guides_roles(lab):
    rows = as_user("admin", "role assignment list --names")
    assignments = {(row["Role"], row["User"], row["Project"]) for row in rows}
    assert ("admin", "admin@Default", "admin@Default") in assignments
    assert ("member", "demo@Default", "demo@Default") in assignments
    for user in keystone.SERVICE_USERS:
        for role in ("admin", "service"):
            assert (role, f"{user}@Default", f"{keystone.SERVICE_PROJECT}@Default") in assignments


def test_the_catalog_names_the_labs_networking_endpoint(lab):
    endpoints = as_user("admin", "endpoint list --service network")
    assert {row["Interface"] for row in endpoints} == {"public", "internal", "admin"}
    assert {row["URL"] for row in endpoints} == {f"http://controller:{API_PORT}"}


def test_keys_and_passwords_are_the_labs_own(lab):
    """Made once per lab under the state folder (keys kept there, readable by root only), none of them
    in the repository."""
    kept = lab.state.root / "keystone-keys"
    assert kept.stat().st_mode & 0o077 == 0
    for repository in keystone.KEY_REPOSITORIES:
        keys = lab.state.upper("controller", f"{keystone.CONFIG_DIR}/{repository}")
        assert sorted(path.name for path in keys.iterdir()) == ["0", "1"]
        for key in keys.iterdir():
            assert key.read_bytes() == (kept / repository / key.name).read_bytes()
    secrets_file = lab.state.root / "secrets.json"
    for private in (secrets_file, kept, *(lab.state.root / "cache").glob("mysql-*")):
        if private.is_relative_to(REPO_ROOT):
            ignored = subprocess.run(["git", "check-ignore", "-q", str(private)], cwd=REPO_ROOT, check=False)
            assert ignored.returncode == 0, f"{private} could be committed"
    secrets = json.loads(secrets_file.read_text())
    openrc = lab.state.upper("controller", keystone.OPENRC["demo"]).read_text()
    assert f"OS_PASSWORD={secrets['demo']}" in openrc
    assert secrets_file.stat().st_mode & 0o077 == 0


def test_passwords_are_hashed_at_the_cost_the_lab_page_names(lab):
    from l3ha_guide.lab.scenario import sql

    page = " ".join((REPO_ROOT / "source" / "lab.md").read_text(encoding="utf-8").split())
    assert f"`[identity] password_hash_rounds = {keystone.PASSWORD_HASH_ROUNDS}`" in page
    hashes = [row[0] for row in sql(lab, "SELECT password_hash FROM password", database="keystone")]
    users = {"admin", "demo", *keystone.SERVICE_USERS}
    assert len(hashes) >= len(users)
    assert {value[:7] for value in hashes} == {f"$2b${keystone.PASSWORD_HASH_ROUNDS:02d}$"}, hashes


def test_the_database_template_holds_this_labs_bootstrap_only(lab):
    """One template in the lab's cache, named after the releases and this lab's bootstrap."""
    from l3ha_guide.lab.neutron import NeutronStarter
    from l3ha_guide.progress import Progress

    templates = sorted((lab.state.root / "cache").glob("mysql-*"))
    assert [str(path) for path in templates] == [NeutronStarter(lab, Progress("test")).template()]
