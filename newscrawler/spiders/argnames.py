"""Spider argument names: an unknown one (``-a bogus=1``, a misspelt ``-a edtion=en``) is an error, not ignored."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def unknown_argument(names: Iterable[str], known: Iterable[str]) -> str | None:
    """One line naming the first argument not in ``known`` (with the closest known name when one is near), or
    None when all are known. Names starting with ``_`` are runners' own (scrapyd passes ``_job``) and pass.

    >>> unknown_argument(["edtion"], ("edition", "sections"))
    "unknown spider argument 'edtion' (did you mean 'edition'?); known arguments: edition, sections"
    >>> unknown_argument(["bogus"], ("edition", "sections"))
    "unknown spider argument 'bogus'; known arguments: edition, sections"
    >>> unknown_argument(["edition", "_job"], ("edition",)) is None
    True
    """
    known = tuple(known)
    for name in names:
        if name in known or name.startswith("_"):
            continue
        close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown spider argument {name!r}{hint}; known arguments: {', '.join(known)}"
    return None
