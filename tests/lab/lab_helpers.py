"""Helpers of the lab's OpenStack tests."""

from __future__ import annotations

import json

import testinfra

from l3ha_guide.lab.keystone import OPENRC


def openstack_json(arguments: str, user: str = "admin"):
    """The `openstack` client's JSON output on the controller, as `user` (admin or demo)."""
    controller = testinfra.get_host("nsenter://controller")
    return json.loads(controller.check_output(f". {OPENRC[user]} && openstack {arguments} -f json"))
