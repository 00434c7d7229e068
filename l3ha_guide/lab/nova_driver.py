"""The lab's Nova virt driver: each instance is a network namespace on its compute node.

nova-compute loads it through `compute_driver = lab_namespace.NamespaceDriver`
(nova 34.0.0 imports drivers only as `nova.virt.<name>`, so the launcher,
`l3ha_guide.lab.nova_compute`, registers this module under that name).
Everything but the guest is Nova's: the scheduler, Placement, the claims, the
port binding and the external events. The driver does what the libvirt driver
does for a port of the Open vSwitch agent:

- plugs each VIF with os-vif (same plugin, same bridge and hybrid qbr/qvb/qvo devices);
- creates the instance's end of the link, the `tap` device a hypervisor would
  create (here a veth pair whose peer is `eth0` inside the namespace), and puts
  it on br-int with libvirt's external IDs (or on the qbr bridge when hybrid);
- waits for Neutron's `network-vif-plugged` events within `vif_plugging_timeout`
  and fails the boot as libvirt does when they do not come.

The "guest" is only a DHCP client in the namespace (busybox udhcpc) that takes
the address from Neutron's dnsmasq; no image bytes are booted.
"""

from __future__ import annotations

import os
import subprocess

# Imported inside nova-compute only: this module is not part of l3ha_guide's import graph.
import os_vif
from nova import exception
from nova.compute import power_state
from nova.network import os_vif_util
from nova.virt import fake
from oslo_config import cfg
from oslo_log import log as logging

from l3ha_guide.topology import instance_device

CONF = cfg.CONF
LOG = logging.getLogger(__name__)
NETNS_DIR = "/run/netns"
UDHCPC_SCRIPT = "/etc/udhcpc/default.script"


