"""The matcher on recorded strings: what it accepts, and above all what it rejects."""

from __future__ import annotations

import pytest

from l3ha_guide.console.matcher import Bindings, MatchError, match, readable_diff
from l3ha_guide.console.tables import Table, parse

ROUTER = "7a46dba8-8846-498c-9e10-588664558473"
REAL_ROUTER = "0f3c2a51-9b7e-4c55-a1d2-3e4f5a6b7c8d"
OTHER_REAL = "11111111-2222-4333-8444-555555555555"

DOCUMENTED_AGENTS = """\
+--------------------------------------+----------+----------------+-------+----------+
| ID                                   | Host     | State          | Alive | HA State |
+--------------------------------------+----------+----------------+-------+----------+
| 29afe014-273d-42f3-ad71-8a226e40dea6 | network1 | UP             | :-)   | active   |
| d27ac19b-fb4d-4fec-b81d-e8c65557b6ec | network2 | UP             | :-)   | standby  |
+--------------------------------------+----------+----------------+-------+----------+
"""

REAL_AGENTS_REORDERED = """\
+--------------------------------------+----------+-------+-------+----------+
| ID                                   | Host     | State | Alive | HA State |
+--------------------------------------+----------+-------+-------+----------+
| 5c1e3f1a-0000-4000-8000-00000000000b | network2 | UP    | :-)   | standby  |
| 5c1e3f1a-0000-4000-8000-00000000000a | network1 | UP    | :-)   | active   |
+--------------------------------------+----------+-------+-------+----------+
"""

# Same rows reordered, but the HA states changed: network1 is now the backup.
REAL_AGENTS_REORDERED_AND_CHANGED = (
    REAL_AGENTS_REORDERED.replace("standby", "XX").replace("active ", "standby").replace("XX", "active ")
)


def page() -> Bindings:
    return Bindings()


# --- variables and bindings ---------------------------------------------------


def test_uuid_binds_and_holds_across_outputs() -> None:
    bindings = match(f"qrouter-{ROUTER}", f"qrouter-{REAL_ROUTER}", "exact", page())
    assert bindings.forward["uuid"] == {ROUTER: REAL_ROUTER}
    # Same documented value, same real value: accepted on a later output.
    match(f"qrouter-{ROUTER}", f"qrouter-{REAL_ROUTER}", "exact", bindings)


def test_mismatched_uuid_binding_is_rejected() -> None:
    bindings = match(f"| id | {ROUTER} |", f"| id | {REAL_ROUTER} |", "lines", page())
    with pytest.raises(MatchError, match="no counterpart"):
        match(f"qrouter-{ROUTER}", f"qrouter-{OTHER_REAL}", "exact", bindings)


def test_different_documented_values_need_different_real_values() -> None:
    documented = f"{ROUTER}\n29afe014-273d-42f3-ad71-8a226e40dea6"
    with pytest.raises(MatchError):
        match(documented, f"{REAL_ROUTER}\n{REAL_ROUTER}", "exact", page())
    bindings = match(f"{ROUTER}", f"{REAL_ROUTER}", "exact", page())
    with pytest.raises(MatchError):
        match("29afe014-273d-42f3-ad71-8a226e40dea6", REAL_ROUTER, "exact", bindings)


def test_repeated_value_in_one_line_must_repeat_in_the_real_line() -> None:
    documented = f"{ROUTER} {ROUTER}"
    match(documented, f"{REAL_ROUTER} {REAL_ROUTER}", "exact", page())
    with pytest.raises(MatchError):
        match(documented, f"{REAL_ROUTER} {OTHER_REAL}", "exact", page())


def test_wrong_output_is_rejected() -> None:
    with pytest.raises(MatchError, match="no counterpart"):
        match("qrouter-" + ROUTER, "qdhcp-" + REAL_ROUTER, "exact", page())
    with pytest.raises(MatchError):
        match(
            "4 packets transmitted, 4 received, 0% packet loss, time 3002ms",
            "4 packets transmitted, 0 received, 100% packet loss, time 3052ms",
            "lines",
            page(),
        )


