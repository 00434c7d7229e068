"""The `failover-tuning` directive: failover against `ha_vrrp_advert_int`, from the last bench run.

    ```{failover-tuning} _data/benchmarks.json
    ```

Reads the `tuning` section that `l3ha-guide bench tuning` writes
(l3ha_guide.bench.tuning) and shows, per advertisement interval, the time to
promotion and the floating IP's outage for both kinds of failure next to the
VRRP bound, a plot of the same, and the cost: advertisements and bytes per
second on the HA network, and the state changes seen while nothing failed.
Without that section it says so.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from l3ha_guide.bench.tuning import ADVERT_CAPTURE_SECONDS, ADVERT_INTERVALS, MODES, SECTION, figure_name
from l3ha_guide.sphinxext.benchmark_results import BenchSectionDirective
from l3ha_guide.sphinxext.data_nodes import data_paragraph, data_table
from l3ha_guide.sphinxext.messages import N_, _

MODE_LABELS = {"graceful": N_("keepalived stopped"), "crash": N_("node crashed")}
BAR_COLOURS = {"graceful": "#4c72b0", "crash": "#dd8452"}


def _range(summary: dict) -> str:
    return f"{summary['median']:.1f} s ({summary['min']:.1f}–{summary['max']:.1f})"


def intervals(section: dict) -> list[int]:
    """The advertisement intervals the section has figures for, shortest first."""
    return [n for n in ADVERT_INTERVALS if figure_name(n, "vrrp_master_down_interval_s") in section]


def plot_svg(section: dict, width: int = 640) -> str:
    """For each interval and kind of failure, the outage's median as a bar with a min–max whisker,
    and for a crash the VRRP bound as a dashed mark."""
    rows = [(n, mode) for n in intervals(section) for mode in MODES]
    scale_max = max(
        [section[figure_name(n, f"{mode}: floating_ip_outage_s")]["max"] for n, mode in rows]
        + [section[figure_name(n, "vrrp_master_down_interval_s")] for n in intervals(section)]
    )
    left, right, row_height = 190, width - 20, 26
    height = 40 + row_height * len(rows)

    def x(seconds: float) -> float:
        return left + seconds / scale_max * (right - left)

    title = _("Floating IP outage by advertisement interval (median, min to max) and the VRRP bound")
    parts = [
        f'<svg class="failover-tuning" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>'
    ]
    for index, (n, mode) in enumerate(rows):
        outage = section[figure_name(n, f"{mode}: floating_ip_outage_s")]
        bound = section[figure_name(n, "vrrp_master_down_interval_s")]
        y = 10 + index * row_height
        label = f"{n} s, {_(MODE_LABELS[mode])}"
        parts += [
            f'<text x="{left - 6}" y="{y + 15}" font-size="11" text-anchor="end" '
            f'fill="currentColor">{label}</text>',
            f'<rect x="{left}" y="{y + 4}" width="{x(outage["median"]) - left:.1f}" height="14" '
            f'fill="{BAR_COLOURS[mode]}"/>',
            f'<line x1="{x(outage["min"]):.1f}" y1="{y + 11}" x2="{x(outage["max"]):.1f}" y2="{y + 11}" '
            'stroke="currentColor"/>',
        ]
        if mode == "crash":  # an orderly stop does not wait for the master down interval
            parts.append(
                f'<line x1="{x(bound):.1f}" y1="{y + 1}" x2="{x(bound):.1f}" y2="{y + 21}" stroke="#d33" '
                'stroke-dasharray="3"/>'
            )
    axis_y = 14 + row_height * len(rows)
    parts.append(
        f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" stroke="currentColor"/>'
        f'<text x="{left}" y="{axis_y + 14}" font-size="10" fill="currentColor">0 s</text>'
        f'<text x="{right}" y="{axis_y + 14}" font-size="10" text-anchor="end" '
        f'fill="currentColor">{scale_max:.1f} s</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


class FailoverTuning(BenchSectionDirective):
    def run(self) -> list[nodes.Node]:
        section = self.bench_section(SECTION)
        if not intervals(section):
            return self.not_measured(_("No tuning figures yet: run `l3ha-guide bench tuning`."))
        unknown = _("unknown")
        versions = ", ".join(f"{name} {version or unknown}" for name, version in section["versions"].items())
        runs = section[figure_name(intervals(section)[0], "crash: promotion_s")]["runs"]
        intro = _(
            "Measured by l3ha-guide bench tuning on {date} with {software}; {runs} failovers of each "
            "kind per interval. Times: median (minimum–maximum)."
        ).format(date=section["date"], software=versions, runs=runs)
        failover_rows = []
        cost_rows = []
        for n in intervals(section):
            failover_rows.append(
                [
                    f"{n} s",
                    f"{section[figure_name(n, 'vrrp_master_down_interval_s')]:.1f} s",
                    *(
                        _range(section[figure_name(n, f"{mode}: {figure}")])
                        for mode in ("crash", "graceful")
                        for figure in ("promotion_s", "floating_ip_outage_s")
                    ),
                ]
            )
            cost_rows.append(
                [
                    f"{n} s",
                    f"{section[figure_name(n, 'advertisements_per_s')]:.2f}",
                    f"{section[figure_name(n, 'advertisement_bytes_per_s')]:.0f}",
                    str(section[figure_name(n, "state_changes_while_idle")]),
                ]
            )
        failover_headers = [
            "ha_vrrp_advert_int",
            _("VRRP bound"),
            _("Crash: promoted after"),
            _("Crash: ping outage"),
            _("keepalived stopped: promoted after"),
            _("keepalived stopped: ping outage"),
        ]
        cost_headers = [
            "ha_vrrp_advert_int",
            _("Advertisements per second"),
            _("Bytes per second"),
            _("State changes while idle"),
        ]
        caption = _(
            "Plot: the floating IP's outage per interval and kind of failure (bar: median; line: "
            "minimum to maximum; dashed red: the VRRP bound)."
        )
        cost_intro = _(
            "The cost of one router, counted over {seconds} s on the master's HA device while nothing failed:"
        ).format(seconds=ADVERT_CAPTURE_SECONDS)
        return [
            data_paragraph(intro),
            data_table(failover_headers, failover_rows, css_class="failover-tuning"),
            data_paragraph(caption),
            nodes.raw("", plot_svg(section), format="html"),
            data_paragraph(cost_intro),
            data_table(cost_headers, cost_rows, css_class="failover-tuning-cost"),
        ]


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("l3ha_guide.sphinxext.messages")
    app.setup_extension("l3ha_guide.sphinxext.data_files")
    app.add_directive("failover-tuning", FailoverTuning)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
