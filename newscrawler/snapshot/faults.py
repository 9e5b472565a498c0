"""A snapshot server that misbehaves on purpose: ``newscrawler serve DIR --faults SPEC``.

``SPEC`` is ``KIND=RATE,...``, each rate the share of requests that get that fault:

* ``5xx`` (500, 502 or 503), or ``500``, ``502``, ``503`` alone: an error page;
* ``429``: ``Retry-After: N`` (``--retry-after``), after which every request from that client gets a 429 for N
  seconds, as a per-client rate limiter does (those are counted as ``in_retry_after_window``, and those arriving
  more than a second after the window opened, when the client had had time to hear of it, also as
  ``in_window_after_1s``);
* ``truncate``: a 200 with the full ``Content-Length`` but half the body, then the connection closes;
* ``chunked``: a 200 in chunked encoding, broken after its first chunk;
* ``reset``: the connection is closed (reset) before any answer;
* ``stall``: nothing is sent for ``--stall-s`` seconds (then the answer);
* ``soft``: a story page answered 200 with the site's 404 page; ``empty``: a 200 with no body.

Decisions are seeded (``--fault-seed``) per path and attempt, so a run is repeatable whatever the request order,
and transient: a path faults at most ``--max-streak`` times in a row. Tests can also script a path's answers
(``script``) or replace them (``answers``).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from newscrawler.baghdadpost.urls import story_key
from newscrawler.snapshot.faulthandler import fault_handler
from newscrawler.snapshot.manifest import Answer, Snapshot
from newscrawler.snapshot.server import SnapshotServer

KINDS = ("5xx", "500", "502", "503", "429", "truncate", "chunked", "reset", "stall", "soft", "empty")


def parse_faults(spec: str) -> dict[str, float]:
    """``"5xx=0.1,429=0.02"`` as rates by kind; ``ValueError`` with a one-line reason for a bad spec.

    >>> parse_faults("5xx=0.1, soft=0.02")
    {'5xx': 0.1, 'soft': 0.02}
    >>> parse_faults("teapot=1")
    Traceback (most recent call last):
    ...
    ValueError: unknown fault 'teapot' (use 5xx, 500, 502, 503, 429, truncate, chunked, reset, stall, soft, empty)
    """
    rates: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        kind, _, rate = part.partition("=")
        if kind.strip() not in KINDS:
            raise ValueError(f"unknown fault {kind.strip()!r} (use {', '.join(KINDS)})")
        try:
            rates[kind.strip()] = float(rate)
        except ValueError:
            raise ValueError(f"fault {kind.strip()!r} needs a rate like {kind.strip()}=0.05, not {rate!r}") from None
        if not 0.0 <= rates[kind.strip()] <= 1.0:
            raise ValueError(f"fault rate {rate} for {kind.strip()!r} is not between 0 and 1")
    if sum(rates.values()) > 1.0:
        raise ValueError("fault rates add up to more than 1")
    return rates


def path_key(raw_path: str) -> str:
    """How scripts and answers name a path: percent-decoded, lower case, query kept; a story by
    ``/{edition}/story/{id}`` whatever its slug.

    >>> path_key("/EN/Section/1/A%20b?page=2"), path_key("/EN/Story/1/Any-Slug")
    ('/en/section/1/a b?page=2', '/en/story/1')
    """
    key = unquote(raw_path).lower()
    story = story_key(key.split("?")[0])
    return f"/{story.edition}/story/{story.story_id}" if story else key


@dataclass
class FaultPlan:
    """What the server does wrong, and how often."""

    rates: dict[str, float] = field(default_factory=dict)
    seed: int = 0
    retry_after: int = 5
    stall_s: float = 60.0
    max_streak: int = 2


@dataclass
class FaultLog:
    """What happened, for tests and the exit summary: ``(time, client, path, what)`` per request, and counts."""

    entries: list[tuple[float, str, str, str]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, client: str, path: str, what: str) -> None:
        with self.lock:
            self.entries.append((time.time(), client, path, what))
            self.counts["requests"] += 1
            self.counts[what] += 1

    def summary(self) -> str:
        """One line: ``requests=N ok=N 503=N ... in_retry_after_window=N``."""
        fixed = ("requests", "ok", "in_retry_after_window", "in_window_after_1s")
        order = ["requests", "ok", *sorted(k for k in self.counts if k not in fixed), *fixed[2:]]
        return " ".join(f"{k}={self.counts[k]}" for k in order)


class FaultServer(SnapshotServer):
    """:class:`SnapshotServer` with faults. ``script`` maps a :func:`path_key` to the faults its next requests
    get, in order (``"ok"`` for a normal answer; ``"429:VALUE"`` sends that ``Retry-After`` value);
    ``answers`` replaces what a path answers."""

    def __init__(
        self,
        root: Path,
        plan: FaultPlan | None = None,
        port: int = 0,
        script: Mapping[str, list[str]] | None = None,
        answers: Mapping[str, Answer] | Callable[[str], Answer | None] | None = None,
    ) -> None:
        self.plan, self.log = plan or FaultPlan(), FaultLog()
        self.snapshot = Snapshot.load(root)
        self.requests: list[str] = []
        self._script = {k: list(v) for k, v in (script or {}).items()}
        self._answers = answers.get if isinstance(answers, Mapping) else answers
        self._state = _Decisions(self.plan)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), fault_handler(self))
        self.httpd.daemon_threads = True
        self._thread = None

    def decide(self, client: str, raw_path: str) -> str:
        """The fault for this request (``ok`` for none), from the script or the seeded plan."""
        key = path_key(raw_path)
        with self.log.lock:
            if self._state.limited_until.get(client, 0.0) > time.time():
                if time.time() - self._state.limited_since.get(client, 0.0) > 1.0:
                    self.log.counts["in_window_after_1s"] += 1
                return "in_retry_after_window"
            if not self._script.get(key):
                return self._state.decide(client, key)
            what = self._script[key].pop(0)
            kind, _, value = what.partition(":")
            if kind == "429" and (value.isdigit() or not value):
                self._state.limit(client, int(value or self.plan.retry_after))
            return what

    def answer(self, raw_path: str) -> Answer:
        replaced = self._answers(path_key(raw_path)) if self._answers else None
        return replaced or self.snapshot.resolve(raw_path)

    def retry_after_for(self, client: str) -> str:
        """The ``Retry-After`` to send the client: what is left of its window, else ``--retry-after``."""
        until = self._state.limited_until.get(client, 0.0)
        return str(max(1, round(until - time.time())) if until > time.time() else self.plan.retry_after)

    def is_story(self, raw_path: str) -> bool:
        return story_key(unquote(raw_path).split("?")[0]) is not None


class _Decisions:
    """Seeded, transient fault decisions and the per-client 429 windows."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self.attempts: Counter[str] = Counter()
        self.streak: Counter[str] = Counter()
        self.limited_until: dict[str, float] = {}
        self.limited_since: dict[str, float] = {}

    def limit(self, client: str, seconds: float) -> None:
        self.limited_since[client], self.limited_until[client] = time.time(), time.time() + seconds

    def decide(self, client: str, key: str) -> str:
        rng = random.Random(f"{self.plan.seed}|{key}|{self.attempts[key]}")
        self.attempts[key] += 1
        kind = _pick(rng, self.plan.rates)
        if kind == "ok" or self.streak[key] >= self.plan.max_streak:
            self.streak[key] = 0
            return "ok"
        self.streak[key] += 1
        if kind == "5xx":
            kind = rng.choice(("500", "502", "503"))
        if kind == "429":
            self.limit(client, self.plan.retry_after)
        return kind


def _pick(rng: random.Random, rates: dict[str, float]) -> str:
    draw, total = rng.random(), 0.0
    for kind in KINDS:
        total += rates.get(kind, 0.0)
        if draw < total:
            return kind
    return "ok"
