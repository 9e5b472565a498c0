"""The error a ``newscrawler`` command stops with (the command line prints its message as one line, exit 2)."""

from __future__ import annotations


class CommandError(Exception):
    """A command cannot go on; the message is one line for the user."""