def test_ping_output_with_runtime_address_rtt_and_timing() -> None:
    documented = """\
PING 203.0.113.112 (203.0.113.112) 56(84) bytes of data.
64 bytes from 203.0.113.112: icmp_seq=1 ttl=64 time=0.619 ms
--- 203.0.113.112 ping statistics ---
1 packets transmitted, 1 received, 0% packet loss, time 0ms
rtt min/avg/max/mdev = 0.619/0.619/0.619/0.000 ms
"""
    real = documented.replace("203.0.113.112", "203.0.113.161").replace("0.619", "1.234")
    real = real.replace("time 0ms", "time 1ms")
    bindings = match(documented, real, "exact", page())
    assert bindings.forward["runtime address"] == {"203.0.113.112": "203.0.113.161"}
    # A bound address is substituted into a later command.
    command, unbound = bindings.substitute("ping -c 4 203.0.113.112")
    assert command == "ping -c 4 203.0.113.161"
    assert unbound == []


def test_runtime_address_must_stay_in_its_range() -> None:
    with pytest.raises(MatchError):
        match("inet 203.0.113.112/24", "inet 192.168.1.7/24", "exact", page())


def test_fixed_addresses_are_literal() -> None:
    # Subnet gateways and host addresses are chosen by the reader, not by Neutron.
    with pytest.raises(MatchError):
        match(
            "64 bytes from 192.168.1.1: icmp_seq=1", "64 bytes from 192.168.1.9: icmp_seq=1", "exact", page()
        )
    with pytest.raises(MatchError):
        match("gateway 203.0.113.1", "gateway 203.0.113.9", "exact", page())


def test_typed_pool_ends_are_literal() -> None:
    with pytest.raises(MatchError):
        match("203.0.113.101-203.0.113.200", "203.0.113.102-203.0.113.200", "exact", page())


def test_ip_addr_show_with_devices_macs_indexes_and_link_local() -> None:
    documented = """\
11: ha-255d2e4b-33: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default
    link/ether fa:16:3e:25:05:d7 brd ff:ff:ff:ff:ff:ff
    inet 169.254.192.1/18 brd 169.254.255.255 scope global ha-255d2e4b-33
       valid_lft forever preferred_lft forever
    inet6 fe80::f816:3eff:fe25:5d7/64 scope link
       valid_lft forever preferred_lft forever
"""
    real = """\
27: ha-9c0b1e2f-4a: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default \
qlen 1000
    link/ether fa:16:3e:aa:bb:cc brd ff:ff:ff:ff:ff:ff
    inet 169.254.193.77/18 brd 169.254.255.255 scope global ha-9c0b1e2f-4a
       valid_lft forever preferred_lft forever
    inet 169.254.0.91/24 scope global ha-9c0b1e2f-4a
       valid_lft forever preferred_lft forever
    inet6 fe80::f816:3eff:feaa:bbcc/64 scope link
       valid_lft forever preferred_lft forever
"""
    # The first line differs (qlen): exact rejects it, a contains-style block does too.
    with pytest.raises(MatchError, match="line 1"):
        match(documented, real, "exact", page())
    documented = documented.replace("group default\n", "group default qlen 1000\n")
    bindings = match(documented, real, "lines", page())
    assert bindings.forward["port device"] == {"255d2e4b-33": "9c0b1e2f-4a"}
    assert bindings.forward["mac"] == {"fa:16:3e:25:05:d7": "fa:16:3e:aa:bb:cc"}
    assert bindings.forward["runtime address"] == {"169.254.192.1": "169.254.193.77"}
    # exact does not allow the real output's extra address lines.
    with pytest.raises(MatchError):
        match(documented, real, "exact", page())


def test_vrrp_advertisements_bind_router_id_and_free_timestamps() -> None:
    documented = (
        "16:50:16.857294 IP 169.254.192.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 1, prio 50, "
        "authtype none, intvl 2s, length 20\n"
    ) * 2
    real = (
        "21:02:11.000001 IP 169.254.200.9 > 224.0.0.18: VRRPv2, Advertisement, vrid 91, prio 50, "
        "authtype none, intvl 2s, length 20\n"
        "21:02:13.000410 IP 169.254.200.9 > 224.0.0.18: VRRPv2, Advertisement, vrid 91, prio 50, "
        "authtype none, intvl 2s, length 20\n"
    )
    bindings = match(documented, real, "exact", page())
    assert bindings.forward["vrid"] == {"1": "91"}
    # Once vrid 1 means 91 on this page, VR_1 must be VR_91.
    match("VR_1", "VR_91", "exact", bindings)
    with pytest.raises(MatchError):
        match("VR_1", "VR_92", "exact", bindings)
    # The multicast group is not a variable.
    with pytest.raises(MatchError):
        match(documented, real.replace("224.0.0.18", "224.0.0.19"), "exact", page())


