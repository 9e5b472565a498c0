"""``scrapy parse``, for one page alone: the page asked for is fetched (on the mirror ``-a base_url`` names, when
given, whatever host or case the URL is written in) and nothing else; its record is printed (through the item
pipelines with ``--pipelines``). No crawl state, robots.txt, retries, monitors or export (:mod:`.onepage`).

A page that gives no record says why in one line on stderr: what kind of page it is, the outcome of a record
the pipelines dropped, or why it was not fetched. Exit status 0 when the page was parsed, 1 when it answered an
error, could not be fetched or its record was dropped, 2 for bad input (one line, no request made).
"""

from __future__ import annotations

import argparse
import functools
import sys
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Request, Spider
from scrapy.commands.parse import Command as ScrapyParseCommand
from scrapy.exceptions import DropItem
from scrapy.http import Response
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.python.failure import Failure

from newscrawler.commands.onepage import one_page_settings
from newscrawler.exports.manifest import COUNTED, counts_by_prefix
from newscrawler.preflight import PreflightError, preflight
from newscrawler.retries.reasons import failure_reason


class Command(ScrapyParseCommand):
    def short_desc(self) -> str:
        return "Fetch one page of the site alone and print its record (nothing else is fetched or written)"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Scrapy's options, the one-page settings, then the spider, its arguments and the URL checked: a bad
        one prints one line and exits 2."""
        super().process_options(args, opts)
        assert self.settings is not None
        one_page_settings(self.settings)
        self.notes: list[str] = []
        self.exported = bool(opts.pipelines)
        self.target = args[0] if args else ""
        if len(args) != 1:
            return  # Scrapy's usage error
        try:
            spidercls = self._spider_class(args[0], opts)
            preflight(spidercls, opts.spargs, self.settings)
            page_url = getattr(spidercls, "page_url", None)
            self.target = page_url(args[0], **opts.spargs) if page_url else args[0]
        except (PreflightError, ValueError) as error:
            print(f"error: {error}", file=sys.stderr)
            sys.exit(2)

    def _spider_class(self, url: str, opts: argparse.Namespace) -> type[Spider]:
        """``--spider``, else the one spider whose domain the URL is on, else the project's only one."""
        assert self.settings is not None
        loader = get_spider_loader(self.settings)
        names = [opts.spider] if opts.spider else (loader.find_by_request(Request(url)) or loader.list())
        if len(names) != 1:
            raise ValueError(f"give --spider NAME for {url} (scrapy list shows them)")
        try:
            spidercls = loader.load(names[0])
        except KeyError:
            raise ValueError(f"no spider named {names[0]!r} (scrapy list shows them)") from None
        opts.spider = spidercls.name
        return spidercls

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run([self.target] if args else args, opts)
        for note in self.notes:
            print(note, file=sys.stderr)

    def print_items(self, lvl: int | None = None, colour: bool = True) -> None:
        """Scrapy's; through the pipelines, each record as the feed exports it (``FEED_EXPORT_FIELDS``, in order)."""
        assert self.settings is not None
        fields = self.settings.getlist("FEED_EXPORT_FIELDS") if self.exported else []
        if fields:
            for items in self.items.values():
                items[:] = [{name: ItemAdapter(item).get(name) for name in fields} for item in items]
        super().print_items(lvl, colour)

    def start_parsing(self, url: str, opts: argparse.Namespace) -> None:
        """Scrapy's, without its "No response downloaded" error: the page's own line says why."""
        assert self.crawler_process is not None and self.spidercls is not None
        self.pcrawler = self._create_crawler(self.spidercls)
        self.crawler_process.crawl(self.pcrawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or not (self.first_response or self.notes):
            self._no_record(f"{url} gave no response", failed=True)

    def prepare_request(self, spider: Spider, request: Request, opts: argparse.Namespace) -> Request:
        """Scrapy's request for the page, which also sees error answers and is never retried."""
        request.meta.update(handle_httpstatus_all=True, dont_retry=True)
        request.errback = self._not_fetched
        prepared = super().prepare_request(spider, request, opts)
        return prepared.replace(callback=self._checked(prepared.callback, spider))

    def _checked(self, callback: Any, spider: Spider) -> Any:
        """``callback`` as a coroutine (Scrapy's returns a Deferred, deprecated), saying why a page gave no record."""

        @functools.wraps(callback)
        async def parse_page(response: Response, **kwargs: Any) -> Any:
            if response.status >= 400:
                self.first_response = response  # type: ignore[assignment]  # Scrapy's is typed None
                return self._no_record(f"{self._what(spider, response)}, answered HTTP {response.status}", True)
            output = await maybe_deferred_to_future(callback(response, **kwargs))
            if response.meta.get("_depth") == 1 and not any(self.items.values()) and not self.exitcode:
                self._no_record(self._what(spider, response), failed=bool(self._dropped(spider)))
            return output

        return parse_page

    def _what(self, spider: Spider, response: Response) -> str:
        describe = getattr(spider, "describe_page", None)
        what = f"{response.url} is {describe(response.url)}" if describe else response.url
        dropped = ", ".join(f"dropped:{reason}" for reason in self._dropped(spider))
        return f"{what}, {dropped}" if dropped else what

    @staticmethod
    def _dropped(spider: Spider) -> dict[str, int]:
        stats = spider.crawler.stats.get_stats() if spider.crawler.stats else {}
        return counts_by_prefix(stats, COUNTED["dropped"])

    def _no_record(self, why: str, failed: bool) -> list[Any]:
        self.notes.append(f"no record: {why}")
        self.exitcode = 1 if failed else self.exitcode
        return []

    def _not_fetched(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        self._no_record(f"{request.url if request else self.target} not fetched ({failure_reason(failure)})", True)

    def scraped_data(self, args: tuple[Any, ...]) -> Any:
        """Items through the pipelines, awaited (a dropped one is said in one line with its outcome)."""
        items, requests, opts, *rest = args
        if not opts.pipelines:
            return super().scraped_data(args)
        return deferred_from_coro(self._through_pipelines(items, requests, opts, *rest))

    async def _through_pipelines(self, items: list[Any], requests: list[Request], opts: Any, *rest: Any) -> Any:
        assert self.pcrawler.engine is not None
        kept = []
        for item in items:
            try:
                kept.append(await self.pcrawler.engine.scraper.itemproc.process_item_async(item))
            except DropItem as error:
                outcome = getattr(error, "outcome", None) or "dropped"
                self._no_record(f"the pipelines dropped the record ({outcome}): {error}", failed=True)
        return super().scraped_data((kept, requests, argparse.Namespace(**{**vars(opts), "pipelines": False}), *rest))
