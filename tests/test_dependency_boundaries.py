"""Optional parts load only where they are used: each check imports in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

from l3ha_guide.cli import SUBCOMMANDS

# Makes `import NAME` fail as if the package were not installed, for the names in BLOCKED.
BLOCKER = """
import sys
class _Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.partition('.')[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, _Blocker())
"""


def loaded_modules(code: str, blocked: tuple[str, ...] = ()) -> set[str]:
    """Top-level and l3ha_guide module names loaded after running `code` in a fresh interpreter."""
    script = f"BLOCKED = {blocked!r}\n{BLOCKER}\n{code}\nimport json; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    names = json.loads(result.stdout.strip().splitlines()[-1])
    return {name for name in names if name.startswith("l3ha_guide")} | {name.split(".")[0] for name in names}


def test_the_lab_package_imports_nothing_optional() -> None:
    loaded = loaded_modules("import l3ha_guide.lab", blocked=("testinfra", "neutron", "pymysql"))
    assert not {"testinfra", "neutron", "pymysql", "openstackclient", "sphinx"} & loaded
    assert "l3ha_guide.lab.lab" not in loaded  # loaded on first use of `Lab`


def test_matcher_runner_and_console_status_load_no_sphinx() -> None:
    code = "import l3ha_guide.console.matcher, l3ha_guide.console.runner, l3ha_guide.console.command"
    loaded = loaded_modules(code)
    assert "l3ha_guide.console.status" in loaded
    assert not {"sphinx", "docutils", "testinfra"} & loaded


def test_help_loads_no_subcommand_module() -> None:
    code = "from l3ha_guide.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    loaded = loaded_modules(code)
    assert not {module for module, _help in SUBCOMMANDS.values()} & loaded


def test_a_subcommand_loads_only_its_own_module() -> None:
    code = "from l3ha_guide.cli import main\nmain(['i18n', 'stats'])"
    loaded = loaded_modules(code)
    assert "l3ha_guide.i18n.command" in loaded
    assert not {"l3ha_guide.lab.command", "l3ha_guide.bench", "l3ha_guide.console.command"} & loaded


def test_the_pytest_plugin_loads_without_testinfra() -> None:
    code = "import l3ha_guide.lab.pytest_plugin as plugin\nplugin.pytest_configure(None)"
    assert "testinfra" not in loaded_modules(code, blocked=("testinfra",))


def test_a_missing_extra_is_named_without_a_traceback() -> None:
    code = (
        "from l3ha_guide.cli import main\n"
        "import contextlib, io\n"
        "err = io.StringIO()\n"
        "with contextlib.redirect_stderr(err):\n"
        "    status = main(['lab', 'up'])\n"
        "assert status == 1, status\n"
        "message = err.getvalue()\n"
        "assert message.count('\\n') == 1 and \"pip install 'l3ha-guide[lab]'\" in message, message"
    )
    loaded_modules(code, blocked=("neutron",))