def test_state_change_log_lines_free_their_time_and_process_id_but_not_the_state() -> None:
    documented = (
        "2026-11-23 21:40:12.218 INFO 10512 7a46dba8-8846-498c-9e10-588664558473: "
        "Detected state change to: primary"
    )
    real = (
        "2026-12-04 19:04:55.454 INFO 1289 24841577-af1f-4a44-b486-268c282e9cd3: "
        "Detected state change to: primary"
    )
    match(documented, real, "exact", page())
    with pytest.raises(MatchError):
        match(documented, real.replace("primary", "backup"), "exact", page())
    with pytest.raises(MatchError):
        match(documented, real.replace("INFO", "ERROR"), "exact", page())


def test_ellipsis_skips_lines_in_exact_mode() -> None:
    match("first\n...\nlast", "first\nx\ny\nlast", "exact", page())
    with pytest.raises(MatchError):
        match("first\n...\nlast", "first\nx\ny\nlast but one", "exact", page())


EXCLUDED = """\
    virtual_ipaddress_excluded {
        192.168.1.1/24 dev qr-8de3e172-53 no_track
        203.0.113.102/32 dev qg-374587d7-2a no_track
        203.0.113.161/24 dev qg-374587d7-2a no_track
    }
"""


def test_same_lines_takes_a_file_sorted_by_real_values_but_leaves_nothing_out() -> None:
    # Neutron sorts the addresses: with the real ones, the floating IP comes after the gateway.
    real = EXCLUDED.replace("203.0.113.102/32", "X").replace("203.0.113.161/24", "203.0.113.110/24")
    real = real.replace("X", "203.0.113.139/32").replace("qr-8de3e172-53", "qr-49783e86-0d")
    real_lines = real.splitlines()
    real_lines[2], real_lines[3] = real_lines[3], real_lines[2]
    real = "\n".join(real_lines).replace("qg-374587d7-2a", "qg-a59b818c-a1")
    bindings = match(EXCLUDED, real, "same-lines", page())
    assert bindings.forward["runtime address"] == {
        "203.0.113.102": "203.0.113.139",
        "203.0.113.161": "203.0.113.110",
    }
    with pytest.raises(MatchError, match="5 documented lines, 6 real lines"):
        match(EXCLUDED, real + "\n    }", "same-lines", page())
    with pytest.raises(MatchError, match="5 documented lines, 4 real lines"):
        match(
            EXCLUDED,
            real.replace("        203.0.113.139/32 dev qg-a59b818c-a1 no_track\n", ""),
            "same-lines",
            page(),
        )
    with pytest.raises(MatchError, match="documented line 1 has no counterpart"):
        match(EXCLUDED, real.replace("virtual_ipaddress_excluded", "virtual_ipaddress"), "same-lines", page())
    with pytest.raises(MatchError, match="no counterpart"):
        match(EXCLUDED, real.replace("qr-49783e86-0d no_track", "qr-49783e86-0d"), "same-lines", page())


def test_contains_any_order_but_each_line_once() -> None:
    match("b\na", "a\nb\nc", "contains", page())
    with pytest.raises(MatchError):
        match("a\na", "a\nb", "contains", page())


# --- tables -------------------------------------------------------------------


def test_table_parsing_joins_continuation_rows_and_ignores_padding() -> None:
    segments = parse(
        "Created a new router:\n"
        "+-----------+------------+\n| Field | Value |\n+---+---+\n"
        "| fixed_ips | ip_address='10.0.0.5' |\n|           | subnet='x'        |\n"
        "| name      | r    |\n+-----------+------------+\n"
    )
    assert segments[0] == "Created a new router:"
    table = segments[1]
    assert isinstance(table, Table)
    assert table.header == ["Field", "Value"]
    assert table.rows == [["fixed_ips", "ip_address='10.0.0.5'\nsubnet='x'"], ["name", "r"]]