def run(*command: str) -> str:
    """Run a command as the hypervisor would (nova-compute is root in the lab)."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise exception.NovaException(f"{' '.join(command)}: {result.stderr.strip()}")
    return result.stdout


def tap_name(vif) -> str:
    return vif["devname"] or ("tap" + vif["id"])[:14]


class NamespaceDriver(fake.FakeDriverWithoutFakeNodes):
    """A single-node driver whose instances are network namespaces."""

    def init_host(self, host):
        super().init_host(host)
        # The fake keeps its instances in memory; the namespaces outlive a restart.
        from nova import context as nova_context
        from nova import objects

        names = set(os.listdir(NETNS_DIR)) if os.path.isdir(NETNS_DIR) else set()
        admin = nova_context.get_admin_context()
        for instance in objects.InstanceList.get_by_host(admin, host):
            if instance.name in names:
                self.instances[instance.uuid] = fake.FakeInstance(
                    instance.name, power_state.RUNNING, instance.uuid
                )

    def get_host_uptime(self):
        return run("uptime")

    def spawn(self, context, instance, image_meta, injected_files, admin_password, allocations,
              network_info=None, block_device_info=None, power_on=True, accel_info=None):  # fmt: skip
        network_info = network_info or []
        # As the libvirt driver: wait for the ports that are not ACTIVE yet.
        events = [
            ("network-vif-plugged", vif["id"]) for vif in network_info if vif.get("active", True) is False
        ]
        try:
            with self.virtapi.wait_for_instance_event(
                instance, events, timeout=CONF.vif_plugging_timeout, error_callback=self._failed_event
            ):
                self.plug_vifs(instance, network_info)
        except exception.InstanceEventTimeout:
            if CONF.vif_plugging_is_fatal:
                ports = ", ".join(port for _, port in events)
                message = (
                    f"Virtual Interface creation failed: no network-vif-plugged event from Neutron for "
                    f"port {ports} within vif_plugging_timeout ({CONF.vif_plugging_timeout} s)"
                )
                LOG.error(message, instance=instance)
                self._remove(instance, network_info)
                raise exception.VirtualInterfaceCreateException(message=message) from None
        except Exception:
            self._remove(instance, network_info)
            raise
        super().spawn(context, instance, image_meta, injected_files, admin_password, allocations,
                      network_info, block_device_info, power_on, accel_info)  # fmt: skip
        self._start_guest(instance, network_info)

    def _failed_event(self, event_name, instance):
        LOG.error("Neutron reported failure on event %s", event_name, instance=instance)
        if CONF.vif_plugging_is_fatal:
            raise exception.VirtualInterfaceCreateException()

    def plug_vifs(self, instance, network_info):
        namespace = instance.name
        if not os.path.exists(os.path.join(NETNS_DIR, namespace)):
            run("ip", "netns", "add", namespace)
            run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up")
        instance_info = os_vif_util.nova_to_osvif_instance(instance)
        for index, vif in enumerate(network_info):
            os_vif.plug(os_vif_util.nova_to_osvif_vif(vif), instance_info)
            self._create_tap(instance, vif, namespace, instance_device(index))

    def _create_tap(self, instance, vif, namespace: str, guest_device: str) -> None:
        """The hypervisor's part: the tap device, attached as libvirt attaches it."""
        tap = tap_name(vif)
        if subprocess.run(["ip", "link", "show", tap], capture_output=True).returncode == 0:
            return
        run("ip", "link", "add", tap, "type", "veth", "peer", "name", guest_device, "netns", namespace)
        mtu = str(vif["network"]["meta"].get("mtu") or 1500)
        # The userspace datapath forwards partial checksums; the guest's DHCP client drops them.
        for device, command in ((tap, ()), (guest_device, ("ip", "netns", "exec", namespace))):
            run(*command, "ethtool", "-K", device, "tx", "off")
            run(*command, "ip", "link", "set", device, "mtu", mtu)
        run("ip", "netns", "exec", namespace, "ip", "link", "set", guest_device, "address", vif["address"])
        if vif.is_hybrid_plug_enabled():
            run("ip", "link", "set", tap, "master", "qbr" + vif["id"][:11])
        else:
            # What libvirt does for <virtualport type='openvswitch'>.
            run(
                "ovs-vsctl", "--", "--if-exists", "del-port", tap, "--",
                "add-port", vif["network"]["bridge"], tap, "--",
                "set", "Interface", tap,
                f"external-ids:iface-id={vif['ovs_interfaceid'] or vif['id']}",
                "external-ids:iface-status=active",
                f"external-ids:attached-mac={vif['address']}",
                f"external-ids:vm-uuid={instance.uuid}",
            )  # fmt: skip
        run("ip", "link", "set", tap, "up")
        run("ip", "netns", "exec", namespace, "ip", "link", "set", guest_device, "up")

    def _start_guest(self, instance, network_info) -> None:
        """The guest's only service: DHCP on its first interface, in the background like an OS would."""
        if not network_info:
            return
        namespace = instance.name
        os.makedirs(f"/etc/netns/{namespace}", exist_ok=True)
        # `ip netns exec` mounts this over /etc/resolv.conf, so the DHCP script writes the guest's own.
        open(f"/etc/netns/{namespace}/resolv.conf", "a").close()
        with open(os.path.join(CONF.instances_path, f"{namespace}.console.log"), "ab") as log:
            subprocess.Popen(
                # A discover lost while the network settles is sent again after 1 s (-T), not 3.
                ["ip", "netns", "exec", namespace, "udhcpc", "-f", "-T", "1", "-i", instance_device(),
                 "-s", UDHCPC_SCRIPT, "-x", f"hostname:{instance.hostname}"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip

    def _remove(self, instance, network_info) -> None:
        namespace = instance.name
        pids = subprocess.run(["ip", "netns", "pids", namespace], capture_output=True, text=True).stdout
        for pid in pids.split():
            subprocess.run(["kill", pid], capture_output=True)
        instance_info = os_vif_util.nova_to_osvif_instance(instance)
        for vif in network_info:
            tap = tap_name(vif)
            subprocess.run(["ovs-vsctl", "--if-exists", "del-port", tap], capture_output=True)
            subprocess.run(["ip", "link", "del", tap], capture_output=True)
            try:
                os_vif.unplug(os_vif_util.nova_to_osvif_vif(vif), instance_info)
            except Exception:  # unplugging is best effort, as in libvirt's cleanup
                LOG.warning("Could not unplug %s", vif["id"], instance=instance)
        subprocess.run(["ip", "netns", "delete", namespace], capture_output=True)

    def destroy(self, context, instance, network_info, block_device_info=None, destroy_disks=True,
                destroy_secrets=True):  # fmt: skip
        self._remove(instance, network_info or [])
        super().destroy(context, instance, network_info, block_device_info, destroy_disks, destroy_secrets)
