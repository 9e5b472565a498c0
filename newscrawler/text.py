"""Generic text normalisation shared by extraction and pipelines."""

from __future__ import annotations

import re
import unicodedata

#: Invisible characters the records never carry: LRM, RLM, ALM, zero-width space, BOM / zero-width no-break.
INVISIBLE_CHARS = "\u200e\u200f\u061c\u200b\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")


def collapse_whitespace(text: str) -> str:
    """Collapse every whitespace run (non-breaking spaces included) to one space and trim.

    >>> collapse_whitespace("  a\\u00a0\\u00a0b\\n\\tc ")
    'a b c'
    """
    return " ".join(text.split())  # str.split() splits on exactly the characters re's \s matches


def clean_text(text: str) -> str:
    """Return ``text`` in Unicode NFC, without invisible direction/zero-width marks, whitespace collapsed.

    >>> clean_text("\\u200fقال\\u00a0 مصدر\\u200e ")
    'قال مصدر'
    >>> clean_text("e\\u0301") == "\\u00e9"
    True
    """
    return collapse_whitespace(unicodedata.normalize("NFC", _INVISIBLE.sub("", text)))