def test_unordered_table_accepts_reordered_rows_and_normalises_borders() -> None:
    bindings = match(DOCUMENTED_AGENTS, REAL_AGENTS_REORDERED, "unordered-table", page())
    assert bindings.forward["uuid"]["29afe014-273d-42f3-ad71-8a226e40dea6"].endswith("0a")


def test_ordered_table_rejects_reordered_rows() -> None:
    with pytest.raises(MatchError, match="not in this order"):
        match(DOCUMENTED_AGENTS, REAL_AGENTS_REORDERED, "table", page())


def test_unordered_table_rejects_reordered_but_changed_rows() -> None:
    with pytest.raises(MatchError, match="no counterpart"):
        match(DOCUMENTED_AGENTS, REAL_AGENTS_REORDERED_AND_CHANGED, "unordered-table", page())


def test_table_rejects_missing_rows_and_other_columns() -> None:
    one_row = "\n".join(REAL_AGENTS_REORDERED.splitlines()[:4] + REAL_AGENTS_REORDERED.splitlines()[5:])
    with pytest.raises(MatchError, match="2 documented rows, 1 real rows"):
        match(DOCUMENTED_AGENTS, one_row, "unordered-table", page())
    with pytest.raises(MatchError, match="columns differ"):
        match(
            DOCUMENTED_AGENTS,
            REAL_AGENTS_REORDERED.replace("HA State", "HA Mode "),
            "unordered-table",
            page(),
        )


def test_table_binding_must_agree_with_earlier_outputs_on_the_page() -> None:
    bindings = match(
        "| 29afe014-273d-42f3-ad71-8a226e40dea6 |",
        "| 5c1e3f1a-0000-4000-8000-00000000000b |",
        "lines",
        page(),
    )
    # network1's agent was bound to ...0b, but the real ...0b row says network2.
    with pytest.raises(MatchError):
        match(DOCUMENTED_AGENTS, REAL_AGENTS_REORDERED, "unordered-table", bindings)


def test_field_value_runtime_fields_match_anything() -> None:
    documented = (
        "+-----------------+----------------------+\n| Field | Value |\n+--+--+\n"
        "| created_at | 2015-08-10T15:06:24Z |\n| revision_number | 1 |\n"
        "| provider:segmentation_id | 1 |\n| name | demo-net |\n+--+--+\n"
    )
    real = (
        "+--+--+\n| Field | Value |\n+--+--+\n| created_at | 2026-11-23T20:40:01Z |\n"
        "| revision_number | 4 |\n| provider:segmentation_id | 517 |\n| name | demo-net |\n+--+--+\n"
    )
    match(documented, real, "table", page())
    with pytest.raises(MatchError):
        match(documented, real.replace("demo-net", "demo-net2"), "table", page())


def test_text_around_tables_is_compared() -> None:
    documented = "Created a new network:\n" + DOCUMENTED_AGENTS
    with pytest.raises(MatchError, match="no counterpart"):
        match(documented, "Created a new port:\n" + REAL_AGENTS_REORDERED, "unordered-table", page())


def test_project_id_binds_to_noauth_project() -> None:
    bindings = match(
        "HA network tenant 443cd1596b2e46d49965750771ebbfe1",
        "HA network tenant fake_project_id",
        "exact",
        page(),
    )
    assert bindings.forward["project id"] == {"443cd1596b2e46d49965750771ebbfe1": "fake_project_id"}


def test_none_mode_compares_nothing_and_bad_mode_is_refused() -> None:
    assert match("anything", "else", "none", page()).forward == {}
    with pytest.raises(ValueError):
        match("a", "a", "fuzzy", page())


def test_readable_diff_shows_expected_with_bound_values() -> None:
    bindings = match(f"qrouter-{ROUTER}", f"qrouter-{REAL_ROUTER}", "exact", page())
    diff = readable_diff(f"qrouter-{ROUTER}\nqdhcp-x", f"qrouter-{REAL_ROUTER}\nqdhcp-y", bindings)
    assert f" qrouter-{REAL_ROUTER}" in diff
    assert "-qdhcp-x" in diff and "+qdhcp-y" in diff


