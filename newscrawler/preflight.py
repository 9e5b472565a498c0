"""Checks made before a crawl starts, so that a bad run stops with one readable line and no request made."""

from __future__ import annotations

import os
import socket
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings
from w3lib.url import file_uri_to_path

from newscrawler.exports.feeds import SCHEME
from newscrawler.sources.arguments import SourceArguments
from newscrawler.sources.warcfiles import WarcFileError, check_readable, expand_paths
from newscrawler.spiders.argnames import unknown_argument
from newscrawler.spiders.arguments import SPIDER_ARGUMENTS, ArgumentError, parse_arguments, state_scope
from newscrawler.state.extension import keeps_state, state_path
from newscrawler.state.store import StateLockedError, probe_lock


class PreflightError(Exception):
    """Why a crawl cannot start, as one line."""


class StateBusy(PreflightError):
    """Another run holds the crawl state: this one is skipped, not wrong."""


def preflight(spidercls: type[Any], spargs: dict[str, str], settings: BaseSettings) -> None:
    """Check the spider's argument names, that every local feed and the crawl state can be written, that no
    other run holds the state, the spider's argument values, and that ``base_url`` answers; raise
    :class:`PreflightError` if not."""
    ours = getattr(spidercls, "name", None) == "baghdadpost"
    unknown = unknown_argument(spargs, SPIDER_ARGUMENTS) if ours else None
    if unknown:
        raise PreflightError(unknown)
    for directory in feed_directories(settings):
        check_writable(directory)
    if keeps_state(settings):
        path = state_path(settings, state_scope(spargs.get("base_url", "")) if ours and spargs.get("base_url") else "")
        check_writable(path.parent)
        try:
            probe_lock(path)
        except StateLockedError as error:
            raise StateBusy(str(error)) from None
    if not ours:
        return
    try:
        args = parse_arguments(**{k: v for k, v in spargs.items() if k in SPIDER_ARGUMENTS})
    except ArgumentError as error:
        raise PreflightError(str(error)) from None
    if args.source.is_archive:
        check_source(args.source, settings.getfloat("DOWNLOAD_TIMEOUT", 180.0))
    else:
        check_reachable(args.base_url, settings.getfloat("DOWNLOAD_TIMEOUT", 180.0))


def check_source(source: SourceArguments, timeout: float) -> None:
    """The WARC files can be read, or the archive's index host answers."""
    if source.kind == "warc":
        try:
            for path in expand_paths(source.warc):
                check_readable(path)
        except WarcFileError as error:
            raise PreflightError(str(error)) from None
        return
    index = source.cdx_url if source.kind == "wayback" else source.cc_index_url
    try:
        check_reachable(index, timeout)
    except PreflightError as error:
        raise PreflightError(str(error).replace("base_url", "the archive index")) from None


def feed_directories(settings: BaseSettings) -> list[Path]:
    """The local directories ``FEEDS`` write into (URI parameters such as ``%(name)s`` filled with a stand-in)."""
    directories = []
    for uri in settings.getdict("FEEDS"):
        text = str(uri) % defaultdict(lambda: "x")
        if text.startswith("file://"):
            directories.append(Path(file_uri_to_path(text)).parent)
        elif text.startswith(SCHEME):
            directories.append(Path(text[len(SCHEME) :]).parent)
        elif "://" not in text:
            directories.append(Path(text).parent)
    return directories


def check_writable(directory: Path) -> None:
    """Create ``directory`` if missing and write (then delete) a file in it."""
    if directory.exists() and not directory.is_dir():
        raise PreflightError(f"cannot write to {directory}: not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as error:
        raise PreflightError(f"cannot write to {directory}: {error.strerror or error}") from None


def check_reachable(base_url: str, timeout: float) -> None:
    """Open (and close) a TCP connection to ``base_url``'s host; skipped when a proxy is configured."""
    if any(os.environ.get(v) for v in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")):
        return
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=min(timeout, 15.0)):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise PreflightError(f"cannot reach base_url {base_url}: {reason}") from None
