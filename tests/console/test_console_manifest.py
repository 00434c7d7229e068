"""The manifest builder on a small manual: order, lines, hosts, commands, outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from l3ha_guide.console.examples import extract, split_commands
from l3ha_guide.errors import UserError

INDEX = """\
# Index

```{toctree}
second
first
```
"""

FIRST = """\
# First

```{console-block}
:host: network1 network2
:compare: exact

$ ip netns
qrouter-7a46dba8-8846-498c-9e10-588664558473
```
"""

SECOND = """\
# Second

::::{tab-set}
:::{tab-item} openstack client
```{console-block}
:host: controller
:changes: configures
:compare: table

$ openstack subnet create --network ext-net \\
  --subnet-range 203.0.113.0/24 ext-subnet
+-------+-------+
| Field | Value |
+-------+-------+
$ openstack router list
```
:::
::::

```{console-block}
:host: controller
:skip: needs-internet

$ ping -c 4 openstack.org
```

```{config-block} /etc/neutron/neutron.conf
:roles: controller

[DEFAULT]
l3_ha = True
```
"""


def write_manual(folder: Path, pages: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in pages.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return folder


def test_manifest_lists_blocks_in_reading_order_with_exact_lines(tmp_path: Path) -> None:
    source = write_manual(tmp_path / "source", {"index": INDEX, "first": FIRST, "second": SECOND})
    manifest = extract(source, tmp_path / "out", tmp_path / "doctrees")
    assert (tmp_path / "out" / "manifest.json").is_file()
    assert [example.page for example in manifest.console] == ["second", "second", "first"]

    subnet, server, netns = manifest.console
    assert subnet.line == 10 and subnet.hosts == ["controller"] and subnet.compare == "table"
    assert [command.line for command in subnet.commands] == [10, 15]
    assert (subnet.changes, server.changes, netns.changes) == ("configures", "", "")
    assert subnet.commands[0].command == (
        "openstack subnet create --network ext-net \\\n  --subnet-range 203.0.113.0/24 ext-subnet"
    )
    assert subnet.commands[0].output.startswith("+-------+") and subnet.commands[1].output == ""
    assert (server.skip, server.lab_action, server.line) == ("needs-internet", "", 24)
    assert netns.hosts == ["network1", "network2"] and netns.line == 7
    assert netns.commands[0].output == "qrouter-7a46dba8-8846-498c-9e10-588664558473\n"
    assert netns.id.endswith("first.md:7")
    assert {example.bindings for example in manifest.console} == {"guide"}

    [config] = manifest.config
    assert (config.path, config.roles, config.page) == ("/etc/neutron/neutron.conf", ["controller"], "second")
    assert len({subnet.digest, server.digest, netns.digest}) == 3


def test_bad_block_fails_with_page_and_line(tmp_path: Path) -> None:
    source = write_manual(
        tmp_path / "source", {"index": "# I\n\n```{console-block}\n:host: mars\n\n$ ls\n```\n"}
    )
    with pytest.raises(UserError, match=r"index.md:3: ERROR: console-block"):
        extract(source, tmp_path / "out", tmp_path / "doctrees")


def _liberty_block(options: str) -> str:
    block = (
        "```{console-block}\n:host: controller\n:changes: configures\n"
        f"{options}\n$ neutron router-gateway-set r ext-net\n```\n"
    )
    return f"# I\n\n{block}"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            "",
            r"index.md:3: ERROR: console-block: `neutron router-gateway-set r ext-net` "
            r"needs ':bindings: replace'",
        ),
        (":bindings: own\n", r"needs ':bindings: replace' \(this block declares 'own'\)"),
    ],
)
def test_a_block_whose_values_mean_something_else_must_say_so(
    tmp_path: Path, options: str, message: str
) -> None:
    source = write_manual(tmp_path / "source", {"index": _liberty_block(options)})
    with pytest.raises(UserError, match=message):
        extract(source, tmp_path / "out", tmp_path / "doctrees")


def test_declared_bindings_reach_the_manifest_and_a_needless_declaration_fails(tmp_path: Path) -> None:
    source = write_manual(tmp_path / "source", {"index": _liberty_block(":bindings: replace\n")})
    [example] = extract(source, tmp_path / "out", tmp_path / "doctrees").console
    assert example.bindings == "replace"
    needless = (
        "# I\n\n```{console-block}\n:host: controller\n:bindings: own\n\n$ openstack router list\n```\n"
    )
    source = write_manual(tmp_path / "needless", {"index": needless})
    with pytest.raises(UserError, match=r"':bindings: own' is declared, but `openstack router list` keeps"):
        extract(source, tmp_path / "out2", tmp_path / "doctrees2")


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            ":host: network1\n\n$ ip link set eth1 down",
            r"index.md:3: ERROR: console-block: `ip link set eth1 down` changes the cloud: add ':changes: ",
        ),
        (
            ":host: controller\n:changes: configures\n\n$ openstack router list",
            r"':changes: configures' is declared, but no command of the block changes anything",
        ),
    ],
)
def test_what_a_block_changes_is_marked_and_true(tmp_path: Path, block: str, message: str) -> None:
    source = write_manual(tmp_path / "source", {"index": f"# I\n\n```{{console-block}}\n{block}\n```\n"})
    with pytest.raises(UserError, match=message):
        extract(source, tmp_path / "out", tmp_path / "doctrees")


@pytest.mark.parametrize(
    ("command", "changes"),
    [
        ("openstack network agent list --router demo-router --long", False),
        ("openstack server add floating ip demo-instance1 203.0.113.102", True),
        ("openstack router set --external-gateway ext-net demo-router", True),
        ("neutron floatingip-associate 20a6 c4a1", True),
        ("neutron l3-agent-list-hosting-router demo-router", False),
        ("nova list", False),
        ("nova boot --flavor m1.tiny demo-instance1", True),
        ("kill $(cat /var/lib/neutron/ha_confs/r.pid.keepalived)", True),
        ("ip netns exec qrouter-r ip addr show", False),
        ("ip link set eth1 up", True),
        ("cat /var/lib/neutron/ha_confs/r/state", False),
    ],
)
def test_changing_commands_are_recognised(command: str, changes: bool) -> None:
    from l3ha_guide.console.changes import changing_command

    assert changing_command(command) is changes


def test_split_commands_keeps_outputs_apart() -> None:
    commands = split_commands("$ a \\\n  --b\nout1\n$ c\nout2\nout3", 5)
    assert [(c.line, c.command, c.output) for c in commands] == [
        (5, "a \\\n  --b", "out1\n"),
        (8, "c", "out2\nout3\n"),
    ]


def test_the_manuals_examples_are_runnable_or_say_why() -> None:
    from l3ha_guide.console.examples import SKIP_REASONS
    from l3ha_guide.console.lab_actions import ACTIONS as LAB_ACTIONS
    from l3ha_guide.topology import load

    lab_hosts = load().hosts

    manual = extract()
    pages = {example.page for example in manual.console}
    assert {"verify-services", "initial-networks", "verify-operation"} <= pages
    for example in manual.console:
        assert example.commands, f"{example.id}: a console block without a command"
        assert set(example.hosts) <= set(lab_hosts), example.id
        assert not example.skip or example.skip in SKIP_REASONS, example.id
        assert not example.lab_action or example.lab_action in LAB_ACTIONS, example.id
        for command in example.commands:
            if command.command.startswith("tcpdump"):
                # Bounded: a packet count and a capture filter, so it never waits forever.
                bounded = " -c " in command.command and "'" in command.command
                assert bounded, f"{example.id}: unbounded tcpdump"
