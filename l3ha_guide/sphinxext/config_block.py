"""The `config-block` directive: a configuration file excerpt with its target path and roles.

    ```{config-block} /etc/neutron/neutron.conf
    :roles: controller

    [DEFAULT]
    core_plugin = ml2
    ```

Readers see the path (and the node roles) as the block's caption. The node keeps
`config_path` and `config_roles` so that `l3ha-guide extract` and the validator
can find the blocks; the text is never translated.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from l3ha_guide.config.blocks import ROLES


def roles_option(argument: str) -> list[str]:
    roles = [role.strip() for role in argument.replace(",", " ").split()]
    unknown = [role for role in roles if role not in ROLES]
    if not roles or unknown:
        raise ValueError(f"roles must be some of {', '.join(ROLES)}; got {argument!r}")
    return roles


class ConfigBlock(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec = {"roles": roles_option, "name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        path = self.arguments[0]
        if not path.startswith("/"):
            raise self.error(f"config-block: the target must be an absolute path, got {path!r}")
        if "roles" not in self.options:
            raise self.error("config-block: add ':roles:' (controller, network and/or compute)")
        if not self.content:
            raise self.error(f"config-block {path}: the block is empty")
        text = "\n".join(self.content)
        literal = nodes.literal_block(text, text)
        literal["language"] = "ini" if path.endswith((".ini", ".conf")) and "[" in text else "text"
        literal["config_path"] = path
        literal["config_roles"] = self.options["roles"]
        literal["classes"].append("config-block")
        self.set_source_info(literal)

        caption_text = f"{path} ({', '.join(self.options['roles'])})"
        caption = nodes.caption(caption_text, "", nodes.literal(caption_text, caption_text))
        caption["translatable"] = False
        self.set_source_info(caption)
        container = nodes.container("", caption, literal, literal_block=True)
        container["classes"].append("config-block-container")
        self.set_source_info(container)
        self.add_name(container)
        return [container]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("config-block", ConfigBlock)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
