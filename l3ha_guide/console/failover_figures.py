"""The `failover-results` directive: measured failover figures and a timeline, from the last lab run.

    ```{failover-results}
    ```

    ```{failover-results} ipv6
    ```

Reads build/console/failover.json (written by tests/console after the
failover page's examples, from the lab's measurement) and shows, for each
kind of failure (keepalived stopped; node crashed), the time until the backup
was promoted and the outage a continuous ping through the router saw, with a
timeline of the ping replies, the date of the run and the versions of
Neutron, Open vSwitch and keepalived. Without that file it says so.

A named measurement (`ipv6`) reads build/console/failover-<name>.json beside
it: the IPv6 page's lab action writes the failover it measures there.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from l3ha_guide.console.examples import CONSOLE_DIR
from l3ha_guide.files import write_atomically
from l3ha_guide.sphinxext.data_files import note_data_file
from l3ha_guide.sphinxext.data_nodes import data_paragraph, data_table
from l3ha_guide.sphinxext.messages import N_, _

FAILOVER_PATH = CONSOLE_DIR / "failover.json"
# How each kind of failure is named in the figures (l3ha_guide.lab.failover.MODES).
LABELS = {
    "graceful": N_("keepalived stopped on the master (SIGTERM)"),
    "crash": N_("master node crashed (all its links cut)"),
}


@dataclass
class FailoverRun:
    mode: str  # a key of LABELS
    old_master: str
    new_master: str
    promotion_s: float  # failure -> backup holds the addresses
    outage_s: float  # longest gap in ping replies around the failure
    failure_at_s: float  # on the timeline
    promotion_at_s: float
    replies: list[tuple[float, bool]] = field(default_factory=list)  # (time, answered)


@dataclass
class FailoverResults:
    date: str
    versions: dict[str, str]
    runs: list[FailoverRun]
    # What pinged what through the router (l3ha_guide.lab.failover.Probe).
    probe_host: str
    probe_address: str


def measurement_path(name: str = "", base: Path = FAILOVER_PATH) -> Path:
    """Where a measurement's results go: failover.json, or failover-<name>.json beside it."""
    return base.with_name(f"{base.stem}-{name}{base.suffix}") if name else base


def reply_ticks(replies: list[tuple[float, int]], interval: float) -> list[tuple[float, bool]]:
    """Every ping sent, answered or not: a lost one sits where its sequence number puts it."""
    if not replies:
        return []
    first_time, first_sequence = min(replies, key=lambda reply: reply[1])
    answered = {sequence for _, sequence in replies}
    last_sequence = max(answered)
    return [
        (round(first_time + (sequence - first_sequence) * interval, 3), sequence in answered)
        for sequence in range(first_sequence, last_sequence + 1)
    ]


def measured_run(result: Any, interval: float) -> FailoverRun:
    """The figure's run from a lab measurement (l3ha_guide.lab.failover.FailoverResult)."""
    return FailoverRun(
        mode=result.mode,
        old_master=result.old_master,
        new_master=result.new_master,
        promotion_s=result.promotion_seconds,
        outage_s=result.outage_seconds,
        failure_at_s=0.0,
        promotion_at_s=result.promotion_seconds,
        replies=reply_ticks([tuple(reply) for reply in result.replies], interval),
    )


def save(results: FailoverResults, path: Path = FAILOVER_PATH) -> None:
    write_atomically(path, json.dumps(asdict(results), indent=1) + "\n")


def load(path: Path) -> FailoverResults | None:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        runs = [
            FailoverRun(**{**run, "replies": [(float(t), bool(ok)) for t, ok in run["replies"]]})
            for run in data.pop("runs")
        ]
        return FailoverResults(runs=runs, **data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def run_label(run: FailoverRun) -> str:
    return _("{failure}, {old_master} to {new_master}").format(
        failure=_(LABELS.get(run.mode, run.mode)), old_master=run.old_master, new_master=run.new_master
    )


def timeline_svg(run: FailoverRun, width: int = 640, height: int = 70) -> str:
    """Ping replies as ticks (answered: filled, lost: red), with the failure and promotion marked."""
    if not run.replies:
        return ""
    start = min(t for t, _answered in run.replies)
    end = max(t for t, _answered in run.replies)
    span = max(end - start, 1e-6)

    def x(t: float) -> float:
        return 10 + (t - start) / span * (width - 20)

    title = _("{label}: ping replies over time").format(label=run_label(run))
    parts = [
        f'<svg class="failover-timeline" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>',
        f'<line x1="10" y1="35" x2="{width - 10}" y2="35" stroke="#888"/>',
    ]
    for t, answered in run.replies:
        colour = "#2a7" if answered else "#d33"
        parts.append(f'<rect x="{x(t) - 1:.1f}" y="25" width="2" height="20" fill="{colour}"/>')
    for label, t, colour in (
        (_("failure"), run.failure_at_s, "#d33"),
        (_("promoted"), run.promotion_at_s, "#27d"),
    ):
        parts.append(
            f'<line x1="{x(t):.1f}" y1="12" x2="{x(t):.1f}" y2="55" stroke="{colour}" stroke-dasharray="3"/>'
        )
        parts.append(f'<text x="{x(t) + 3:.1f}" y="11" font-size="10" fill="{colour}">{label}</text>')
    # currentColor: the page's text colour, so the scale stays readable in the theme's dark mode
    parts.append('<text x="10" y="67" font-size="10" fill="currentColor">0 s</text>')
    parts.append(f'<text x="{width - 40}" y="67" font-size="10" fill="currentColor">{span:.0f} s</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(rows: list[list[str]]) -> nodes.table:
    headers = [_("Failure"), _("Backup promoted after"), _("Ping outage")]
    return data_table(headers, rows, [40, 30, 30], css_class="failover-results")


class FailoverResultsDirective(SphinxDirective):
    has_content = False
    optional_arguments = 1  # a named measurement, such as ipv6

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0] if self.arguments else ""
        path = measurement_path(name, Path(self.config.console_failover_path))
        note_data_file(self.env, path)
        measured = load(path)
        if measured is None:
            text = _(
                "This build has no failover measurements from a lab run; run the tests (tox) as root "
                "to measure them, then build."
            )
            note = nodes.important()
            note += data_paragraph(text)
            return [note]
        unknown = _("unknown")
        versions = ", ".join(f"{name} {version or unknown}" for name, version in measured.versions.items())
        intro = _("Measured in the lab on {date} with {software}:").format(
            date=measured.date, software=versions
        )
        result: list[nodes.Node] = [data_paragraph(intro)]
        rows = [[run_label(r), f"{r.promotion_s:.1f} s", f"{r.outage_s:.1f} s"] for r in measured.runs]
        result.append(_table(rows))
        for run in measured.runs:
            caption = _(
                "Timeline, {label}: each tick is one ping of {address} from {host} "
                "(green answered, red lost)."
            ).format(label=run_label(run), address=measured.probe_address, host=measured.probe_host)
            result.append(data_paragraph(caption))
            result.append(nodes.raw("", timeline_svg(run), format="html"))
        return result


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("l3ha_guide.sphinxext.messages")
    app.setup_extension("l3ha_guide.sphinxext.data_files")
    app.add_config_value("console_failover_path", str(FAILOVER_PATH), "env")
    app.add_directive("failover-results", FailoverResultsDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
