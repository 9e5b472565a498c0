"""The kinds of value newscrawler's settings and the Scrapy settings the README documents take, checked before a
crawl starts: a bad ``-s NAME=VALUE`` is one line naming the setting, the value and what is allowed.

``KINDS`` is the table; a ``NEWSCRAWLER_*`` setting missing from it takes the kind of its default in
``newscrawler/settings.py`` (a boolean, a whole number, a number, a list, a dict or text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scrapy.settings import BaseSettings

from newscrawler import settings as project_settings


class SettingError(ValueError):
    """A setting's value is not of its kind; the message is one line."""


@dataclass(frozen=True)
class Kind:
    """What a setting may be: ``read`` raises ``ValueError`` or ``TypeError`` on another type, ``valid`` then
    checks the range; ``allowed`` says both in words."""

    allowed: str
    read: Callable[[BaseSettings, str], Any]
    valid: Callable[[Any], bool] = lambda _: True


def _level(settings: BaseSettings, name: str) -> Any:
    value = settings[name]
    return value if isinstance(value, int) else str(value)


def _shares(settings: BaseSettings, name: str) -> list[float]:
    return [float(share) for share in settings.getdict(name).values()]


SWITCH = Kind("a boolean (1/0, true/false)", BaseSettings.getbool)
COUNT = Kind("a whole number >= 0", BaseSettings.getint, lambda v: v >= 0)
POSITIVE = Kind("a whole number >= 1", BaseSettings.getint, lambda v: v >= 1)
WHOLE = Kind("a whole number", BaseSettings.getint)
SECONDS = Kind("a number of seconds >= 0", BaseSettings.getfloat, lambda v: v >= 0)
TIMEOUT = Kind("a number of seconds > 0", BaseSettings.getfloat, lambda v: v > 0)
AMOUNT = Kind("a number > 0", BaseSettings.getfloat, lambda v: v > 0)
SHARE = Kind("a share between 0 and 1", BaseSettings.getfloat, lambda v: 0 <= v <= 1)
NAMES = Kind("a list of names (a,b or a JSON list)", BaseSettings.getlist, lambda v: all(isinstance(n, str) for n in v))
SHARES = Kind(
    'a JSON object of field names to shares between 0 and 1 ({"headline": 1.0})',
    _shares,
    lambda v: all(0 <= s <= 1 for s in v),
)
TEXT = Kind("text", BaseSettings.get, lambda v: isinstance(v, str))
LEVEL = Kind(
    "DEBUG, INFO, WARNING, ERROR or CRITICAL",
    _level,
    lambda v: v in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL") or isinstance(v, int),
)

