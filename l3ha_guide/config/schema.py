"""The committed option schemas, loaded from JSON (neither neutron nor nova is ever imported).

`schemas/neutron-<release>/index.json` maps each file below /etc/neutron/ (for example
`plugins/ml2/ml2_conf.ini`) to the JSON that `oslo-config-generator --format json` wrote for it;
`schemas/nova-<release>/` does the same for /etc/nova/nova.conf, whose `[neutron]` section the
scenario sets. `release_schema()` is Neutron's (the prose's claims are about Neutron);
`config_schemas()` is every project's, for validating files. Files are loaded on first use, so
validating three files reads three JSON documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from l3ha_guide import NEUTRON_RELEASE, NOVA_RELEASE

SCHEMA_ROOT = Path(__file__).resolve().parent / "schemas"
# The projects whose files the manual configures, at their pinned releases.
PROJECT_RELEASES = {"neutron": NEUTRON_RELEASE, "nova": NOVA_RELEASE}
# Files are recognised by what follows this in their path (Neutron's; CONFIG_ROOTS for all).
CONFIG_ROOT = "etc/neutron/"
CONFIG_ROOTS = tuple(f"etc/{project}/" for project in PROJECT_RELEASES)


@dataclass(frozen=True)
class OptionSpec:
    name: str
    section: str
    type_name: str
    default: object
    choices: tuple[str, ...]
    minimum: float | None
    maximum: float | None
    deprecated_for_removal: bool
    deprecated_reason: str | None
    deprecated_since: str | None
    deprecated_names: tuple[tuple[str, str], ...]  # (section, name) pairs that still work
    help: str = ""

    @property
    def multi_valued(self) -> bool:
        return self.type_name == "multi valued"


@dataclass
class FileSchema:
    relative_path: str  # below /etc/<project>/
    sections: dict[str, dict[str, OptionSpec]]
    # (section, old name) -> the option that replaced it
    deprecated: dict[tuple[str, str], OptionSpec] = field(default_factory=dict)
    # keystoneauth plugin -> its options by the name a file uses (`auth_url`), for sections with auth_type
    auth_plugins: dict[str, dict[str, OptionSpec]] = field(default_factory=dict)

    def option(self, section: str, name: str, auth_type: str | None = None) -> OptionSpec | None:
        """The option as a file names it; keystoneauth's `auth-url` is written `auth_url` there."""
        options = self.sections.get(section, {})
        found = options.get(name) or options.get(name.replace("_", "-"))
        if found is None and auth_type and "auth_type" in options:
            plugin_option = self.auth_plugins.get(auth_type, {}).get(name)
            found = plugin_option and replace(plugin_option, section=section)
        return found

    def sections_with(self, name: str) -> list[str]:
        return [section for section, options in self.sections.items() if name in options]


def _option_from_record(section: str, record: dict) -> OptionSpec:
    return OptionSpec(
        name=record["name"],
        section=section,
        type_name=record["type"],
        default=record.get("default"),
        choices=tuple(
            str(choice[0]) if isinstance(choice, list) else str(choice) for choice in record["choices"]
        ),
        minimum=record.get("min"),
        maximum=record.get("max"),
        deprecated_for_removal=bool(record.get("deprecated_for_removal")),
        deprecated_reason=record.get("deprecated_reason"),
        deprecated_since=record.get("deprecated_since"),
        deprecated_names=tuple(
            (old.get("group") or section, old["name"]) for old in record.get("deprecated_opts") or []
        ),
        help=record.get("help") or "",
    )


def _load_auth_plugins(json_file: Path) -> dict[str, dict[str, OptionSpec]]:
    if not json_file.exists():
        return {}
    plugins = json.loads(json_file.read_text())
    return {
        plugin: {record["dest"]: _option_from_record("", record) for record in records}
        for plugin, records in plugins.items()
    }


