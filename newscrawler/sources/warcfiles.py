"""Local WARC files: ``.warc``, ``.warc.gz`` (one gzip member per record, as warcio writes) and ``.wacz``
(a zip whose ``archive/`` holds such files). Found by path or glob, indexed once, read record by record."""

from __future__ import annotations

import glob
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from scrapy import Request
from scrapy.http import Response
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newscrawler.sources.captures import Capture, archive_timestamp
from newscrawler.sources.records import ArchivedResponse, ArchiveReadError, read_response_record, scrapy_response
from newscrawler.sources.warcscan import scan

SUFFIXES = (".warc", ".warc.gz", ".wacz")


class WarcFileError(Exception):
    """A WARC argument that cannot be read; the message is one line for the user."""


def expand_paths(spec: str) -> list[Path]:
    """Every file named by ``spec``: comma-separated paths or globs, each matching at least one WARC file."""
    found: list[Path] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        matches = sorted(glob.glob(part)) if glob.has_magic(part) else [part]  # noqa: PTH207 (absolute globs too)
        files = [Path(m) for m in matches if Path(m).is_file()]
        if not files:
            raise WarcFileError(f"no WARC file at {part!r}")
        for path in files:
            if not path.name.lower().endswith(SUFFIXES):
                raise WarcFileError(f"not a WARC file name (.warc, .warc.gz or .wacz): {path}")
        found.extend(files)
    if not found:
        raise WarcFileError("no WARC file given: use -a warc=PATH[,PATH...] (globs allowed)")
    return found


def check_readable(path: Path) -> None:
    """Read the first record of ``path`` (of each WARC in a ``.wacz``): it must be a WARC record."""
    try:
        for _member, stream in _streams(path):
            with stream:
                next(iter(ArchiveIterator(stream)))
    except (OSError, ArchiveLoadFailed, zipfile.BadZipFile, StopIteration, ValueError) as error:
        raise WarcFileError(f"cannot read {path} as WARC: {_reason(error)}") from None


class FileReport:
    """What reading one file met besides its captures: records skipped by reason, digest verdicts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.damaged: Counter[str] = Counter()
        self.digests: Counter[str] = Counter()
        self.records = 0

    def skip(self, reason: str, offset: int) -> None:
        self.damaged[reason] += 1


def index_file(path: Path, wanted: Callable[[str], bool], report: FileReport | None = None) -> Iterator[Capture]:
    """The ``response`` and ``revisit`` records of ``path`` whose target URI is ``wanted``, as captures. A damaged
    record is skipped (``report.damaged``), a digest that matches no convention only counted (``report.digests``);
    :class:`WarcFileError` when the file cannot be opened or holds no readable record."""
    report = report or FileReport(path)
    try:
        for member, stream in _streams(path):
            with stream:
                for scanned in scan(stream, report.skip):
                    report.records += 1
                    report.digests[scanned.digest] += 1
                    capture = _capture(scanned.record, str(path), member, wanted)
                    if capture is not None:
                        yield _located(capture, scanned.offset, scanned.length)
    except (OSError, zipfile.BadZipFile, ValueError) as error:
        raise WarcFileError(f"cannot read {path} as WARC: {_reason(error)}") from None
    if not report.records and report.damaged:
        raise WarcFileError(f"cannot read {path} as WARC: no readable record ({', '.join(report.damaged)})")


def _capture(record: Any, filename: str, member: str, wanted: Callable[[str], bool]) -> Capture | None:
    rec_headers, http = record.rec_headers, record.http_headers
    url = rec_headers.get_header("WARC-Target-URI") or ""
    kind = record.rec_type
    if kind not in ("response", "revisit") or (kind == "response" and http is None) or not wanted(url):
        return None
    status = int(http.get_statuscode() or 0) if http is not None else None
    content_type = (http.get_header("Content-Type") or "") if http is not None else ""
    return Capture(
        timestamp=archive_timestamp(rec_headers.get_header("WARC-Date") or ""),
        url=url,
        status=status,
        mime="warc/revisit" if kind == "revisit" else content_type.split(";")[0].strip().lower(),
        digest=rec_headers.get_header("WARC-Payload-Digest"),
        filename=filename,
        member=member,
        truncated=bool(rec_headers.get_header("WARC-Truncated")),
        refers_to=archive_timestamp(rec_headers.get_header("WARC-Refers-To-Date") or ""),
        refers_to_url=rec_headers.get_header("WARC-Refers-To-Target-URI") or "",
    )


def _located(capture: Capture, offset: int, length: int) -> Capture:
    return Capture(**{**capture.__dict__, "offset": offset, "length": length})


def _streams(path: Path) -> Iterator[tuple[str, IO[bytes]]]:
    """``("", file)`` for a WARC; ``(member, stream)`` for each WARC inside a ``.wacz``."""
    if not path.name.lower().endswith(".wacz"):
        yield "", path.open("rb")
        return
    with zipfile.ZipFile(path) as archive:
        members = [n for n in archive.namelist() if n.startswith("archive/") and n.lower().endswith(SUFFIXES[:2])]
        if not members:
            raise ValueError("no archive/*.warc(.gz) inside")
        for member in members:
            yield member, archive.open(member)


def _reason(error: BaseException) -> str:
    """The first line of an error, printable characters only (warcio quotes the bytes it could not read)."""
    text = (getattr(error, "strerror", None) or str(error) or type(error).__name__).splitlines()[0]
    return "".join(ch for ch in text if ch.isprintable() and ch.isascii())[:160].strip()


class WarcReader:
    """Reads the record a capture names; keeps the files (and zip archives) it opened until :meth:`close`."""

    def __init__(self) -> None:
        self._files: dict[str, IO[bytes]] = {}
        self._zips: dict[str, zipfile.ZipFile] = {}

    def read(self, capture: Capture) -> ArchivedResponse:
        """The record at the capture's location, at the capture's URL and time (a resolved revisit names its
        original's record)."""
        stream = self._stream(capture)
        stream.seek(capture.offset)
        try:
            archived = read_response_record(stream)
        except ArchiveReadError as error:
            raise ArchiveReadError(f"{capture.filename} at offset {capture.offset}: {error}") from None
        if archived.url != capture.url:
            archived = replace(archived, url=capture.url, timestamp=capture.timestamp)
        return archived

    def response(self, request: Request, archived: ArchivedResponse | None = None) -> Response:
        """The archived response to a request for a capture (``meta["capture"]``), at its original URL, with
        ``meta["archive_capture"]`` set; :class:`ArchiveReadError` when the record cannot be read.
        ``archived``: the capture's record, already read (by a worker process)."""
        response = scrapy_response(archived or self.read(request.meta["capture"]), request)
        request.meta["archive_capture"] = request.meta["capture"]
        return response

    def _stream(self, capture: Capture) -> IO[bytes]:
        key = f"{capture.filename}!{capture.member}"
        if key not in self._files:
            if capture.member:
                archive = self._zips.get(capture.filename) or zipfile.ZipFile(capture.filename)
                self._zips[capture.filename] = archive
                self._files[key] = archive.open(capture.member)
            else:
                self._files[key] = Path(capture.filename).open("rb")  # noqa: SIM115 (kept open for the run)
        return self._files[key]

    def close(self) -> None:
        for stream in self._files.values():
            stream.close()
        for archive in self._zips.values():
            archive.close()
        self._files.clear()
        self._zips.clear()
