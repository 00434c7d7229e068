"""Regenerate the committed option schema from neutron's own generator configs (`tox -e schema`).

The neutron wheel does not ship `etc/oslo-config-generator/*.conf`, so the pinned sdist is
downloaded for them; `oslo-config-generator --format json` then runs once per file inside the
tox environment that has neutron installed. Only the standard library is imported here, so the
module runs without installing this project.
"""

from __future__ import annotations

import configparser
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

NEUTRON_RELEASE = "29.0.0"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / f"neutron-{NEUTRON_RELEASE}"
# Maps each target path below etc/neutron/ to its JSON file; the validator reads only this.
INDEX_FILE = "index.json"
# Options of the keystoneauth plugins a section's `auth_type` may name ([keystone_authtoken]'s
# username, password, auth_url...): registered only when a service loads the plugin, so no
# generator config lists them.
AUTH_PLUGINS_FILE = "auth-plugins.json"
AUTH_PLUGINS = ("password",)


def phase(message: str, began: float) -> None:
    print(f"schema: {message} ({time.monotonic() - began:.1f} s)", file=sys.stderr, flush=True)


def download_sdist(workdir: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-binary",
            ":all:",
            "--no-deps",
            "--dest",
            str(workdir),
            f"neutron=={NEUTRON_RELEASE}",
        ],
        check=True,
    )
    (archive,) = workdir.glob(f"neutron-{NEUTRON_RELEASE}.tar.gz")
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if "/etc/oslo-config-generator/" in m.name]
        tar.extractall(workdir, members=members, filter="data")
    return workdir / f"neutron-{NEUTRON_RELEASE}" / "etc" / "oslo-config-generator"


def target_of(generator_conf: Path) -> str:
    """`etc/neutron/plugins/ml2/ml2_conf.ini.sample` -> `plugins/ml2/ml2_conf.ini`."""
    parser = configparser.ConfigParser(strict=False)
    parser.read(generator_conf)
    output = parser.get("DEFAULT", "output_file")
    return output.removeprefix("etc/neutron/").removeprefix("etc/").removesuffix(".sample")


def make_reproducible(json_file: Path, conf_name: str) -> None:
    """Drop the temporary paths the generator records, so a rerun changes nothing."""
    data = json.loads(json_file.read_text())
    data["generator_options"]["config_file"] = [f"etc/oslo-config-generator/{conf_name}"]
    data["generator_options"]["output_file"] = json_file.name
    json_file.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def generate(generator_dir: Path, out_dir: Path) -> dict[str, str]:
    generator = shutil.which("oslo-config-generator")
    if generator is None:
        raise SystemExit("schema: oslo-config-generator not found; run through `tox -e schema`")
    index: dict[str, str] = {}
    # The generator configs are named after the file they describe: neutron.conf, l3_agent.ini, ...
    for conf in sorted(path for path in generator_dir.iterdir() if path.is_file()):
        json_name = conf.name + ".json"
        subprocess.run(
            [
                generator,
                "--config-file",
                str(conf),
                "--format",
                "json",
                "--output-file",
                str(out_dir / json_name),
            ],
            check=True,
        )
        make_reproducible(out_dir / json_name, conf.name)
        index[target_of(conf)] = json_name
    return index


def auth_plugin_options(out_dir: Path) -> None:
    """Each plugin's options, as oslo-config-generator's JSON records them, from keystoneauth1."""
    from keystoneauth1 import loading
    from oslo_config import cfg, generator

    conf = cfg.ConfigOpts()
    generator.register_cli_opts(conf)
    conf(["--namespace", "keystoneauth1"])
    plugins = {
        plugin: [
            # `_build_entry` is the generator's own record of an option; its JSON output uses it.
            generator._build_entry(option, "keystone_authtoken", f"keystoneauth1.{plugin}", conf)
            for option in loading.get_auth_plugin_conf_options(plugin)
        ]
        for plugin in AUTH_PLUGINS
    }
    (out_dir / AUTH_PLUGINS_FILE).write_text(
        json.dumps(plugins, indent=1, sort_keys=True, default=str) + "\n"
    )


def main() -> None:
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="neutron-sdist-") as tmp:
        generator_dir = download_sdist(Path(tmp))
        phase(f"downloaded the neutron {NEUTRON_RELEASE} sdist", began)
        if SCHEMA_DIR.exists():
            shutil.rmtree(SCHEMA_DIR)
        SCHEMA_DIR.mkdir(parents=True)
        index = generate(generator_dir, SCHEMA_DIR)
        auth_plugin_options(SCHEMA_DIR)
    (SCHEMA_DIR / INDEX_FILE).write_text(json.dumps(index, indent=2, sort_keys=True) + "\n")
    phase(f"wrote {len(index)} schemas to {SCHEMA_DIR}", began)


if __name__ == "__main__":
    main()
