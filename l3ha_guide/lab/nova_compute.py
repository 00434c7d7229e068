"""nova-compute with the lab's virt driver: nova's own entry point, the driver registered first.

Run on a compute node as `python -m l3ha_guide.lab.nova_compute --config-file /etc/nova/nova.conf`.
"""

import sys

import nova.cmd.compute  # first: it chooses nova's concurrency backend before anything imports nova

from l3ha_guide.lab import nova_driver

# nova loads `compute_driver = lab_namespace.NamespaceDriver` as nova.virt.lab_namespace.
sys.modules["nova.virt.lab_namespace"] = nova_driver

if __name__ == "__main__":
    nova.cmd.compute.main()
