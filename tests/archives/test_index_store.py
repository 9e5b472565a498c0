"""The on-disk capture index (:mod:`newscrawler.sources.indexstore`): what it reads back is what was added, in
the order the crawl relies on, across batches of keys, in a temporary file or a named one."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawler.baghdadpost.archive import ListingId, item_key, listing_id
from newscrawler.baghdadpost.urls import StoryKey
from newscrawler.sources import indexstore
from newscrawler.sources.captures import Capture
from newscrawler.sources.indexstore import CaptureIndex

HOST = "http://www.thebaghdadpost.com"
#: (timestamp, URL, status, digest), in the order an index answered them.
CAPTURES = [
    ("20200105000000", f"{HOST}/en/Story/10/a", 200, "sha1:A"),
    ("20200101000000", f"{HOST}/EN/story/9/a", 200, None),
    ("20200103000000", f"{HOST}/ar/Story/100/b", 404, "sha1:B"),
    ("20200102000000", f"{HOST}/en/Story/100/c", None, None),
    ("20200104000000", "https://thebaghdadpost.com/en/story/9/a/", 301, "sha1:C"),
    ("20200101000000", f"{HOST}/en/Story/10/a", 200, "sha1:D"),
    ("20200106000000", f"{HOST}/ar/Section/3/x?page=2", 200, None),
    ("20200107000000", f"{HOST}/en/Section/1/x", 200, None),
    ("20200108000000", f"{HOST}/en/Author/900/y", 200, None),
]


def filled(path: Path | None = None) -> CaptureIndex[StoryKey, ListingId]:
    index = CaptureIndex(StoryKey, ListingId, path)
    for timestamp, url, status, digest in CAPTURES:
        index.add(Capture(timestamp, url, status, "text/html", digest), item_key(url), listing_id(url))
    index.finish()
    return index


@pytest.mark.parametrize("keys_at_once", [1, 2, 256])
def test_items_and_listings_come_back_in_key_order_with_captures_as_added(
    keys_at_once: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexstore, "KEYS_AT_ONCE", keys_at_once)
    index = filled()
    items = [(key, [c.timestamp for c in captures]) for key, captures in index.items.items()]
    assert items == [
        (StoryKey("ar", 100), ["20200103000000"]),
        (StoryKey("en", 9), ["20200101000000", "20200104000000"]),
        (StoryKey("en", 10), ["20200105000000", "20200101000000"]),  # 10 after 9: keys compare as tuples
        (StoryKey("en", 100), ["20200102000000"]),
    ]
    assert list(index.items.counts()) == [(key, len(times)) for key, times in items]
    assert (len(index.items), index.items.captures(), len(index.listings), index.listings.captures()) == (4, 6, 3, 3)
    assert list(index.listings.keys()) == [
        ListingId("author", "en", 900, 1),
        ListingId("section", "ar", 3, 2),
        ListingId("section", "en", 1, 1),
    ]
    assert index.newest == "20200108000000"


def test_every_field_of_a_capture_is_kept() -> None:
    index = CaptureIndex(StoryKey, ListingId)
    capture = Capture("20200101000000", f"{HOST}/en/Story/1", 200, "text/html", "sha1:X", "f.warc.gz", 7, 9, "m")
    index.add(capture, StoryKey("en", 1), None)
    assert list(index.items.items()) == [(StoryKey("en", 1), [capture])]


@pytest.mark.parametrize(
    ("url", "timestamp", "found"),
    [
        ("https://thebaghdadpost.com/en/story/10/A/", "20200102000000", "20200101000000"),  # closest in time
        (f"{HOST}/en/Story/10/a", "20200104000000", "20200105000000"),
        (f"{HOST}/en/Story/100/c", "20200102000000", None),  # a revisit is never a target
        (f"{HOST}/en/Story/404", "20200102000000", None),
    ],
)
def test_nearest_capture_of_a_redirect_target(url: str, timestamp: str, found: str | None) -> None:
    nearest = filled().nearest(url, timestamp)
    assert (nearest.timestamp if nearest else None) == found


def test_digest_found_by_resource_and_time() -> None:
    index = filled()
    assert index.digest_of(Capture("20200104000000", f"{HOST}/en/story/9/a")) == "sha1:C"
    assert index.digest_of(Capture("20200101000000", f"{HOST}/en/story/9/a")) is None
    assert index.digest_of(Capture("20200101000000", "u", digest="sha1:own")) == "sha1:own"


def test_a_named_file_is_emptied_for_each_new_index(tmp_path: Path) -> None:
    path = tmp_path / "state" / "crawl.index.sqlite3"
    filled(path).close()
    assert path.exists()
    again = CaptureIndex(StoryKey, ListingId, path)
    assert len(again.items) == 0 and list(again.items.items()) == []
