"""Exit statuses of ``newscrawler crawl`` and ``scrapy crawl``, one table for schedulers (cron, systemd, scrapyd),
the ``--help`` epilogs and the README."""

from __future__ import annotations

from typing import Any

OK = 0
FAILED = 1
BAD_INPUT = 2
#: ``EX_TEMPFAIL`` of sysexits.h: try again later.
SKIPPED = 75
#: 128 + SIGINT, as shells report a Ctrl-C (also after SIGTERM: both are a stop on purpose).
INTERRUPTED = 130

TABLE: tuple[tuple[int, str], ...] = (
    (OK, "the run finished and every monitor passed"),
    (FAILED, "the run failed (site unreachable, unknown section, export failed) or a monitor failed"),
    (BAD_INPUT, "bad input (argument, setting value, unwritable path): one line on stderr, no request made"),
    (SKIPPED, "skipped: another run holds the crawl state; one line on stderr, nothing on stdout"),
    (INTERRUPTED, "interrupted (Ctrl-C, SIGTERM): what it had is published; rerun the same command to resume"),
)


def help_epilog() -> str:
    """The table as the ``--help`` epilog shows it."""
    return "exit status of a crawl:\n" + "\n".join(f"  {code:<4} {meaning}" for code, meaning in TABLE)


def crawl_exit_status(stats: dict[str, Any], bootstrap_failed: bool = False) -> int:
    """The exit status of a crawl from its final stats: a failure outranks an interruption, which outranks success.

    >>> crawl_exit_status({"finish_reason": "finished"}), crawl_exit_status({"finish_reason": "export_failed"})
    (0, 1)
    >>> crawl_exit_status({"finish_reason": "finished", "feedexport/failed_count/AtomicFileFeedStorage": 1})
    1
    >>> crawl_exit_status({"finish_reason": "shutdown", "newscrawler/interrupted": "SIGTERM"})
    130
    >>> crawl_exit_status({"newscrawler/interrupted": "SIGINT", "newscrawler/monitors_failed": 1})
    1
    >>> crawl_exit_status({"finish_reason": "shutdown"}), crawl_exit_status({}, bootstrap_failed=True)
    (1, 1)
    """
    failed = bootstrap_failed or bool(stats.get("newscrawler/monitors_failed"))
    failed = failed or any(key.startswith("feedexport/failed_count/") for key in stats)
    if failed:
        return FAILED
    if stats.get("newscrawler/interrupted"):
        return INTERRUPTED
    return OK if stats.get("finish_reason") == "finished" else FAILED
