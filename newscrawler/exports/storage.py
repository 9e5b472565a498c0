"""Feed storage for ``atomic://PATH``: written under a temporary name, published by rename when the run ends.

A write error (disk full) stops the crawl with reason ``export_failed`` and nothing is published; a killed run
leaves only its temporary file, which the next run in that directory deletes. Around the rename it sends
:mod:`newscrawler.exports.signals` (the crawl state commits on them) and records the path in the stats as
``newscrawler/published``; the manifest follows when the engine stops (:mod:`newscrawler.exports.manifest`).
At a checkpoint (:mod:`newscrawler.exports.checkpoints`) the storage is one part of the export (:attr:`part`, not
:attr:`final`): it is published under the part's name and its manifest follows at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from pathlib import Path
from typing import IO, Any, Self

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from newscrawler.exports import signals
from newscrawler.exports.atomic import part_path, publish, remove_stale_parts
from newscrawler.exports.feeds import SCHEME, manifest_path, part_of
from newscrawler.exports.manifest import write_manifest

logger = logging.getLogger(__name__)


class ExportFailedError(OSError):
    """The export could not be written; the crawl is stopped and nothing is published."""


class GuardedFile:
    """A binary file whose first write error stops the crawl; later writes are discarded."""

    def __init__(self, handle: IO[bytes], on_error: Any) -> None:
        self.handle = handle
        self.on_error = on_error
        self.error: OSError | None = None

    def write(self, data: bytes) -> int:
        if self.error is None:
            try:
                return self.handle.write(data)
            except OSError as error:
                self.error = error
                self.on_error(error)
        return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


class AtomicFileFeedStorage:
    """Scrapy feed storage: ``FEEDS = {"atomic:///abs/path/run.jsonl": {...}}``."""

    def __init__(self, uri: str, crawler: Crawler | None = None, *, feed_options: dict[str, Any] | None = None) -> None:
        self.path = Path(uri[len(SCHEME) :] if uri.startswith(SCHEME) else uri)
        self.crawler = crawler
        self.file: GuardedFile | None = None
        #: Which part of the export this is (1-based; None: the whole export), and whether it is the run's last.
        self.part: int | None = None
        self.final = True
        self.temporary: Path | None = None

    @property
    def final_path(self) -> Path:
        """Where the file is published: the export's path, or its part's."""
        return part_of(self.path, self.part) if self.part else self.path

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None) -> Self:
        return cls(uri, crawler, feed_options=feed_options)

    def open(self, spider: Spider) -> IO[bytes]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for stale in remove_stale_parts(self.path.parent):
            logger.info("removed %s, left by a run that did not finish", stale)
        self.temporary = part_path(self.final_path)
        self.file = GuardedFile(self.temporary.open("xb"), self._stop_crawl)
        return self.file  # type: ignore[return-value]

    def _stop_crawl(self, error: OSError) -> None:
        logger.error("export failed, stopping the crawl; nothing will be published: %s", error)
        if self.crawler is not None and self.crawler.engine is not None:
            self.crawler.stats.set_value("newscrawler/export_failed", str(error))
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="export_failed"))

    def store(self, file: IO[bytes]) -> None:
        """Flush, fsync and publish the export (a part: then its manifest); on error delete the temporary file."""
        part, final = self.temporary or part_path(self.final_path), self.final_path
        started = time.perf_counter()
        try:
            if self.file is not None and self.file.error is not None:
                raise ExportFailedError(f"export not published: {self.file.error}")
            file.flush()
            os.fsync(file.fileno())
            file.close()
            self._send(signals.export_publishing)
            publish(part, final)
        except OSError:
            with contextlib.suppress(OSError):  # closing flushes, and the disk may still be full
                file.close()
            with contextlib.suppress(FileNotFoundError):
                part.unlink()
            raise
        logger.info("published %s", final)
        self._send(signals.export_published)
        if not self.final and self.crawler is not None:
            write_manifest(self.crawler, final, manifest_path(final), final=False)
            self.crawler.stats.inc_value("newscrawler/checkpoints")
            spent = round((time.perf_counter() - started) * 1e6)
            self.crawler.stats.inc_value("newscrawler/checkpoint_microseconds", spent)

    def _send(self, signal: object) -> None:
        """Tell receivers (the crawl state) about the publication; a failing receiver stops it."""
        if self.crawler is None:
            return
        self.crawler.stats.set_value(
            f"newscrawler/{'published' if signal is signals.export_published else 'publishing'}", str(self.final_path)
        )
        for receiver, result in self.crawler.signals.send_catch_log(signal=signal, path=str(self.final_path)):
            if isinstance(result, Failure):
                raise ExportFailedError(f"export not published: {receiver} failed: {result.getErrorMessage()}")
