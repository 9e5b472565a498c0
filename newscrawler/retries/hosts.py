"""Per-host gates: no request goes to a host while it is paused by ``Retry-After``, and requests to a host with
a ``Crawl-delay`` go at least that far apart. A host is a hostname, whatever download slots its requests use (an
archive's index queries and replays go through two slots to one host: a 429 on either pauses both).

Requests are held in a downloader middleware's ``process_request`` (before they reach a slot), and the queues of
the host's slots are blocked for the pause, so requests already queued there wait too. Components share one gate per
crawler: :func:`host_gate_of`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import call_later
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)


class HostGate:
    """When each host may next be asked. Times are wall-clock seconds (``time.time()``), so that a request's
    ``not_before`` survives a JOBDIR restart."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.paused_until: dict[str, float] = {}
        self.spacing: dict[str, float] = {}
        self._next_turn: dict[str, float] = {}
        self._slots: dict[str, set[str]] = {}
        self._pause_started: dict[str, float] = {}

    def host_key(self, request: Request) -> str:
        """The host the request goes to (its gate's key); the download slot it uses is remembered for pauses."""
        host = urlparse_cached(request).hostname or ""
        self._slots.setdefault(host, set()).add(self.slot_key(request))
        return host

    def slot_key(self, request: Request) -> str:
        """The download slot (host) the request goes to, as the downloader computes it."""
        engine = self.crawler.engine
        if engine is None:
            return ""
        return str(engine.downloader.get_slot_key(request))

    def pause(self, key: str, seconds: float) -> float:
        """Pause the host for ``seconds`` from now (never shortening a longer pause); return the pause's end."""
        now = time.time()
        if self.paused_since(key) is None:
            self._pause_started[key] = now
        until = max(self.paused_until.get(key, 0.0), now + seconds)
        self.paused_until[key] = until
        for slot in self._slots.get(key, set()):
            self._block_slot_queue(slot, until - time.time())
        return until

    def paused_since(self, key: str) -> float | None:
        """When the host's current pause began; None when it is not paused."""
        return self._pause_started.get(key) if self.paused_until.get(key, 0.0) > time.time() else None

    def set_spacing(self, key: str, seconds: float) -> None:
        """Send requests to the host at least ``seconds`` apart (robots.txt ``Crawl-delay``)."""
        self.spacing[key] = seconds

    def wait(self, key: str, not_before: float = 0.0) -> float:
        """Seconds the request must still wait; 0 means it may go now (and takes the host's next turn)."""
        now = time.time()
        ready = max(self.paused_until.get(key, 0.0), not_before, self._next_turn.get(key, 0.0))
        if ready > now:
            return ready - now
        if self.spacing.get(key):
            self._next_turn[key] = now + self.spacing[key]
        return 0.0

    async def admit(self, request: Request, not_before: float = 0.0) -> float:
        """Wait until the request may go to its host; return the seconds waited."""
        key, waited = self.host_key(request), 0.0
        while (seconds := self.wait(key, not_before)) > 0:
            await asyncio.sleep(min(seconds, 60.0))
            waited += seconds
        return waited

    def _block_slot_queue(self, key: str, seconds: float) -> None:
        """Hold the requests already queued in the host's download slot until the pause ends (the downloader
        sends nothing from a slot while its ``latercall`` is pending)."""
        engine = self.crawler.engine
        slot: Any = engine.downloader.slots.get(key) if engine is not None else None
        if slot is None or seconds <= 0:
            return
        downloader: Any = engine.downloader if engine is not None else None
        if slot.latercall is not None:
            slot.latercall.cancel()
        slot.latercall = call_later(seconds, downloader._latercall, slot)


def host_gate_of(crawler: Crawler) -> HostGate:
    """The crawler's gate, created on first use."""
    gate = getattr(crawler, "host_gate", None)
    if gate is None:
        gate = HostGate(crawler)
        crawler.host_gate = gate  # type: ignore[attr-defined]
    return gate
