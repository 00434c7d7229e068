"""Config blocks of the manual: extraction, the option schema, and validation against it.

Modules, one concern each:

- `schema_generation`: `tox -e schema` regenerates the committed JSON schema from neutron's sdist;
- `schema`: loads that JSON (neutron is never imported at validation time);
- `blocks`: finds `config-block` fences in the Markdown sources with their page and line;
- `ini`: a line-keeping ini parser (oslo.config's own would lose duplicates and line numbers);
- `placeholders`: the placeholder names the text explains and the lab substitutes;
- `history`: removed and renamed options since Liberty (used by the validator and the page);
- `checks`: per-file checks (syntax, names, values with oslo.config types);
- `scenario`: the scenario's cross-file rules, per node and across nodes;
- `extract` / `validate`: the `l3ha-guide extract` and `l3ha-guide validate` commands.
"""
