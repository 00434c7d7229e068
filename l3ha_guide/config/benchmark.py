"""Timings of config validation in fresh processes, next to stock `oslo-config-validator`.

`measure()` is meant for `l3ha-guide bench` (section "config"). Ours validates every block of
the manual and every extracted file in one process. Stock `oslo-config-validator` runs once per
extracted file: with `--opt-data` (our JSON; names only) and, when the `tox -e schema`
environment exists, with `--namespace` (imports neutron, as its documentation suggests).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.bench.measure import summarise, time_runs
from l3ha_guide.config.extract import EXAMPLES_DIR, rendered_files
from l3ha_guide.config.schema import config_schemas

# The stock validator with neutron importable: the environment `tox -e schema` builds.
SCHEMA_ENV_VALIDATOR = PROJECT_ROOT / ".tox" / "schema" / "bin" / "oslo-config-validator"
STOCK_VALIDATOR = Path(sys.executable).with_name("oslo-config-validator")


def _run(command: list[str]) -> None:
    # Exit status 1 only means "found problems"; anything else is a broken run.
    completed = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT)
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"{command[0]} failed ({completed.returncode}): {completed.stderr[-500:]}")


def extracted_ini_files() -> list[tuple[Path, str]]:
    """(extracted file, its JSON schema) for every extracted file that has a schema."""
    schemas = config_schemas()
    pairs = []
    for relative in rendered_files():
        path = EXAMPLES_DIR / relative
        project = schemas.project_of(path.as_posix())
        relative_to_etc = project.relative_path_of(path.as_posix()) if project else None
        if project and relative_to_etc in project.index:
            pairs.append((path, str(project.directory / project.index[relative_to_etc])))
    return pairs


def namespaces_of(json_schema: str) -> list[str]:
    return json.loads(Path(json_schema).read_text())["generator_options"]["namespace"]


def measure(runs: int = 3) -> dict[str, object]:
    files = extracted_ini_files()
    ours = [sys.executable, "-m", "l3ha_guide.cli", "validate", "source", "examples"]
    results: dict[str, object] = {
        "files": len(files),
        "ours_all_blocks_and_files": summarise(time_runs(lambda: _run(ours), runs)),
    }

    def stock_opt_data() -> None:
        for path, json_schema in files:
            _run([str(STOCK_VALIDATOR), "--opt-data", json_schema, "--input-file", str(path)])

    results["stock_opt_data_all_files"] = summarise(time_runs(stock_opt_data, runs))
    if SCHEMA_ENV_VALIDATOR.exists():

        def stock_namespace() -> None:
            for path, json_schema in files:
                options = [part for name in namespaces_of(json_schema) for part in ("--namespace", name)]
                _run([str(SCHEMA_ENV_VALIDATOR), *options, "--input-file", str(path)])

        results["stock_namespace_all_files"] = summarise(time_runs(stock_namespace, runs))
        ratio = (
            results["stock_namespace_all_files"]["median"] / results["ours_all_blocks_and_files"]["median"]
        )
        results["namespace_over_ours"] = round(ratio, 1)
    else:
        results["stock_namespace_all_files"] = (
            f"skipped: {SCHEMA_ENV_VALIDATOR} missing (run `tox -e schema`)"
        )
    return results


if __name__ == "__main__":
    print(json.dumps(measure(runs=int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=2))
