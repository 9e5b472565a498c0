"""One outcome per story: the run's ledger of every story it meets and how each ended.

Any source that meets stories (listings, revisits of known stories, archive indexes) feeds it::

    ledger = outcome_ledger_of(crawler)
    ledger.met(key)                      # the run has met this story (idempotent)
    ledger.end(key, "failed:http_500")   # its outcome; the first one given stands, except that a story
                                         # skipped and then taken up after all (met again) takes its new one

``key`` is any hashable identity (here ``(edition, storyId)``; records are keyed by
``NEWSCRAWLER_IDENTITY_FIELDS``). Archive crawls feed it through :mod:`newscrawler.sources.signals` (found,
failed, skipped). An outcome is ``exported``, ``unchanged``, or ``skipped:``/``dropped:``/
``failed:`` and a reason. Records end their story themselves: ``item_scraped`` is ``exported``; a dropped record
ends it with the ``outcome`` attribute of the ``DropItem`` (see :func:`drop`; ``None``: not an outcome, e.g. a
second record of a story), else ``dropped:other``. A story request (``meta["story_key"]``) the scheduler drops as
a duplicate (already requested earlier in this job, e.g. before a JOBDIR resume) ends ``skipped:already_requested``.

When the spider closes, stories still open end as ``failed:interrupted`` if the run did not finish; if it did, they
are *unaccounted*, logged with their keys. Stats: ``newscrawler/outcomes/{outcome}``, ``newscrawler/outcomes_met``,
``newscrawler/outcomes_unaccounted`` (the manifest's ``outcomes``). Off with ``NEWSCRAWLER_OUTCOMES = False``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Hashable, Mapping
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawler.components import switched_off
from newscrawler.sources import signals as source_signals

logger = logging.getLogger(__name__)
FINAL = ("exported", "unchanged")
#: The request meta key that names the story a request is for (set by the spider or any other source).
STORY_KEY = "story_key"
WITH_REASON = ("skipped", "dropped", "failed")
#: The outcome kinds, in the order every summary shows them: the progress line, the demo summary, the report.
KINDS = (*FINAL, *WITH_REASON)


def is_outcome(outcome: str) -> bool:
    """>>> [is_outcome(o) for o in ("exported", "failed:http_500", "failed:", "lost")]
    [True, True, False, False]
    """
    kind, _, reason = outcome.partition(":")
    return outcome in FINAL or (kind in WITH_REASON and bool(reason))


def by_kind(counts: Mapping[str, int]) -> dict[str, int]:
    """Stories per outcome kind (every kind, zeros too) from counts per outcome.

    >>> by_kind({"exported": 5, "dropped:http_404": 2, "dropped:not_a_story": 1})
    {'exported': 5, 'unchanged': 0, 'skipped': 0, 'dropped': 3, 'failed': 0}
    """
    totals = dict.fromkeys(KINDS, 0)
    for outcome, count in counts.items():
        totals[outcome.partition(":")[0]] = totals.get(outcome.partition(":")[0], 0) + int(count)
    return totals


def describe_outcomes(counts: Mapping[str, int], reasons: bool = True) -> str:
    """Counts per outcome in words, kinds in :data:`KINDS` order, with their reasons (``reasons``).

    >>> describe_outcomes({"exported": 5, "dropped:http_404": 2, "dropped:not_a_story": 1})
    'exported 5 | unchanged 0 | skipped 0 | dropped 3 (http_404 2, not_a_story 1) | failed 0'
    >>> describe_outcomes({"failed:timeout": 1}, reasons=False)
    'exported 0 | unchanged 0 | skipped 0 | dropped 0 | failed 1'
    """
    parts = []
    for kind, total in by_kind(counts).items():
        why = sorted((o.partition(":")[2], n) for o, n in counts.items() if o.startswith(f"{kind}:") and n)
        detail = f" ({', '.join(f'{reason} {n}' for reason, n in why)})" if reasons and why else ""
        parts.append(f"{kind} {total}{detail}")
    return " | ".join(parts)


def archive_outcome(reason: str) -> str:
    """``dropped:`` when the archive's captures say the story is not there (asking again would not change it),
    ``failed:`` for a transport or server failure, or a revisit whose original was not read (a later run, or one
    given the original's file, may get it).

    >>> [archive_outcome(r) for r in ("http_404", "not_a_story", "revisit_unresolved", "http_503", "TimeoutError")]
    ['dropped:http_404', 'dropped:not_a_story', 'failed:revisit_unresolved', 'failed:http_503', 'failed:TimeoutError']
    """
    transient = reason.startswith("http_5") or reason[:1].isupper() or reason == "revisit_unresolved"
    return f"{'failed' if transient else 'dropped'}:{reason}"


def drop(outcome: str | None, message: str, **kwargs: Any) -> DropItem:
    """A ``DropItem`` that tells the ledger the story's outcome (``None``: the drop ends no story)."""
    error = DropItem(message, **kwargs)
    error.outcome = outcome  # type: ignore[attr-defined]
    return error


class OutcomeLedger:
    """Stories met and their outcomes. Usable alone (tests, tools) or as the run's extension (:meth:`from_crawler`)."""

    def __init__(self, identity: list[str] | None = None) -> None:
        self.identity = identity or ["edition", "storyId"]
        self.open: set[Hashable] = set()
        self.outcomes: dict[Hashable, str] = {}
        self.crawler: Crawler | None = None

    def met(self, key: Hashable) -> None:
        """The run met the story (again): open unless it already has an outcome other than a skip."""
        if key not in self.outcomes or self.outcomes[key].startswith("skipped:"):
            self.outcomes.pop(key, None)
            self.open.add(key)

    def end(self, key: Hashable, outcome: str) -> bool:
        """Record the story's outcome (meeting it if not yet met); False when it already had one."""
        if not is_outcome(outcome):
            raise ValueError(f"not an outcome: {outcome!r}")
        if key in self.outcomes:
            return False
        self.open.discard(key)
        self.outcomes[key] = outcome
        return True

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.outcomes.values()).items()))

    @property
    def met_count(self) -> int:
        return len(self.open) + len(self.outcomes)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWLER_OUTCOMES", True):
            raise switched_off(cls, "NEWSCRAWLER_OUTCOMES is off")
        ledger = cls(crawler.settings.getlist("NEWSCRAWLER_IDENTITY_FIELDS") or None)
        ledger.crawler = crawler
        crawler.outcome_ledger = ledger  # type: ignore[attr-defined]
        crawler.signals.connect(ledger.item_scraped, signals.item_scraped)
        crawler.signals.connect(ledger.item_dropped, signals.item_dropped)
        crawler.signals.connect(ledger.request_dropped, signals.request_dropped)
        crawler.signals.connect(ledger.met, source_signals.item_found)
        crawler.signals.connect(ledger.archive_failed, source_signals.item_failed)
        crawler.signals.connect(ledger.archive_skipped, source_signals.item_skipped)
        crawler.signals.connect(ledger.spider_closed, signals.spider_closed)
        return ledger

    def record_key(self, item: Any) -> Hashable:
        adapter = ItemAdapter(item)
        return tuple(adapter.get(name) for name in self.identity)

    def item_scraped(self, item: Any) -> None:
        self.end(self.record_key(item), "exported")

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        outcome = getattr(exception, "outcome", "dropped:other")
        if outcome is not None:
            self.end(self.record_key(item), outcome)

    def archive_failed(self, key: Hashable, reason: str) -> None:
        """An archive held the story but no capture of it yielded one (:mod:`newscrawler.sources.signals`)."""
        self.end(key, archive_outcome(reason))

    def archive_skipped(self, key: Hashable, reason: str) -> None:
        self.end(key, f"skipped:{reason}")

    def request_dropped(self, request: Any) -> None:
        key = request.meta.get(STORY_KEY)
        if key is not None:
            self.end(tuple(key), "skipped:already_requested")

    def spider_closed(self, reason: str) -> None:
        """Close the books: open stories fail as interrupted (run stopped early) or are reported unaccounted."""
        unaccounted = sorted(self.open, key=repr)
        if reason != "finished":
            for key in unaccounted:
                self.end(key, "failed:interrupted")
            unaccounted = []
        elif unaccounted:
            shown = ", ".join(map(repr, unaccounted[:20]))
            logger.error("%d stories met but not accounted for: %s", len(unaccounted), shown)
        self._publish(len(unaccounted))

    def _publish(self, unaccounted: int) -> None:
        stats = self.crawler.stats if self.crawler is not None else None
        if stats is None:
            return
        for outcome, count in self.counts().items():
            stats.set_value(f"newscrawler/outcomes/{outcome}", count)
        stats.set_value("newscrawler/outcomes_met", self.met_count)
        stats.set_value("newscrawler/outcomes_unaccounted", unaccounted)


def outcome_ledger_of(crawler: Crawler | None) -> OutcomeLedger:
    """The run's ledger; a detached one (counting nothing into the stats) when the extension is off."""
    ledger = getattr(crawler, "outcome_ledger", None)
    if ledger is None:
        ledger = OutcomeLedger()
        if crawler is not None:
            crawler.outcome_ledger = ledger  # type: ignore[attr-defined]
    return ledger
