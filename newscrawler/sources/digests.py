"""Payload digests as WARC producers compute them, and a verdict per record.

WARC 1.1 defines a response's payload as its entity body *with the transfer encoding removed*; warcprox,
Heritrix 3 (since its PR #770) and wget-lua digest that, while warcio, GNU wget and pywb's recorder digest the body
as stored (chunk framing included): webrecorder/warcio issues #74/#75, iipc/warc-specifications#22. warcio checks
only the second convention, so a record it calls failed is checked again over its de-chunked body.

Verdicts: ``passed`` (a digest matched, as stored), ``transfer_decoded`` (the payload digest matched the
de-chunked body), ``absent`` (no digest to check, or a revisit, whose block holds no payload), ``mismatch``
(neither convention matches: the record is still read, and counted).
"""

from __future__ import annotations

import base64
import hashlib
import io
from typing import Any

from warcio.bufferedreaders import ChunkedDataReader

#: The verdicts, in the order the manifest lists them.
VERDICTS = ("passed", "transfer_decoded", "absent", "mismatch")


def verdict(record: Any, body: bytes | None) -> str:
    """The verdict on a record read to its end with ``check_digests=True``; ``body``: its payload as stored, kept
    when its HTTP headers say ``Transfer-Encoding: chunked`` (else None)."""
    passed = record.digest_checker.passed
    if passed is None:
        return "absent"
    if passed:
        return "passed"
    problems = " ".join(record.digest_checker.problems)
    declared = record.rec_headers.get_header("WARC-Payload-Digest") or ""
    if "block digest" not in problems and body is not None and same_digest(dechunked(body), declared):
        return "transfer_decoded"
    return "mismatch"


def is_chunked(record: Any) -> bool:
    """True when the record's HTTP headers say the body was sent chunked."""
    http = record.http_headers
    encoding = str(http.get_header("Transfer-Encoding") or "") if http is not None else ""
    return "chunked" in encoding.lower()


def dechunked(body: bytes) -> bytes:
    """A chunked body with its framing removed (content encodings kept, as the payload digest wants them)."""
    return bytes(ChunkedDataReader(io.BytesIO(body)).read())


def same_digest(data: bytes, declared: str) -> bool:
    """True when ``declared`` (``algo:value``, value in base32, hex or base64) is the digest of ``data``.

    >>> same_digest(b"abc", "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5")
    True
    >>> same_digest(b"abc", "sha1:a9993e364706816aba3e25717850c26c9cd0d89d"), same_digest(b"abc", "md9:x")
    (True, False)
    """
    algorithm, _, value = declared.partition(":")
    try:
        digest = hashlib.new(algorithm.lower().replace("-", ""), data).digest()
    except ValueError:
        return False
    encodings = (base64.b32encode(digest).decode(), digest.hex(), base64.b64encode(digest).decode())
    return value.strip() in encodings or value.strip().upper() in encodings or value.strip().lower() in encodings