def test_as_documented_turns_real_values_back() -> None:
    bindings = match(
        f"qrouter-{ROUTER} 203.0.113.112", f"qrouter-{REAL_ROUTER} 203.0.113.161", "exact", page()
    )
    assert bindings.as_documented(f"ip {REAL_ROUTER} 203.0.113.161 203.0.113.1610") == (
        f"ip {ROUTER} 203.0.113.112 203.0.113.1610"
    )
    # A VRID turns back where VRIDs stand, not in a prefix length; devices follow their port's id.
    bindings = match(f"vrid 91 port {ROUTER}", f"vrid 24 port {REAL_ROUTER}", "exact", page())
    real = f"inet 169.254.0.24/24 vrid 24 qr-{REAL_ROUTER[:11]}"
    assert bindings.as_documented(real) == f"inet 169.254.0.24/24 vrid 91 qr-{ROUTER[:11]}"


def test_vxlan_header_ports_vni_and_namespace_ids() -> None:
    documented = "16:50:16.857294 IP 10.0.1.21.52301 > 10.0.1.22.4789: VXLAN, flags [I] (0x08), vni 2"
    real = "20:27:01.188101 IP 10.0.1.21.38657 > 10.0.1.22.4789: VXLAN, flags [I] (0x08), vni 1982"
    bindings = match(documented, real, "exact", page())
    assert bindings.forward["vni"] == {"2": "1982"}
    # The tunnel endpoints are host addresses: literal.
    with pytest.raises(MatchError):
        match(documented, real.replace("10.0.1.22.4789", "10.0.1.23.4789"), "exact", page())
    match(f"qrouter-{ROUTER} (id: 1)", f"qrouter-{REAL_ROUTER} (id: 4)", "exact", page())


def test_device_names_and_link_local_addresses_follow_their_port_and_mac() -> None:
    bindings = match(
        "| 255d2e4b-33ba-4166-a13f-6531122641fe | fa:16:3e:25:05:d7 |",
        "| 2bc305a7-4f00-4c55-a1d2-3e4f5a6b7c8d | fa:16:3e:ad:08:55 |",
        "exact",
        page(),
    )
    match(
        "ha-255d2e4b-33: inet6 fe80::f816:3eff:fe25:5d7/64",
        "ha-2bc305a7-4f: inet6 fe80::f816:3eff:fead:855/64",
        "exact",
        bindings,
    )
    with pytest.raises(MatchError):
        match("ha-255d2e4b-33", "ha-99999999-4f", "exact", bindings)


def test_userspace_datapath_flags_and_qdisc_are_accepted_but_state_is_not() -> None:
    documented = "12: qr-8de3e172-53: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state X"
    real = "16: qr-e1332242-67: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1450 qdisc pfifo_fast state X"
    match(documented, real, "exact", page())
    with pytest.raises(MatchError):
        match(documented, real.replace(",UP,LOWER_UP", ""), "exact", page())
    with pytest.raises(MatchError):
        match(documented, real.replace("pfifo_fast", "htb"), "exact", page())


def test_interchangeable_rows_keep_both_bindings_until_a_later_output_decides() -> None:
    from l3ha_guide.console.matcher import match_all

    documented = (
        "+----+------+\n| ID | Name |\n+----+------+\n"
        "| 255d2e4b-33ba-4166-a13f-6531122641fe | HA port |\n"
        "| 90d1a59f-b122-459d-a94a-162a104de629 | HA port |\n+----+------+\n"
    )
    real = (
        "+----+------+\n| ID | Name |\n+----+------+\n"
        "| 044c8399-5b00-4000-8000-000000000001 | HA port |\n"
        "| b4192b5c-9700-4000-8000-000000000002 | HA port |\n+----+------+\n"
    )
    candidates = match_all(documented, real, "unordered-table", [page()])
    assert len(candidates) == 2
    # network1's ha- device tells which real port the first documented port is.
    decided = match_all("ha-255d2e4b-33", "ha-b4192b5c-97", "exact", candidates)
    assert len(decided) == 1
    assert decided[0].forward["uuid"]["90d1a59f-b122-459d-a94a-162a104de629"].startswith("044c8399")
    with pytest.raises(MatchError):
        match_all("ha-255d2e4b-33", "ha-ffffffff-97", "exact", candidates)


