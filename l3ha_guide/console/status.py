"""Each console example's status in the last lab run, without Sphinx.

`example_status` is shared by `l3ha-guide console status` (English) and the
truth report (which passes Sphinx's translation function). Categories:
verified, failed, changed (edited since its run), not-run, not-runnable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from l3ha_guide.console import results
from l3ha_guide.console.examples import SKIP_REASONS
from l3ha_guide.console.faults import FAULTS
from l3ha_guide.console.lab_actions import ACTIONS


def _untranslated(message: str) -> str:
    return message


def example_id(example: dict[str, Any]) -> str:
    return f"{example['source']}:{example['line']}"


def example_status(
    example: dict[str, Any],
    outcomes: dict[str, results.Outcome],
    translate: Callable[[str], str] = _untranslated,
) -> tuple[str, str]:
    """(category, text) for one console example (a manifest entry as a dict)."""
    _ = translate  # the messages below are extracted for generated.po under this name
    if example["skip"]:
        text = _("not runnable: {reason}").format(reason=_(SKIP_REASONS[example["skip"]]))
        if example["lab_action"]:
            acted = outcomes.get(f"{example_id(example)}@lab")
            when = f" ({acted.date})" if acted and acted.status == results.ACTED else ""
            action = _(ACTIONS[example["lab_action"]].description)
            text += _("; in its place {action}").format(action=action) + when
        return "not-runnable", text
    found = [outcomes.get(f"{example_id(example)}@{host}") for host in example["hosts"]]
    if any(outcome is None for outcome in found):
        return "not-run", _("not run in the lab yet")
    if any(outcome.digest != example["digest"] for outcome in found):
        return "changed", _("changed since the last lab run, not verified")
    failed = [outcome for outcome in found if outcome.status == results.FAILED]
    if failed:
        first = failed[0]
        return "failed", _("failed in the lab ({date}) on {host}: {detail}").format(
            date=first.date, host=first.host, detail=first.detail
        )
    dates = sorted(outcome.date for outcome in found)
    used = sorted({backend for outcome in found for backend in results.backends(outcome)})
    if not used:  # recorded before results named their backend
        text = _("verified in the lab ({date})").format(date=dates[-1])
    else:
        text = _("verified in the lab over {backends} ({date})").format(
            backends=", ".join(used), date=dates[-1]
        )
    if example.get("fault"):
        text += _("; before it, {fault}").format(fault=_(FAULTS[example["fault"]].description))
    return "verified", text
