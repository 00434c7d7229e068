"""The embedded lab: the scenario's hosts as Linux namespaces on this machine, with real OpenStack.

Topology: examples/lab/topology.yaml (controller, network1, network2, compute1,
external as the upstream router 203.0.113.1, and the instance, which Nova boots).

Python API (the CLI `l3ha-guide lab ...`, the tests and the benchmark use it):

    from l3ha_guide.lab import Lab, ensure_scenario, measure_failover, restore, up_with_scenario

    lab = Lab.load()                  # topology + state folder (.lab/ or $L3HA_LAB_DIR)
    lab.up()                          # hosts, fabric, OVS, sshd, then OpenStack; False if already up
    lab.up(hosts_only=True)           # without OpenStack
    lab.exec("network1", "ip netns")  # subprocess.CompletedProcess; `check=True` raises UserError
    lab.down()                        # ends every process, removes every namespace and device

    instance = ensure_scenario(lab)   # the manual's resources and demo-instance1, made if missing;
                                      # waits for one active and one standby L3 agent, the instance's
                                      # address from Neutron's DHCP and its floating IP answering
    instance = up_with_scenario(lab)  # both, the scenario begun while the agents start
    result = measure_failover(lab, "graceful" | "crash")
                                      # promotion time, floating IP outage, timeline of ping replies
    restore(lab, result)              # the old master back, active/standby again

testinfra: `testinfra.get_host("nsenter://network1")` for every lab host, once
`l3ha_guide.lab.testinfra_backend.register()` ran (pytest does it through the
package's `pytest11` entry point). Phase timings of the last `up` are in
`<state>/timings.json`.
"""

import importlib
from typing import Any

# Public name -> module that defines it; imported on first use (PEP 562), so
# `import l3ha_guide.lab` loads nothing optional and nothing it does not need.
_EXPORTS = {
    "FailoverResult": "l3ha_guide.lab.failover",
    "measure_failover": "l3ha_guide.lab.failover",
    "restore": "l3ha_guide.lab.failover",
    "Lab": "l3ha_guide.lab.lab",
    "Instance": "l3ha_guide.lab.scenario",
    "ensure_scenario": "l3ha_guide.lab.scenario",
    "up_with_scenario": "l3ha_guide.lab.scenario",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
