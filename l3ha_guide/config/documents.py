"""Config documents per node role, read from the manual's pages or from files laid out like examples/.

A page contributes one document per (role, target) merging all its blocks for that file;
a directory contributes `<role>/etc/neutron/...` and `<role>/etc/nova/...`; a single file has
no role. The scenario's cross-file rules then look at the documents of each role and across roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from l3ha_guide.config.blocks import ROLES, Page
from l3ha_guide.config.findings import Finding, Location, error
from l3ha_guide.config.ini import ConfigDocument, numbered_lines, read_flat, read_ini
from l3ha_guide.config.schema import CONFIG_ROOT, CONFIG_ROOTS, ConfigSchemas

# Files below /etc/neutron/ that have no oslo.config schema but a format the validator knows.
FLAT_FILES = ("dnsmasq-neutron.conf",)


@dataclass
class Deployment:
    documents: list[tuple[str | None, ConfigDocument]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def files(self, relative: str, role: str | None = None) -> list[ConfigDocument]:
        """Documents for /etc/neutron/<relative>, of one role or of all."""
        target = "/" + CONFIG_ROOT + relative
        return [
            document
            for document_role, document in self.documents
            if document.target == target and (role is None or document_role == role)
        ]

    def roles(self) -> list[str]:
        return sorted({role for role, _ in self.documents if role is not None})


def is_flat(target: str) -> bool:
    return PurePosixPath(target).name in FLAT_FILES


def check_known_target(schema: ConfigSchemas, target: str, location: Location) -> Finding | None:
    if schema.for_path(target) is not None or is_flat(target):
        return None
    folders = " or ".join(f"/{root}" for root in schema.config_roots)
    if schema.project_of(target) is None:
        return error(location, f"{target} is not below {folders}; the validator knows only their files")
    known = ", ".join(schema.known_files() + [f"/{CONFIG_ROOT}{name}" for name in FLAT_FILES])
    return error(location, f"no {schema.releases()} option schema for {target} (known: {known})")


def from_pages(schema: ConfigSchemas, pages: list[Page]) -> Deployment:
    deployment = Deployment()
    by_key: dict[tuple[str, str], ConfigDocument] = {}
    for page in pages:
        deployment.findings += page.findings
        for block in page.blocks:
            problem = check_known_target(schema, block.target, block.location)
            if problem is not None:
                deployment.findings.append(problem)
                continue
            for role in block.roles:
                document = by_key.get((role, block.target))
                if document is None:
                    document = ConfigDocument(block.target, origin=block.location)
                    by_key[(role, block.target)] = document
                    deployment.documents.append((role, document))
                document.explained |= page.explained
                reader = read_flat if is_flat(block.target) else read_ini
                findings = reader(document, block.lines)
                if role == block.roles[0]:  # report a block's syntax errors once, not once per role
                    deployment.findings += findings
    return deployment


def read_file(
    schema: ConfigSchemas, path: Path, shown: str, role: str | None
) -> tuple[ConfigDocument, list[Finding]]:
    target = schema.target_of(PurePosixPath(path).as_posix()) or "/" + CONFIG_ROOT + path.name
    document = ConfigDocument(target, origin=Location(shown, 1))
    problem = check_known_target(schema, target, Location(shown, 1))
    if problem is not None:
        return document, [problem]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as failure:
        return document, [error(Location(shown, 1), f"cannot read the file: {failure}")]
    reader = read_flat if is_flat(target) else read_ini
    return document, reader(document, numbered_lines(shown, text))


def from_tree(schema: ConfigSchemas, root: Path, shown_root: str) -> Deployment:
    """A directory laid out like examples/: <role>/etc/neutron/..., <role>/etc/nova/... (others ignored)."""
    deployment = Deployment()
    for role in ROLES:
        config_dirs = [root / role / config_root for config_root in schema.config_roots]
        paths = [path for folder in config_dirs if folder.is_dir() for path in sorted(folder.rglob("*"))]
        for path in paths:
            if path.is_file():
                shown = f"{shown_root.rstrip('/')}/{path.relative_to(root).as_posix()}"
                document, findings = read_file(schema, path, shown, role)
                deployment.documents.append((role, document))
                deployment.findings += findings
    return deployment


def is_tree(root: Path) -> bool:
    return any((root / role / config_root).is_dir() for role in ROLES for config_root in CONFIG_ROOTS)
