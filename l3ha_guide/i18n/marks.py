"""`N_`: marks a message of the generated text for extraction, without loading Sphinx.

Modules that define messages (skip reasons, lab actions, run-time value kinds)
mark them with `N_` where they are defined; `l3ha_guide.sphinxext.messages._`
translates them where a page shows them. Keeping the mark here lets the
matcher, the runner and `console status` run without Sphinx.
"""


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; `_()` translates it where it is shown."""
    return message
