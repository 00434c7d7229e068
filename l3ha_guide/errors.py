"""The one exception users see: a problem in their input, reported without a traceback."""


class UserError(Exception):
    """Bad input or a missing prerequisite. The CLI prints the message and exits 1."""
