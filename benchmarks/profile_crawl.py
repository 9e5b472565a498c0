"""Where a crawl's time goes: cProfile of one full crawl of a snapshot over loopback, grouped by component.

    python benchmarks/profile_crawl.py SNAPSHOT_DIR [--stateless] [--out crawl.prof] [--top 25]

Serves the snapshot with ``newscrawler serve`` in its own process and crawls it in this process, as
``scrapy crawl`` would with no ``-o``: per-run export, monitors, and crawl state on a fresh data directory
(``--stateless``: ``NEWSCRAWLER_STATE=0``). Prints two views of the same profile:

* self time by component (every function's own time, grouped by the file it is defined in; C functions by
  the library they belong to), which sums to the whole run;
* inclusive time of newscrawler's entry points (each pipeline, the spider's handlers, the site package's
  parsers, the state's hooks, the feed exporter), which overlap.

Times are CPU times of this process (``time.process_time``), so other jobs on a shared machine and idle waits
for the network do not count.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings
from serving import served

from newscrawler.demo import LOOPBACK_SETTINGS
from newscrawler.exports.feeds import default_feeds, new_run_id

#: (component, marker in the file path or C function name), first match wins.
GROUPS = [
    ("newscrawler: site package (baghdadpost/)", "newscrawler/baghdadpost/"),
    ("newscrawler: spider routing", "newscrawler/spiders/"),
    ("newscrawler: crawl state", "newscrawler/state/"),
    ("newscrawler: pipelines", "newscrawler/pipelines/"),
    ("newscrawler: exports", "newscrawler/exports/"),
    ("newscrawler: dates.py", "newscrawler/dates.py"),
    ("newscrawler: text.py / htmltext.py", "newscrawler/text.py"),
    ("newscrawler: text.py / htmltext.py", "newscrawler/htmltext.py"),
    ("newscrawler: monitors", "newscrawler/monitors.py"),
    ("newscrawler: other", "newscrawler/"),
    ("sqlite3", "sqlite3"),
    ("lxml (parse, XPath)", "lxml"),
    ("cssselect (CSS -> XPath)", "cssselect"),
    ("parsel", "parsel/"),
    ("w3lib", "w3lib/"),
    ("dateparser/regex", "dateparser"),
    ("feed export (scrapy exporters)", "scrapy/exporters.py"),
    ("feed export (scrapy exporters)", "scrapy/extensions/feedexport.py"),
    ("json", "json/"),
    ("json", "_json"),
    ("spidermon", "spidermon/"),
    ("scrapy (engine, scheduler, middlewares)", "scrapy/"),
    ("twisted (network, reactor)", "twisted/"),
    ("asyncio / selectors", "asyncio/"),
    ("asyncio / selectors", "selectors"),
    ("re (regular expressions)", "re/"),
    ("re (regular expressions)", "'re."),
    ("re (regular expressions)", "_sre"),
    ("re (regular expressions)", "re.Pattern"),
    ("re (regular expressions)", "re.Match"),
]

ENTRY_POINTS = [
    ("spider.parse_story", "spiders/baghdadpost.py", "parse_story"),
    ("spider.parse_listing", "spiders/baghdadpost.py", "parse_listing"),
    ("baghdadpost.story.parse_story", "baghdadpost/story.py", "parse_story"),
    ("baghdadpost.record.build_article", "baghdadpost/record.py", "build_article"),
    ("TextResponse.selector (HTML parse)", "scrapy/http/response/text.py", "selector"),
    ("pipeline text", "pipelines/text.py", "process_item"),
    ("pipeline dates", "pipelines/dates.py", "process_item"),
    ("pipeline required", "pipelines/required.py", "process_item"),
    ("pipeline duplicates", "pipelines/duplicates.py", "process_item"),
    ("pipeline versions", "pipelines/versions.py", "process_item"),
    ("state middleware output", "state/middleware.py", "process_spider_output"),
    ("state: stage + apply (commit)", "state/extension.py", "before_publish"),
    ("state: apply", "state/extension.py", "after_publish"),
    ("state: load", "state/store.py", "load"),
    ("dates.parse_timestamp", "newscrawler/dates.py", "parse_timestamp"),
    ("feed exporter export_item", "scrapy/exporters.py", "export_item"),
    ("feed slot (item_scraped)", "scrapy/extensions/feedexport.py", "item_scraped"),
    ("spidermon item validation/monitors", "spidermon/contrib/scrapy/extensions.py", "spider_closed"),
    ("manifest", "exports/manifest.py", "write_manifest"),
]


def group_of(filename: str, name: str) -> str:
    where = filename if filename != "~" else name
    for group, marker in GROUPS:
        if marker in where:
            return group
    return "other (stdlib, C builtins)"


def crawl(base_url: str, data: Path, stateful: bool) -> None:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawler.settings")
    settings = get_project_settings()
    run_id = new_run_id()
    settings.setdict(
        {**LOOPBACK_SETTINGS, "LOG_LEVEL": "ERROR", "NEWSCRAWLER_STATE": stateful, "NEWSCRAWLER_DATA_DIR": str(data)},
        priority="cmdline",
    )
    settings.set("NEWSCRAWLER_RUN_ID", run_id, priority="cmdline")
    settings.set("FEEDS", default_feeds(settings, "baghdadpost", run_id), priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl("baghdadpost", base_url=base_url)
    process.start()


def report(stats: pstats.Stats, top: int) -> None:
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for _, _, tt, _, _ in raw.values())
    groups: dict[str, float] = defaultdict(float)
    for (filename, _, name), (_, _, tt, _, _) in raw.items():
        groups[group_of(filename, name)] += tt
    print(f"total profiled CPU time {total:.1f} s\n\nself time by component:")
    for group, seconds in sorted(groups.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {seconds:7.2f} s {seconds / total:6.1%}  {group}")
    print("\ninclusive time of entry points:")
    for label, path, func in ENTRY_POINTS:
        hits = [v for (f, _, n), v in raw.items() if f.endswith(path) and n == func]
        if hits:
            calls, cum = sum(h[1] for h in hits), sum(h[3] for h in hits)
            print(f"  {cum:7.2f} s {cum / total:6.1%}  {label} ({calls} calls)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--stateless", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    profiler = cProfile.Profile(time.process_time)  # CPU time: other jobs on the machine do not count
    with served(args.snapshot) as base, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        profiler.runcall(crawl, base, Path(tmp), not args.stateless)
        wall = time.perf_counter() - started
    mode = "stateless" if args.stateless else "crawl state on"
    print(f"wall time under the profiler {wall:.1f} s, load {os.getloadavg()[0]:.1f} ({mode})")
    if args.out:
        profiler.dump_stats(args.out)
    report(pstats.Stats(profiler), args.top)


if __name__ == "__main__":
    main()
