"""Reading an archive's index into captures: CDX queries (paged, through Scrapy) or local WARC files.

Every capture found is handed to ``add``; the reader counts its index requests
(``newscrawler/archive/index_requests``), and for local files the digest verdicts
(``newscrawler/archive/digest_{passed,transfer_decoded,absent,mismatch}``) and the damaged records skipped
(``newscrawler/archive/unreadable/{bad_gzip,cut_short,malformed_header,malformed_record}``). With ``progress`` (a
resumed run's, Wayback only), each page read is kept, and the pages a run of the chain read are replayed from it
instead of asked again (``newscrawler/archive/index_pages_replayed``). An index that cannot be read stops the crawl
with one error line and finish reason ``archive_index_failed``."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator

from scrapy import Request
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from twisted.python.failure import Failure

from newscrawler.sources.arguments import SourceArguments
from newscrawler.sources.captures import Capture
from newscrawler.sources.cdx import CdxError, CdxPage, parse_cdx, parse_num_pages
from newscrawler.sources.progress import IndexProgress
from newscrawler.sources.requests import commoncrawl_query, index_request, wayback_query
from newscrawler.sources.warcfiles import FileReport, expand_paths, index_file

logger = logging.getLogger(__name__)
FAILED = "archive_index_failed"


class IndexReader:
    def __init__(
        self,
        add: Callable[[Capture], None],
        source: SourceArguments,
        prefixes: list[str],
        wanted: Callable[[str], bool],
        stats: StatsCollector,
        since: str = "",
        page_size: int = 5000,
        progress: IndexProgress | None = None,
    ) -> None:
        self.add, self.source, self.prefixes, self.wanted, self.stats = add, source, prefixes, wanted, stats
        #: Ask only for captures from this timestamp on (incremental runs).
        self.since = since
        #: Captures per page of a Wayback CDX answer (``limit``; the next page comes with ``resumeKey``).
        self.page_size = page_size
        self.progress = progress

    def read_files(self) -> None:
        """Index every local WARC file named by the ``warc`` argument (raises ``WarcFileError``)."""
        for path in expand_paths(self.source.warc):
            report = FileReport(path)
            for capture in index_file(path, self.wanted, report):
                self.add(capture)
            self.stats.inc_value("newscrawler/archive/warc_files")
            self._report(report)

    def _report(self, report: FileReport) -> None:
        """Count what reading a file met; one warning per file for damaged records, one for digest mismatches."""
        for verdict, count in report.digests.items():
            self.stats.inc_value(f"newscrawler/archive/digest_{verdict}", count)
        for reason, count in report.damaged.items():
            self.stats.inc_value(f"newscrawler/archive/unreadable/{reason}", count)
        if report.damaged:
            reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(report.damaged.items()))
            logger.warning("%s: %d damaged record(s) skipped (%s)", report.path, report.damaged.total(), reasons)
        if report.digests["mismatch"]:
            logger.warning(
                "%s: %d record(s) whose payload digest matches neither the stored nor the transfer-decoded body; "
                "read all the same (newscrawler/archive/digest_mismatch)",
                report.path,
                report.digests["mismatch"],
            )

    def start_requests(self) -> list[Request]:
        if self.source.kind == "wayback":
            return [r for prefix in self.prefixes for r in self._wayback_from(prefix)]
        if self.source.kind == "commoncrawl":
            if not self.source.crawls:
                return [index_request(f"{self.source.cc_index_url}/collinfo.json", self.on_collinfo, self.on_error)]
            return [r for crawl in self.source.crawls for r in self._crawl(f"{self.source.cc_index_url}/{crawl}-index")]
        return []

    def _wayback_from(self, prefix: str) -> Iterator[Request]:
        """The first query of ``prefix`` not read yet (after replaying those read by the chain), if any."""
        next_key: str | None = ""
        for captures, key in self.progress.read(self._query(prefix)) if self.progress else ():
            self._keep(CdxPage(captures))
            self.stats.inc_value("newscrawler/archive/index_pages_replayed")
            next_key = key
        if next_key is not None:
            yield self._wayback(prefix, next_key)

    def _query(self, prefix: str) -> str:
        return f"{prefix} from={self.since}"

    def _wayback(self, prefix: str, resume_key: str) -> Request:
        url = wayback_query(self.source, prefix, self.since, resume_key, self.page_size)
        return index_request(url, self.on_wayback, self.on_error, cdx_prefix=prefix)

    def on_wayback(self, response: Response) -> Iterator[Request]:
        page = self._parse(response, keep=False)
        prefix = response.meta["cdx_prefix"]
        if not page.keyed and len(page.captures) >= self.page_size and not response.meta.get("whole"):
            # an index without resume keys (pywb) cut its answer at ``limit``: ask once more without one
            url = wayback_query(self.source, prefix, self.since, "", 0)
            yield index_request(url, self.on_wayback, self.on_error, cdx_prefix=prefix, whole=True)
            return
        self._keep(page)
        if self.progress is not None:
            self.progress.add(self._query(prefix), [c for c in page.captures if self.wanted(c.url)], page.resume_key)
        if page.resume_key:
            yield self._wayback(prefix, page.resume_key)

    def on_collinfo(self, response: Response) -> Iterator[Request]:
        self._count(response)
        try:
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            crawls = [(str(c["id"]), str(c.get("cdx-api") or "")) for c in json.loads(response.text)]
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            yield from self._fail(f"{response.url} is not a crawl list: {error}")
            return
        for crawl_id, api in crawls:
            yield from self._crawl(api or f"{self.source.cc_index_url}/{crawl_id}-index")

    def _crawl(self, cdx_api: str) -> Iterator[Request]:
        for prefix in self.prefixes:
            url = commoncrawl_query(cdx_api, prefix, self.since, None)
            yield index_request(url, self.on_num_pages, self.on_error, cdx_api=cdx_api, cdx_prefix=prefix)

    def on_num_pages(self, response: Response) -> Iterator[Request]:
        pages = parse_num_pages(response.text) if response.status == 200 else None
        if pages is None:  # an index that does not page (pywb over plain CDXJ) answered with captures
            self._parse(response)
            return
        self._count(response)
        for page in range(pages):
            url = commoncrawl_query(response.meta["cdx_api"], response.meta["cdx_prefix"], self.since, page)
            yield index_request(url, self.on_cc_page, self.on_error)

    def on_cc_page(self, response: Response) -> None:
        self._parse(response)

    def _parse(self, response: Response, keep: bool = True) -> CdxPage:
        """The captures of an index answer, kept unless ``keep`` is false; a bad answer stops the crawl."""
        self._count(response)
        if response.status == 404 and b"No Captures found" in response.body:  # pywb and Common Crawl: empty
            return parse_cdx("")
        try:
            if response.status != 200:
                raise CdxError(f"the index answered HTTP {response.status}")
            page = parse_cdx(response.text)
        except (CdxError, AttributeError, UnicodeDecodeError) as error:
            list(self._fail(f"cannot read the archive index at {response.url}: {error}"))
        if keep:
            self._keep(page)
        return page

    def _keep(self, page: CdxPage) -> None:
        for capture in page.captures:
            if self.wanted(capture.url):
                self.add(capture)

    def _count(self, response: Response) -> None:
        self.stats.inc_value("newscrawler/archive/index_requests")

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        list(self._fail(f"cannot reach the archive index {request.url}: {failure.getErrorMessage()}"))

    def _fail(self, message: str) -> Iterator[Request]:
        """Stop the crawl; only the first failure is logged as an error (queries already sent fail alike)."""
        if not self.stats.get_value("newscrawler/archive/index_failed"):
            logger.error("%s", message)
            self.stats.set_value("newscrawler/archive/index_failed", message)
        else:
            logger.debug("%s", message)
        raise CloseSpider(FAILED)
        yield  # pragma: no cover (a generator, for callbacks)
