"""pytest plugin (entry point `pytest11`): registers the `nsenter://HOST` testinfra backend."""

from l3ha_guide.lab.testinfra_backend import register

register()
