"""Every readable record of a WARC stream, through warcio: a damaged record is skipped, reading goes on.

warcio's :class:`~warcio.archiveiterator.ArchiveIterator` stops at the first record it cannot read. Here a record
that cannot be read (a broken gzip member, a malformed header, a block cut short) is reported with a reason and a
new iterator is started at the next record: the next gzip member (``1f 8b 08`` whose first line is ``WARC/``) of a
gzipped file, the next ``WARC/1.`` line of a plain one. A file cut short keeps every whole record before the cut.
Digests are checked per record (:mod:`newscrawler.sources.digests`), never by rejecting the file.
"""

from __future__ import annotations

import contextlib
import io
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any, NamedTuple

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from newscrawler.sources.digests import is_chunked, verdict

GZIP_MAGIC = b"\x1f\x8b\x08"
#: Bytes searched at a time for the next record after a damaged one.
BLOCK = 1 << 20
#: Bytes read past a block, so that a record starting near its end is recognised.
OVERLAP = 4096
#: What warcio raises on a record it cannot read, and the reason counted for each.
_DAMAGE: tuple[tuple[type[BaseException], str], ...] = (
    (zlib.error, "bad_gzip"),
    (StatusAndHeadersParserException, "malformed_header"),
    (ArchiveLoadFailed, "malformed_record"),
    (EOFError, "cut_short"),
    (ValueError, "malformed_record"),
)


class Scanned(NamedTuple):
    """One record read to its end: where it is, and its digest verdict."""

    record: Any
    offset: int
    length: int
    digest: str


def damage_reason(error: BaseException) -> str:
    """The counted reason for an error warcio raised on a record.

    >>> damage_reason(zlib.error("invalid block type")), damage_reason(ArchiveLoadFailed("Unknown archive format"))
    ('bad_gzip', 'malformed_record')
    """
    return next((reason for kind, reason in _DAMAGE if isinstance(error, kind)), "malformed_record")


def scan(stream: IO[bytes], damaged: Callable[[str, int], None]) -> Iterator[Scanned]:
    """Every whole record of ``stream`` (seekable, at offset 0); ``damaged(reason, offset)`` for each record
    skipped. Offsets are from the start of ``stream``."""
    gzipped = stream.read(2) == GZIP_MAGIC[:2]
    start: int | None = 0
    while start is not None:
        stream.seek(start)
        records = _records(ArchiveIterator(stream, check_digests=True))
        try:
            while (scanned := _quietly(records)) is not None:
                yield scanned
                start = scanned.offset + scanned.length
            if not _leftover(stream, start):
                return
            raise _ShortRecord  # warcio ends quietly on a header cut short
        except _ShortRecord:
            reason = (_member_damage(stream, start) if gzipped else None) or "cut_short"
        except tuple(kind for kind, _ in _DAMAGE) as error:
            reason = (_member_damage(stream, start) if gzipped else None) or damage_reason(error)
        damaged(reason, start)
        start = next_record(stream, start + 1, gzipped) if reason != "cut_short" else None


def _leftover(stream: IO[bytes], end: int) -> bool:
    """True when anything but blank lines follows the last whole record (which ends at ``end``)."""
    stream.seek(end)
    while block := stream.read(BLOCK):
        if block.strip(b"\r\n"):
            return True
    return False


class _ShortRecord(Exception):
    """A record whose block ends before its ``Content-Length``: cut short, or a gzip member that broke off."""


def _quietly(records: Iterator[Scanned]) -> Scanned | None:
    """The next record, with what warcio writes to standard error about damage kept off it (it is counted)."""
    with contextlib.redirect_stderr(io.StringIO()):
        return next(records, None)


def _records(iterator: ArchiveIterator) -> Iterator[Scanned]:
    for record in iterator:
        body = _read_body(record)
        iterator.read_to_end(record)
        if getattr(record.raw_stream, "limit", 0):
            raise _ShortRecord
        yield Scanned(record, iterator.get_record_offset(), iterator.get_record_length(), verdict(record, body))


def _read_body(record: Any) -> bytes | None:
    """Read the record's payload through warcio's digest checker; keep it when it was sent chunked."""
    keep = record.http_headers is not None and is_chunked(record)
    parts = []
    while block := record.raw_stream.read(BLOCK):
        if keep:
            parts.append(block)
    return b"".join(parts) if keep else None


def next_record(stream: IO[bytes], position: int, gzipped: bool) -> int | None:
    """The offset of the next record at or after ``position``, or None at the end of the stream."""
    marker = GZIP_MAGIC if gzipped else b"\nWARC/1."
    while True:
        stream.seek(position)
        block = stream.read(BLOCK + OVERLAP)
        found = block.find(marker)
        while found >= 0:
            offset = position + found + (0 if gzipped else 1)
            if not gzipped or _starts_warc(block[found:]):
                return offset
            found = block.find(marker, found + 1)
            if found >= BLOCK:
                break
        if len(block) <= BLOCK:
            return None
        position += BLOCK


def _member_damage(stream: IO[bytes], offset: int) -> str | None:
    """What is wrong with the gzip member at ``offset``: ``bad_gzip`` (it does not decompress: warcio takes such a
    member for uncompressed bytes, or stops reading it), ``cut_short`` (the file ends inside it), or None."""
    stream.seek(offset)
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        while not decompressor.eof and (block := stream.read(BLOCK)):
            decompressor.decompress(block)
    except zlib.error:
        return "bad_gzip"
    return None if decompressor.eof else "cut_short"


def _starts_warc(data: bytes) -> bool:
    """True when ``data`` begins a gzip member whose first bytes are a WARC header line."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 16).startswith(b"WARC/")
    except zlib.error:
        return False
