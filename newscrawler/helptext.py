"""Command-line help as plain text: docstrings' reStructuredText markup taken out."""

from __future__ import annotations

import argparse
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

_ROLE = re.compile(r":[a-z]+(?::[a-z]+)?:`(~?)([^`<]*?)(?:\s*<[^>]*>)?`")
_LITERAL = re.compile(r"``([^`]+)``")
_EMPHASIS = re.compile(r"(?<![\w*])\*{1,2}([^*\s][^*]*?)\*{1,2}(?![\w*])")
_INTERPRETED = re.compile(r"(?<!\w)`([^`]+)`_?(?!\w)")


def plain(text: str) -> str:
    """``text`` with reStructuredText roles, literals, emphasis and links reduced to their words.

    >>> plain("The ``newscrawler`` command: see :func:`~newscrawler.cli.main` and *every* `run <https://x>`_.")
    'The newscrawler command: see main and every run.'
    >>> plain(":class:`scrapy.Spider` and **bold**")
    'scrapy.Spider and bold'
    """
    text = _ROLE.sub(lambda m: m.group(2).rsplit(".", 1)[-1] if m.group(1) else m.group(2), text)
    text = _LITERAL.sub(r"\1", text)
    text = re.sub(r"`([^`<]+?)\s*<[^>]+>`_", r"\1", text)
    text = _INTERPRETED.sub(r"\1", text)
    return _EMPHASIS.sub(r"\1", text)


class PlainParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help and usage (its subcommands' too) are plain text."""

    def format_help(self) -> str:
        return plain(super().format_help())

    def format_usage(self) -> str:
        return plain(super().format_usage())


@dataclass(frozen=True)
class ArgumentDoc:
    """One ``NAME=VALUE`` argument as help shows it: its name, the form of its value, what it means, its default."""

    name: str
    value: str
    meaning: str
    default: str


def argument_lines(docs: Iterable[ArgumentDoc], width: int = 100, column: int = 24) -> list[str]:
    """Help lines for ``docs``: ``NAME=VALUE`` then its meaning and default, wrapped at ``width``.

    >>> argument_lines([ArgumentDoc("edition", "en|ar|all", "the edition to crawl", "all")])
    ['  edition=en|ar|all     the edition to crawl (default: all)']
    """
    lines = []
    for doc in docs:
        head = f"  {doc.name}={doc.value}"
        default = f"(default: {doc.default})".replace(" ", "\xa0")  # kept on one line: wrap splits on ASCII space only
        text = [line.replace("\xa0", " ") for line in textwrap.wrap(f"{doc.meaning} {default}", width - column)]
        if len(head) >= column - 1:
            lines.append(head)
        else:
            lines.append(head.ljust(column) + text.pop(0))
        lines += [" " * column + line for line in text]
    return lines