def _load_file_schema(
    relative_path: str, json_file: Path, auth_plugins: dict[str, dict[str, OptionSpec]]
) -> FileSchema:
    data = json.loads(json_file.read_text())
    schema = FileSchema(relative_path, {}, auth_plugins=auth_plugins)
    for section, group in data["options"].items():
        options = {}
        for record in group["opts"]:
            option = _option_from_record(section, record)
            options[option.name] = option
            for old in option.deprecated_names:
                schema.deprecated[old] = option
        schema.sections[section] = options
    return schema


class ReleaseSchema:
    """All option schemas of one project's release, keyed by the path below /etc/<project>/."""

    def __init__(
        self, release: str = NEUTRON_RELEASE, root: Path = SCHEMA_ROOT, project: str = "neutron"
    ) -> None:
        self.project = project
        self.release = release
        self.config_root = f"etc/{project}/"
        self.directory = root / f"{project}-{release}"
        index_file = self.directory / "index.json"
        if not index_file.exists():
            raise FileNotFoundError(f"{index_file} is missing; run `tox -e schema`")
        self.index: dict[str, str] = json.loads(index_file.read_text())
        self._loaded: dict[str, FileSchema] = {}
        self.auth_plugins = _load_auth_plugins(self.directory / "auth-plugins.json")

    def relative_path_of(self, path: str) -> str | None:
        """`/etc/neutron/l3_agent.ini` or `examples/network/etc/neutron/l3_agent.ini` -> `l3_agent.ini`."""
        position = path.rfind(self.config_root)
        return path[position + len(self.config_root) :] if position >= 0 else None

    def for_path(self, path: str) -> FileSchema | None:
        relative = self.relative_path_of(path)
        if relative is None or relative not in self.index:
            return None
        if relative not in self._loaded:
            self._loaded[relative] = _load_file_schema(
                relative, self.directory / self.index[relative], self.auth_plugins
            )
        return self._loaded[relative]

    def files_with(self, name: str) -> list[tuple[str, str]]:
        """(file, section) pairs of every file that has an option of this name."""
        found = []
        for relative in sorted(self.index):
            schema = self.for_path(self.config_root + relative)
            assert schema is not None
            found += [(relative, section) for section in schema.sections_with(name)]
        return found


class ConfigSchemas:
    """Every project's schemas, each file judged by the project whose /etc folder holds it."""

    def __init__(self, schemas: list[ReleaseSchema]) -> None:
        self.schemas = schemas

    @property
    def config_roots(self) -> list[str]:
        return [schema.config_root for schema in self.schemas]

    def project_of(self, path: str) -> ReleaseSchema | None:
        """The project whose folder (etc/neutron/, etc/nova/) comes last in the path."""
        positions = [(path.rfind(schema.config_root), schema) for schema in self.schemas]
        position, schema = max(positions, key=lambda pair: pair[0])
        return schema if position >= 0 else None

    def target_of(self, path: str) -> str | None:
        """`examples/compute/etc/nova/nova.conf` -> `/etc/nova/nova.conf`."""
        schema = self.project_of(path)
        relative = schema.relative_path_of(path) if schema else None
        return f"/{schema.config_root}{relative}" if schema and relative else None

    def for_path(self, path: str) -> FileSchema | None:
        schema = self.project_of(path)
        return schema.for_path(path) if schema else None

    def files_with(self, name: str) -> list[tuple[str, str]]:
        return [found for schema in self.schemas for found in schema.files_with(name)]

    def known_files(self) -> list[str]:
        return sorted(
            f"/{schema.config_root}{relative}" for schema in self.schemas for relative in schema.index
        )

    def releases(self) -> str:
        return " and ".join(f"{schema.project} {schema.release}" for schema in self.schemas)


@cache
def release_schema(release: str = NEUTRON_RELEASE) -> ReleaseSchema:
    return ReleaseSchema(release)


@cache
def config_schemas() -> ConfigSchemas:
    return ConfigSchemas(
        [ReleaseSchema(release, project=project) for project, release in PROJECT_RELEASES.items()]
    )
