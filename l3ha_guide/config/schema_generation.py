"""Regenerate the committed option schemas from the projects' own generator configs (`tox -e schema`).

Neutron's files, and nova.conf for the Compute settings the scenario needs (`[neutron]`). The
wheels do not ship the generator configs, so the pinned sdists are downloaded for them;
`oslo-config-generator --format json` then runs once per file inside the tox environment that
has both projects installed. Only the standard library is imported here (keystoneauth1 and
oslo.config come from that environment), so the module runs without installing this project.
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

SCHEMA_ROOT = Path(__file__).resolve().parent / "schemas"
# project -> (pinned release, folder of its generator configs in the sdist, configs to use or None for all)
PROJECTS = {
    "neutron": ("29.0.0", "etc/oslo-config-generator", None),
    "nova": ("34.0.0", "etc/nova", ("nova-config-generator.conf",)),
}
# Maps each target path below etc/<project>/ to its JSON file; the validator reads only this.
INDEX_FILE = "index.json"
# Options of the keystoneauth plugins a section's `auth_type` may name ([keystone_authtoken]'s
# username, password, auth_url...): registered only when a service loads the plugin, so no
# generator config lists them.
AUTH_PLUGINS_FILE = "auth-plugins.json"
AUTH_PLUGINS = ("password",)


def phase(message: str, began: float) -> None:
    print(f"schema: {message} ({time.monotonic() - began:.1f} s)", file=sys.stderr, flush=True)


def download_sdist(project: str, workdir: Path) -> Path:
    release, generator_folder, _ = PROJECTS[project]
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
            f"{project}=={release}",
        ],
        check=True,
    )
    (archive,) = workdir.glob(f"{project}-{release}.tar.gz")
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if f"/{generator_folder}/" in m.name]
        tar.extractall(workdir, members=members, filter="data")
    return workdir / f"{project}-{release}" / generator_folder


def target_of(generator_conf: Path, project: str) -> str:
    """`etc/neutron/plugins/ml2/ml2_conf.ini.sample` -> `plugins/ml2/ml2_conf.ini`."""
    parser = configparser.ConfigParser(strict=False)
    parser.read(generator_conf)
    output = parser.get("DEFAULT", "output_file")
    return output.removeprefix(f"etc/{project}/").removeprefix("etc/").removesuffix(".sample")


def make_reproducible(json_file: Path, conf_name: str, generator_folder: str) -> None:
    """Drop the temporary paths the generator records, so a rerun changes nothing."""
    data = json.loads(json_file.read_text())
    data["generator_options"]["config_file"] = [f"{generator_folder}/{conf_name}"]
    data["generator_options"]["output_file"] = json_file.name
    json_file.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def generate(project: str, generator_dir: Path, out_dir: Path) -> dict[str, str]:
    generator = shutil.which("oslo-config-generator")
    if generator is None:
        raise SystemExit("schema: oslo-config-generator not found; run through `tox -e schema`")
    _, generator_folder, selected = PROJECTS[project]
    index: dict[str, str] = {}
    configs = sorted(path for path in generator_dir.iterdir() if path.is_file())
    for conf in [path for path in configs if selected is None or path.name in selected]:
        target = target_of(conf, project)
        # Named after the file they describe: neutron.conf.json, l3_agent.ini.json, nova.conf.json
        json_name = target.rsplit("/", 1)[-1] + ".json"
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
        make_reproducible(out_dir / json_name, conf.name, generator_folder)
        index[target] = json_name
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
    for project, (release, _, _) in PROJECTS.items():
        schema_dir = SCHEMA_ROOT / f"{project}-{release}"
        with tempfile.TemporaryDirectory(prefix=f"{project}-sdist-") as tmp:
            generator_dir = download_sdist(project, Path(tmp))
            phase(f"downloaded the {project} {release} sdist", began)
            if schema_dir.exists():
                shutil.rmtree(schema_dir)
            schema_dir.mkdir(parents=True)
            index = generate(project, generator_dir, schema_dir)
            auth_plugin_options(schema_dir)
        (schema_dir / INDEX_FILE).write_text(json.dumps(index, indent=2, sort_keys=True) + "\n")
        phase(f"wrote {len(index)} schemas to {schema_dir}", began)


if __name__ == "__main__":
    main()