def test_ping_summary_may_say_pipe() -> None:
    documented = "rtt min/avg/max/mdev = 0.929/1.538/3.180/0.187 ms"
    match(documented, "rtt min/avg/max/mdev = 0.905/361.994/1236.647/512.086 ms, pipe 2", "exact", page())
    with pytest.raises(MatchError):
        match(documented, "rtt min/avg/max/mdev = 0.905/361.994/1236.647/512.086 ms, lost 2", "exact", page())


def test_the_manuals_object_names_carry_the_prefix_in_commands_and_outputs() -> None:
    bindings = Bindings(name_prefix="ci-")
    command, unbound = bindings.substitute("openstack router add subnet demo-router demo-subnet")
    assert command == "openstack router add subnet ci-demo-router ci-demo-subnet" and not unbound
    # Another object of the same kind (a number after the name) carries it too; other words do not.
    assert bindings.substitute("openstack router create --ha demo-router2")[0].endswith(" ci-demo-router2")
    assert bindings.substitute("openstack router delete legacy-router")[0].endswith(" ci-legacy-router")
    assert bindings.substitute(". /root/demo-openrc && openstack project show demo")[0].endswith("show demo")
    documented = "| name | demo-router |\n| project_id | 443cd1596b2e46d49965750771ebbfe1 |"
    real = "| name | ci-demo-router |\n| project_id | 0123456789abcdef0123456789abcdef |"
    match(documented, real, "table", bindings)
    with pytest.raises(MatchError):  # the guide's own name is another router's on that cloud
        match(documented, real.replace("ci-demo-router", "demo-router"), "table", bindings)
    assert bindings.as_documented("Added interface to router ci-demo-router.") == (
        "Added interface to router demo-router."
    )
    # Without a prefix (the embedded lab), the names are literal, as written.
    match(documented, real.replace("ci-demo-router", "demo-router"), "table", Bindings())
    with pytest.raises(MatchError):
        match(documented, real, "table", Bindings())


def test_ipv6_addresses_neutron_picks_bind_within_their_prefix_and_gateways_are_literal() -> None:
    documented = "2001:db8:1::2c7/64 dev qg-374587d7-2a\nfrom 2001:db8::f816:3eff:fe5b:721e: icmp_seq=1"
    real = "2001:db8:1::38c/64 dev qg-2a5dd55f-7c\nfrom 2001:db8::f816:3eff:fee0:64a4: icmp_seq=1"
    bindings = match(documented, real, "exact", page())
    # The binding holds: the same documented address must be the same real one later on.
    match("via 2001:db8:1::2c7", "via 2001:db8:1::38c", "exact", bindings)
    with pytest.raises(MatchError):
        match("via 2001:db8:1::2c7", "via 2001:db8:1::3", "exact", bindings)
    # An address of the project prefix cannot stand for one of the external prefix.
    with pytest.raises(MatchError):
        match("inet6 2001:db8::f816:3eff:fe5b:721e/64", "inet6 2001:db8:1::f816/64", "exact", page())
    # The subnets' gateways are the reader's (or Neutron's documented default): literal.
    for gateway, other in (("2001:db8:1::1", "2001:db8:1::9"), ("2001:db8::", "2001:db8::1")):
        with pytest.raises(MatchError):
            match(f"::/0 via {gateway} dev qg", f"::/0 via {other} dev qg", "exact", page())


def test_lifetimes_of_addresses_and_routes_match_any_count_of_seconds() -> None:
    documented = "valid_lft 86394sec preferred_lft 14394sec\nproto ra metric 1024 expires 297sec hoplimit 64"
    real = "valid_lft 86211sec preferred_lft 14211sec\nproto ra metric 1024 expires 12sec hoplimit 64"
    match(documented, real, "exact", page())
    with pytest.raises(MatchError):
        match("valid_lft forever", "valid_lft 86211sec", "exact", page())