#: Every setting checked, with its kind.
KINDS: dict[str, Kind] = {
    # Scrapy's, as documented in the README
    "USER_AGENT": TEXT,
    "ROBOTSTXT_OBEY": SWITCH,
    "AUTOTHROTTLE_ENABLED": SWITCH,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": AMOUNT,
    "AUTOTHROTTLE_MAX_DELAY": SECONDS,
    "DOWNLOAD_DELAY": SECONDS,
    "CONCURRENT_REQUESTS": POSITIVE,
    "CONCURRENT_REQUESTS_PER_DOMAIN": POSITIVE,
    "CONCURRENT_ITEMS": POSITIVE,
    "RETRY_TIMES": COUNT,
    "DOWNLOAD_TIMEOUT": TIMEOUT,
    "DOWNLOAD_MAXSIZE": COUNT,
    "DOWNLOAD_WARNSIZE": COUNT,
    "LOG_LEVEL": LEVEL,
    "HTTPCACHE_ENABLED": SWITCH,
    "FEED_EXPORT_ENCODING": TEXT,
    "FEED_EXPORT_FIELDS": NAMES,
    "SPIDERMON_ENABLED": SWITCH,
    "SPIDERMON_MAX_DOWNLOADER_EXCEPTIONS": COUNT,
    "SPIDERMON_EXPECTED_FINISH_REASONS": NAMES,
    "SPIDERMON_ADD_FIELD_COVERAGE": SWITCH,
    # newscrawler's, where the default's type does not say enough
    "NEWSCRAWLER_RETRY_BACKOFF": SECONDS,
    "NEWSCRAWLER_RETRY_BACKOFF_MAX": SECONDS,
    "NEWSCRAWLER_MAX_RETRY_AFTER": SECONDS,
    "NEWSCRAWLER_CDX_DELAY": SECONDS,
    "NEWSCRAWLER_REPLAY_DELAY": SECONDS,
    "NEWSCRAWLER_CDX_PAGE_SIZE": POSITIVE,
    "NEWSCRAWLER_REPLAY_CONCURRENCY": POSITIVE,
    "NEWSCRAWLER_REBUILD_WORKERS": WHOLE,
    "NEWSCRAWLER_MAX_LISTING_PAGES": POSITIVE,
    "NEWSCRAWLER_LISTING_STALE_PAGES": POSITIVE,
    "NEWSCRAWLER_MONITOR_COVERAGE": SHARES,
    "NEWSCRAWLER_MONITOR_MAX_GENERIC_SHARE": SHARE,
    "NEWSCRAWLER_MONITOR_MAX_4XX_SHARE": SHARE,
    "NEWSCRAWLER_MONITOR_MAX_5XX_SHARE": SHARE,
    "NEWSCRAWLER_MONITOR_MAX_FAILED_SHARE": SHARE,
    "NEWSCRAWLER_STATE_PATH": TEXT,
    "NEWSCRAWLER_DATA_DIR": TEXT,
}
#: The kind of a ``NEWSCRAWLER_*`` setting not in ``KINDS``, by its default's type (bool before int: a bool is one).
BY_DEFAULT: tuple[tuple[type, Kind], ...] = (
    (bool, SWITCH),
    (int, COUNT),
    (float, Kind("a number >= 0", BaseSettings.getfloat, lambda v: v >= 0)),
    (list, NAMES),
    (dict, Kind("a JSON object", BaseSettings.getdict)),
    (str, TEXT),
)


def kind_of(name: str, default: Any) -> Kind | None:
    """The kind of setting ``name`` whose project default is ``default``; ``None``: not checked.

    >>> kind_of("DOWNLOAD_DELAY", 0.5).allowed, kind_of("NEWSCRAWLER_WARC", False).allowed
    ('a number of seconds >= 0', 'a boolean (1/0, true/false)')
    >>> kind_of("NEWSCRAWLER_KNOWN_STREAK", 24).allowed, kind_of("CLOSESPIDER_TIMEOUT", 0)
    ('a whole number >= 0', None)
    """
    if name in KINDS:
        return KINDS[name]
    if not name.startswith("NEWSCRAWLER_"):
        return None
    return next((kind for python_type, kind in BY_DEFAULT if isinstance(default, python_type)), None)


def check_setting(settings: BaseSettings, name: str, kind: Kind) -> None:
    """Raise :class:`SettingError` when ``settings[name]`` is not of ``kind``."""
    try:
        ok = kind.valid(kind.read(settings, name))
    except (ValueError, TypeError, AttributeError):
        ok = False
    if not ok:
        raise SettingError(f"setting {name}={settings[name]!s}: must be {kind.allowed}")


def check_settings(settings: BaseSettings, defaults: dict[str, Any] | None = None) -> None:
    """Check every setting of ``KINDS`` and every ``NEWSCRAWLER_*`` one in ``defaults`` (default: the names in
    ``newscrawler.settings``); raise :class:`SettingError` on the first bad one."""
    defaults = vars(project_settings) if defaults is None else defaults
    for name in sorted(set(KINDS) | {n for n in defaults if n.startswith("NEWSCRAWLER_")}):
        if settings.get(name) is not None:  # None: left unset (Scrapy's FEED_EXPORT_ENCODING)
            kind = kind_of(name, defaults.get(name))
            if kind is not None:
                check_setting(settings, name, kind)
