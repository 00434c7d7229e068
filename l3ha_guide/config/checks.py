"""Checks of one config file against the schema: sections, names, duplicates and values.

Values are checked with oslo.config's own types, built from the type string, bounds and
choices the generator recorded; stock `oslo-config-validator` checks names only.
"""

from __future__ import annotations

import difflib

from oslo_config import types

from l3ha_guide.config import history
from l3ha_guide.config.findings import Finding, error, warning
from l3ha_guide.config.ini import ConfigDocument, Entry
from l3ha_guide.config.placeholders import PLACEHOLDERS, placeholders_in, with_samples
from l3ha_guide.config.schema import ConfigSchemas, FileSchema, OptionSpec


def oslo_type(option: OptionSpec) -> types.ConfigType | None:
    """The oslo.config type for an option record; None for types the schema cannot rebuild."""
    choices = list(option.choices) or None
    bounds = {"min": option.minimum, "max": option.maximum}
    match option.type_name:
        case "string value" | "multi valued":
            return types.String(choices=choices)
        case "boolean value":
            return types.Boolean()
        case "integer value":
            return types.Integer(choices=[int(choice) for choice in choices] if choices else None, **bounds)
        case "floating point value":
            return types.Float(**bounds)
        case "port value":
            return types.Port(choices=[int(choice) for choice in choices] if choices else None, **bounds)
        case "list value":
            return types.List()
        case "dict value":
            return types.Dict()
        case "IP address value":
            return types.IPAddress()
        case "host address value":
            return types.HostAddress()
        case "host domain value":
            return types.HostDomain()
        case "uri value":
            return types.URI()
    return None  # neutron's own types (e.g. "IPv4 zone prefix") are not in oslo.config


def did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_value(document: ConfigDocument, entry: Entry, option: OptionSpec) -> list[Finding]:
    findings = []
    found = placeholders_in(entry.value)
    for name in found:
        if name not in PLACEHOLDERS:
            findings.append(
                error(entry.location, f"{name} looks like a placeholder but is not one the manual defines")
            )
        elif name not in document.explained:
            findings.append(
                error(
                    entry.location,
                    f"placeholder {name} is used but the text around the block never explains it",
                )
            )
    if any(name not in PLACEHOLDERS for name in found) or "$" in entry.value:
        return findings  # unknown words or oslo.config interpolation: the value cannot be judged here
    changed = history.value_change(option.name, entry.value)
    if changed is not None:
        findings.append(
            warning(entry.location, f"{option.name} = {changed.old_value} still loads; {changed.advice}")
        )
    value_type = oslo_type(option)
    if value_type is None:
        return findings
    try:
        value_type(with_samples(entry.value))
    except ValueError as problem:
        shown = f"{entry.value!r}" if not found else f"{entry.value!r} (placeholders as sample values)"
        findings.append(
            error(
                entry.location,
                f"[{entry.section}] {entry.key}: invalid {value_type.type_name} {shown}: {problem}",
            )
        )
    return findings


def check_name(
    schema: ConfigSchemas, file_schema: FileSchema, entry: Entry, auth_type: str | None = None
) -> tuple[list[Finding], OptionSpec | None]:
    """Findings about the option's name, and the option to check the value against, if any."""
    section, key = entry.section or "DEFAULT", entry.key
    option = file_schema.option(section, key, auth_type)
    if option is not None:
        if option.deprecated_for_removal:
            reason = f": {option.deprecated_reason}" if option.deprecated_reason else ""
            return [warning(entry.location, f"[{section}] {key} is deprecated for removal{reason}")], option
        return [], option
    renamed = file_schema.deprecated.get((section, key))
    if renamed is not None:
        change = history.option_change(file_schema.relative_path, section, key)
        when = f" in {change.release}" if change else ""
        message = f"[{section}] {key} is deprecated (renamed{when}); use [{renamed.section}] {renamed.name}"
        return [warning(entry.location, message)], renamed
    change = history.option_change(file_schema.relative_path, section, key)
    if change is not None:
        return [error(entry.location, f"[{section}] {key} was {change.summary}")], None
    plugins = [name for name, options in file_schema.auth_plugins.items() if key in options]
    if plugins and "auth_type" in file_schema.sections.get(section, {}) and auth_type is None:
        message = (
            f"{key} is an option of the {plugins[0]} auth plugin: "
            f"set auth_type = {plugins[0]} in [{section}] for it to count"
        )
        return [error(entry.location, message)], None
    elsewhere = file_schema.sections_with(key)
    if elsewhere:
        sections = " or ".join(f"[{name}]" for name in elsewhere)
        return [error(entry.location, f"{key} belongs in {sections}, not [{section}]")], None
    if section not in file_schema.sections:
        return [], None  # reported once, at the section header
    other_files = [
        (file, group) for file, group in schema.files_with(key) if file != file_schema.relative_path
    ]
    if other_files:
        file, group = other_files[0]
        message = f"{key} is not an option of {file_schema.relative_path}; it belongs in {file} [{group}]"
        return [error(entry.location, message)], None
    hint = did_you_mean(key, list(file_schema.sections[section]))
    return [
        error(entry.location, f"unknown option {key} in [{section}] of {file_schema.relative_path}{hint}")
    ], None


def check_document(schema: ConfigSchemas, document: ConfigDocument) -> list[Finding]:
    file_schema = schema.for_path(document.target)
    if file_schema is None:
        return []  # files without a schema (dnsmasq's) are judged by the scenario's rules only
    findings: list[Finding] = []
    for section, location in document.sections:
        if section not in file_schema.sections:
            hint = did_you_mean(section, list(file_schema.sections))
            findings.append(
                error(location, f"unknown section [{section}] in {file_schema.relative_path}{hint}")
            )
    first_seen: dict[tuple[str | None, str], Entry] = {}
    # The keystoneauth plugin each section loads, whose options that section may then set.
    auth_types = {entry.section: entry.value for entry in document.entries if entry.key == "auth_type"}
    for entry in document.entries:
        name_findings, option = check_name(schema, file_schema, entry, auth_types.get(entry.section))
        findings += name_findings
        if option is not None:
            findings += check_value(document, entry, option)
        previous = first_seen.setdefault((entry.section, entry.key), entry)
        if previous is not entry and not (option and option.multi_valued):
            findings.append(
                error(
                    entry.location,
                    f"[{entry.section}] {entry.key} is set twice (first at {previous.location})",
                )
            )
    return findings
