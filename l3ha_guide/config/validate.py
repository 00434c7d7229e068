"""`l3ha-guide validate [PATH ...]`: the manual's config blocks and files against Neutron's schema.

PATH may be a Markdown page or a folder of pages (their config blocks), a file whose path ends
in etc/neutron/<file>, or a folder laid out like examples/ (<role>/etc/neutron/...). Default:
source/ and examples/. Prints `path:line: error|warning: message`, exits 1 on any error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.config.blocks import read_page
from l3ha_guide.config.checks import check_document
from l3ha_guide.config.documents import Deployment, from_pages, from_tree, is_tree, read_file
from l3ha_guide.config.findings import Finding
from l3ha_guide.config.scenario import Scenario, check_scenario
from l3ha_guide.config.schema import ConfigSchemas, config_schemas
from l3ha_guide.errors import UserError

DEFAULT_PATHS = ("source", "examples")


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def deployments_for(schema: ConfigSchemas, paths: list[Path]) -> list[Deployment]:
    """Pages together form one deployment, single files another, and each examples-like tree its own."""
    pages, files, trees = [], [], []
    for path in paths:
        if not path.exists():
            raise UserError(f"{path}: no such file or directory")
        if path.is_dir() and is_tree(path):
            trees.append(from_tree(schema, path, shown(path)))
        elif path.is_dir():
            pages += [read_page(page, shown(page)) for page in sorted(path.rglob("*.md"))]
        elif path.suffix == ".md":
            pages.append(read_page(path, shown(path)))
        else:
            files.append(path)
    deployments = trees
    if pages:
        deployments.append(from_pages(schema, pages))
    if files:
        loose = Deployment()
        for path in files:
            document, findings = read_file(schema, path, shown(path), role=None)
            loose.documents.append((None, document))
            loose.findings += findings
        deployments.append(loose)
    return deployments


def validate(paths: list[Path], scenario: Scenario | None = None) -> list[Finding]:
    schema = config_schemas()
    findings: set[Finding] = set()
    for deployment in deployments_for(schema, paths):
        findings.update(deployment.findings)
        for _, document in deployment.documents:
            findings.update(check_document(schema, document))
        findings.update(check_scenario(deployment, scenario))
    return sorted(
        findings, key=lambda finding: (finding.location.path, finding.location.line, finding.message)
    )


def run(args: argparse.Namespace) -> int:
    began = time.monotonic()
    paths = [Path(path) for path in args.paths] or [PROJECT_ROOT / name for name in DEFAULT_PATHS]
    findings = validate(paths)
    for finding in findings:
        print(finding)
    errors = sum(finding.severity == "error" for finding in findings)
    warnings = len(findings) - errors
    elapsed = time.monotonic() - began
    print(f"validate: {errors} error(s), {warnings} warning(s) in {elapsed:.2f} s", file=sys.stderr)
    return 1 if errors else 0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="pages, config files or examples-like folders"
    )
    parser.set_defaults(func=run)
