"""The host gate: a Retry-After pause holds every request to the host, whatever download slot it uses."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request

from newscrawler.retries.hosts import HostGate

ARCHIVE = "https://web.archive.org"


def gate() -> HostGate:
    crawler: Any = SimpleNamespace(engine=None)
    return HostGate(crawler)


@pytest.mark.parametrize(
    ("paused", "other", "held"),
    [
        (f"{ARCHIVE}/cdx/search/cdx?url=x", f"{ARCHIVE}/web/2020id_/http://x/", True),  # index pauses replay
        (f"{ARCHIVE}/web/2020id_/http://x/", f"{ARCHIVE}/cdx/search/cdx?url=y", True),  # and the other way
        (f"{ARCHIVE}/web/2020id_/http://x/", "https://index.commoncrawl.org/CC-MAIN-2020-50-index?url=x", False),
    ],
)
def test_a_pause_holds_every_request_to_its_host(paused: str, other: str, held: bool) -> None:
    hosts = gate()
    until = hosts.pause(hosts.host_key(Request(paused, meta={"download_slot": "cdx"})), 30)
    wait = hosts.wait(hosts.host_key(Request(other, meta={"download_slot": "replay"})))
    assert (wait > 29) is held and until > 0


def test_a_pause_is_never_shortened() -> None:
    hosts = gate()
    first = hosts.pause("web.archive.org", 60)
    assert hosts.pause("web.archive.org", 5) == first


def test_a_pause_knows_when_it_began_and_an_extension_keeps_that_start() -> None:
    hosts = gate()
    assert hosts.paused_since("web.archive.org") is None
    hosts.pause("web.archive.org", 30)
    began = hosts.paused_since("web.archive.org")
    assert began is not None
    hosts.pause("web.archive.org", 60)  # a 429 answered to a request already in flight extends the same pause
    assert hosts.paused_since("web.archive.org") == began
    assert hosts.paused_since("index.commoncrawl.org") is None
