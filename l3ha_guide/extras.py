"""Optional dependencies, named by the extra that installs them.

The core install (`pip install l3ha-guide`) builds the manual, validates
config blocks and checks catalogs. The lab, the tests and the benchmark need
more; each entry point that needs an extra calls `require(extra, purpose)`
before importing it, and a module that is missing all the same is turned
into the same hint by the CLI (`hint_for_missing`), never a traceback.
"""

from __future__ import annotations

from importlib.util import find_spec

from l3ha_guide.errors import UserError

# extra -> the top-level modules it provides (as imported, not as distributed).
EXTRAS: dict[str, tuple[str, ...]] = {
    "lab": ("neutron", "openstackclient", "pymysql"),
    "test": ("pytest", "testinfra", "paramiko", "playwright"),
    "bench": ("matplotlib",),
    "preview": ("sphinx_autobuild",),
    "pdf": ("playwright",),
}


def install_hint(extra: str) -> str:
    return f"pip install 'l3ha-guide[{extra}]'"


def _installed(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):  # a broken or blocked package counts as missing
        return False


def missing_modules(extra: str) -> list[str]:
    return [module for module in EXTRAS[extra] if not _installed(module)]


def require(extra: str, purpose: str) -> None:
    """Raise a UserError naming the extra when one of its modules is not installed."""
    missing = missing_modules(extra)
    if missing:
        raise UserError(
            f"{purpose} needs the '{extra}' extra (missing: {', '.join(missing)}): {install_hint(extra)}"
        )


def hint_for_missing(module_name: str) -> str | None:
    """The install hint for a module that an extra provides, or None for any other module."""
    top = module_name.partition(".")[0]
    for extra, modules in EXTRAS.items():
        if top in modules:
            return (
                f"the Python package '{top}' is missing; it comes with the '{extra}' extra: "
                + install_hint(extra)
            )
    return None
