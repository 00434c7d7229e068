"""Executable console examples: the manual's `console-block`s run on lab hosts.

Four steps, each its own module, after Sphinx's doctest split:

- `manifest`: a Sphinx builder that collects every console block (and config
  block) into build/console/manifest.json, in reading order; `examples` is
  that manifest as data (no Sphinx needed to read it);
- `matcher` (with `variables` and `tables`): compares a documented output with
  the real one, binding run-time values across the whole guide;
- `runner`: runs a documented command on a lab host through testinfra; `session`
  runs each example's steps (`legacy_tabs.step_for`) and `lab_actions` the
  steps the lab takes in the reader's place;
- `results`, `status` and `report`: the last run's outcome, each example's
  status, and the truth-report page made from them.

Only `manifest`, `report` and `failover_figures` import Sphinx.
"""
