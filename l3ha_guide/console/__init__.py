"""Executable console examples: the manual's `console-block`s run on lab hosts.

Four steps, each its own module, after Sphinx's doctest split:

- `manifest`: a Sphinx builder that collects every console block (and config
  block) into build/console/manifest.json, in reading order;
- `matcher` (with `variables` and `tables`): compares a documented output with
  the real one, binding run-time values page-wide;
- `runner`: runs a documented command on a lab host through testinfra;
- `results` and `report`: the last run's outcome, and the truth-report page made from it.
"""
