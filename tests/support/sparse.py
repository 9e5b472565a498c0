"""An archive of a changing site visited several times, its deeper listing pages captured sparsely.

At each visit after the first, every paged English section of a copy of the snapshot (tests/support/mutate.py)
gets a new story at the top of page 1, and one story moves from the foot of each page to the top of the next (the site's
pagination shifting as stories are added). Page 1 of each section is captured at every visit; deeper pages and
author pages each with probability ``p``; story pages at the first visit, new stories at the visit they appear,
others with probability ``p``. A story moved off page 1 is then listed only by older captures, or by a deeper page
captured later, if one was. :attr:`Sparse.listed` is, per story, the listing captures whose HTML lists it (read
with a regular expression on the listing markup, not the crawler's code).
"""

from __future__ import annotations

import itertools
import json
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newscrawler.baghdadpost.urls import HOST, story_key
from newscrawler.snapshot.server import SnapshotServer
from tests.support.archives import WarcFile, fetch
from tests.support.mutate import SiteCopy

FIRST_VISIT = datetime(2020, 6, 1, tzinfo=UTC)
ITEM = re.compile(r'<div class="news-item[ "]')
LISTED = re.compile(r'class="news-item-title"><a href="([^"]+)"')


@dataclass
class Sparse:
    warcs: list[Path]
    #: story key -> listing captures (path, visit) that list it
    listed: dict[tuple[str, int], set[tuple[str, int]]] = field(default_factory=dict)
    listing_captures: int = 0


def _pages(manifest: dict[str, Any]) -> dict[str, list[str]]:
    """Paged sections: the path of page 1 -> every page's path, in order."""
    sections: dict[str, list[str]] = {}
    for path in manifest:
        if "/section/" in path.lower():
            sections.setdefault(path.split("?")[0], []).append(path)
    return {first: sorted(paths, key=len) for first, paths in sections.items() if len(paths) > 1}


def _shift(site: SiteCopy, pages: list[str]) -> None:
    """Move the next-to-last item of each page to the top of the next page, deepest first (pages read as
    latin-1 to keep their bytes: the Arabic ones are windows-1256)."""
    for here, there in reversed(list(itertools.pairwise(pages))):
        source, target = site.root / site.manifest[here]["file"], site.root / site.manifest[there]["file"]
        html = source.read_text(encoding="latin-1")
        starts = [m.start() for m in ITEM.finditer(html)]
        if len(starts) < 3:
            continue
        item = html[starts[-2] : starts[-1]]
        source.write_text(html[: starts[-2]] + html[starts[-1] :], encoding="latin-1")
        other = target.read_text(encoding="latin-1")
        first = ITEM.search(other)
        at = first.start() if first else other.index('<div class="news-list">\n') + len('<div class="news-list">\n')
        target.write_text(other[:at] + item + other[at:], encoding="latin-1")


def build_sparse(out: Path, visits: int = 5, p: float = 0.4, seed: int = 7) -> Sparse:
    site = SiteCopy(out / "site")
    rng = random.Random(seed)
    result = Sparse(warcs=[out / f"visit-{v}.warc.gz" for v in range(visits)])
    sections = _pages(site.manifest)
    stories = [path for path, entry in site.manifest.items() if story_key(path) and entry["status"] == 200]
    like = next(key for key in map(story_key, stories) if key is not None and key.edition == "en")
    for visit in range(visits):
        fresh: list[str] = []
        if visit:
            for number, (first, pages) in enumerate(sorted(sections.items())):
                if not first.startswith("/en/"):  # English sections (Arabic pages mix encodings)
                    continue
                _shift(site, pages)
                story_id = 990000 + visit * 100 + number
                when = (FIRST_VISIT + timedelta(days=7 * visit - 1)).strftime("%d %B %Y 09:00 AM")
                headline = f"Visit {visit} news {number}"
                site.add_story(tuple(like), story_id, headline, when, site.manifest[first]["file"])
                fresh.append(f"/en/Story/{story_id}/{'-'.join(headline.split())}")
            site.save()
        _capture(site, visit, result, rng, p, stories if visit == 0 else fresh, stories)
    return result


def _capture(
    site: SiteCopy, visit: int, result: Sparse, rng: random.Random, p: float, new: list[str], stories: list[str]
) -> None:
    warc = WarcFile(result.warcs[visit], FIRST_VISIT + timedelta(days=7 * visit))
    with SnapshotServer(site.root) as server:
        for path in [pa for pa in site.manifest if "/section/" in pa.lower() or "/author/" in pa.lower()]:
            if ("page=" in path or "/author/" in path.lower()) and rng.random() >= p:
                continue
            fetched = fetch(server.url, path)
            warc.capture(HOST + path, fetched)
            result.listing_captures += 1
            for href in LISTED.findall(fetched[3].decode("utf-8", "replace")):
                key = story_key(href)
                if key is not None:
                    result.listed.setdefault((key.edition, key.story_id), set()).add((path, visit))
        for path in new + [s for s in stories if s not in new and rng.random() < p]:
            warc.capture(HOST + path, fetch(server.url, path))
    warc.close()


def listed_keys(sparse: Sparse) -> set[tuple[str, int]]:
    return set(sparse.listed)


def dump(sparse: Sparse, path: Path) -> None:
    path.write_text(json.dumps({f"{k[0]}/{k[1]}": sorted(v) for k, v in sparse.listed.items()}), encoding="utf-8")
