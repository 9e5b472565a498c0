"""Revisit records resolved to their originals, among one story's captures from every file (or index) read.

A deduplicating crawler (warcprox, Heritrix, pywb's recorder) writes a ``revisit`` record, with no payload, when a
page is unchanged since an earlier capture; the record names that capture by ``WARC-Refers-To-Date`` (and
``-Target-URI``) or only by its payload digest. Every URL variant of a story has the story's key, so the original
is among the story's own captures when it is anywhere in the archive. A resolved revisit becomes a capture at the
revisit's time and URL whose bytes are the original's (its ``filename``/``offset``/``length``, or, for Wayback,
the archive's replay at the revisit's time, which resolves the revisit itself).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from scrapy.statscollectors import StatsCollector

from newscrawler.sources.captures import Capture

#: Unresolved revisits named in the manifest (all are counted).
NAMED = 100
#: Finds a revisit's original among all captures, or None.
Lookup = Callable[[Capture], "Capture | None"]


def resolve(
    captures: list[Capture], replayed: bool = False, elsewhere: Lookup | None = None
) -> tuple[list[Capture], list[Capture]]:
    """``(captures with each revisit resolved, revisits whose original is not among them)``; an unresolved revisit
    is left out of the first list. ``replayed``: the archive replays revisits itself (Wayback), so a revisit with
    no original here is kept as an HTML capture for the archive to resolve. ``elsewhere``: finds an original
    another URL's captures hold (a deduplicating crawler matches payloads whatever the URL: two stories' "not
    found" pages, say), from the revisit's ``WARC-Refers-To-Target-URI`` and date.

    >>> first = Capture("20201101000000", "http://x/en/story/1", 200, "text/html", "sha1:A", "a.warc", 10, 99)
    >>> again = Capture("20201120000000", "http://x/EN/story/1", 200, "warc/revisit", "sha1:A", "b.warc", 5, 9)
    >>> lost = Capture("20201121000000", "http://x/en/story/1", None, "warc/revisit", "sha1:B")
    >>> found, unresolved = resolve([first, again, lost])
    >>> [(c.timestamp, c.url, c.filename, c.offset) for c in found], unresolved == [lost]
    ([('20201101000000', 'http://x/en/story/1', 'a.warc', 10),
      ('20201120000000', 'http://x/EN/story/1', 'a.warc', 10)], True)
    """
    if not any(c.revisit for c in captures):
        return captures, []
    originals = [c for c in captures if not c.revisit]
    found, unresolved = list(originals), []
    for revisit in (c for c in captures if c.revisit):
        original = original_of(revisit, originals) or (elsewhere(revisit) if elsewhere else None)
        if original is not None:
            found.append(replace(original, timestamp=revisit.timestamp, url=revisit.url))
        elif replayed:
            found.append(replace(revisit, status=200, mime="text/html"))
        else:
            unresolved.append(revisit)
    return found, unresolved


def original_of(revisit: Capture, originals: list[Capture]) -> Capture | None:
    """The capture ``revisit`` repeats: the one at its ``WARC-Refers-To-Date``, else the latest one before it with
    its payload digest (any with that digest, when the files disagree on order)."""
    if revisit.refers_to:
        at = [c for c in originals if c.timestamp[:14] == revisit.refers_to[:14]]
        same = [c for c in at if not revisit.digest or not c.digest or c.digest == revisit.digest]
        if same or at:
            return (same or at)[0]
    if not revisit.digest:
        return None
    matching = sorted((c for c in originals if c.digest == revisit.digest), key=lambda c: c.timestamp)
    earlier = [c for c in matching if c.timestamp <= revisit.timestamp]
    return (earlier or matching)[-1] if matching else None


class Unresolved:
    """Counts revisits left unresolved (``newscrawler/archive/revisit_unresolved``), names the first
    :data:`NAMED` in the stats for the manifest (``newscrawler/revisits_unresolved``), warns once."""

    def __init__(self, stats: StatsCollector, logger: logging.Logger | logging.LoggerAdapter[logging.Logger]) -> None:
        self.stats, self.logger = stats, logger
        self.named: list[str] = []

    def add(self, revisits: list[Capture]) -> None:
        if not self.named:
            self.logger.warning(
                "revisit record(s) whose original is in none of the files read, first %s at %s (counted as "
                "newscrawler/archive/revisit_unresolved; give the files holding the originals too)",
                revisits[0].url,
                revisits[0].iso_time,
            )
        self.stats.inc_value("newscrawler/archive/revisit_unresolved", len(revisits))
        room = NAMED - len(self.named)
        self.named += [f"{c.iso_time} {c.url}" for c in revisits[:room]]
        self.stats.set_value("newscrawler/revisits_unresolved", list(self.named))
