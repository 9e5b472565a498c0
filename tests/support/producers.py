"""WARCs made by real producers of a snapshot served on 127.0.0.1, and damaged copies of WARC files.

* :func:`warcprox_crawl`: warcprox (PyPI) as an HTTP proxy in front of :class:`~tests.support.warc_site.WarcTestSite`
  (IIS-like: story pages gzipped, listing pages chunked); warcprox digests payloads over the transfer-decoded body.
  Given a dedup database, a second crawl writes ``revisit`` records for unchanged pages.
* :func:`wget_crawl`: GNU wget ``--warc-file`` over the same server.
* :func:`pywb_record`: pywb's recording mode over the same server.
* :func:`wacz_pack`: WARC files packed into a ``.wacz`` by the ``wacz`` package (Webrecorder's packer).
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from tests.conftest import ROOT
from tests.support.pywb import free_port
from tests.support.warc_site import WarcTestSite


def site_paths(root: Path) -> list[str]:
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return [p for p in manifest if p.lower().startswith(("/en/", "/ar/"))]


#: warcprox pins cryptography below the version Scrapy needs, so it lives in a venv of its own (``.ci/run`` makes
#: it); ``NEWSCRAWLER_WARCPROX`` names its ``warcprox`` script elsewhere.
WARCPROX_HOME = ROOT / ".tools-warcprox" / "bin" / "warcprox"
#: warcprox refuses to fetch from 127.0.0.1 and has no option for it; its handler's class attribute allows it.
LAUNCH = (
    "import sys, warcprox.main, warcprox.warcproxy; warcprox.warcproxy.WarcProxyHandler.allow_localhost = True; "
    "sys.exit(warcprox.main.main(sys.argv))"
)


def warcprox_python() -> Path | None:
    """The Python of the venv warcprox is installed in, or None."""
    script = os.environ.get("NEWSCRAWLER_WARCPROX") or (str(WARCPROX_HOME) if WARCPROX_HOME.exists() else None)
    script = script or shutil.which("warcprox")
    return Path(script).parent / "python" if script else None


def warcprox_crawl(root: Path, out: Path, dedup: Path | None = None) -> Path:
    """Every page of snapshot ``root`` fetched through warcprox; the WARC file it wrote into ``out``."""
    port = free_port()
    python = warcprox_python()
    assert python is not None, "no warcprox"
    command = [str(python), "-c", LAUNCH, "-p", str(port), "-b", "127.0.0.1", "-d", str(out), "-z", "--base32", "-q"]
    command += ["-c", str(out / "ca.pem"), "--certs-dir", str(out / "certs")]
    command += ["-j", str(dedup if dedup else out / "dedup.db")]
    process = subprocess.Popen(command, cwd=out, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(port, process)
        with WarcTestSite(root) as site:
            for path in site_paths(root):
                _through_proxy(port, site.url + path)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    [warc] = sorted(out.glob("*.warc.gz"))
    return warc


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else b""
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("warcprox did not start")


def _through_proxy(port: int, url: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", url, headers={"Accept-Encoding": "gzip"})
        connection.getresponse().read()
    finally:
        connection.close()


#: The ``wacz`` package (its ``frictionless`` dependency is large) in a venv of its own, made by ``.ci/run``.
WACZ_HOME = ROOT / ".tools-wacz" / "bin" / "wacz"


def wacz_tool() -> str | None:
    return str(WACZ_HOME) if WACZ_HOME.exists() else shutil.which("wacz")


def wacz_pack(warcs: list[Path], target: Path) -> Path:
    """``warcs`` packed into ``target`` by the ``wacz`` package's ``wacz create`` (pages detected)."""
    tool = wacz_tool()
    assert tool is not None, "no wacz"
    subprocess.run([tool, "create", "-o", str(target), "--detect-pages", *map(str, warcs)], check=True, timeout=600)
    return target


def pywb_record(root: Path, out: Path) -> list[Path]:
    """Every page of snapshot ``root`` recorded by pywb's recording mode (``wayback --record --live``, through
    ``/{coll}/record/id_/{url}``) in front of the IIS-like server; the WARC files it wrote."""
    subprocess.run([_pywb_tool("wb-manager"), "init", "rec"], cwd=out, check=True, capture_output=True, timeout=120)
    port = free_port()
    command = [_pywb_tool("wayback"), "-b", "127.0.0.1", "-p", str(port), "--record", "--live"]
    with (out / "wayback.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=out, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for(port, process)
        with WarcTestSite(root) as site:
            for path in site_paths(root):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", f"/rec/record/id_/{site.url}{path}", headers={"Accept-Encoding": "gzip"})
                connection.getresponse().read()
                connection.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return sorted((out / "collections" / "rec" / "archive").glob("*.warc.gz"))


def _pywb_tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def wget_crawl(root: Path, out: Path) -> Path:
    """Every page of snapshot ``root`` fetched by GNU wget into ``out/wget.warc.gz``."""
    with WarcTestSite(root) as site:
        urls = out / "urls.txt"
        urls.write_text("\n".join(site.url + p for p in site_paths(root)) + "\n", encoding="utf-8")
        command = ["wget", "-q", "-i", str(urls), "--max-redirect=0", "--warc-file", str(out / "wget")]
        command += ["--content-on-error", "--no-warc-keep-log", "-O", "/dev/null", "--header=Accept-Encoding: gzip"]
        subprocess.run(command, cwd=out, check=False, timeout=600)
    return out / "wget.warc.gz"


def wget_available() -> bool:
    return shutil.which("wget") is not None


def record_offsets(path: Path) -> list[tuple[int, int, str, str, int]]:
    """``(offset, length, type, target URI, HTTP status or 0)`` of every record of a gzipped WARC file."""
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        found = []
        for record in iterator:
            iterator.read_to_end(record)
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            status = int(record.http_headers.get_statuscode() or 0) if record.rec_type == "response" else 0
            found.append((iterator.get_record_offset(), iterator.get_record_length(), record.rec_type, url, status))
    return found


def break_member(path: Path, target: Path, index: int) -> None:
    """A copy of gzipped WARC ``path`` whose ``index``-th record's gzip member is corrupt in its middle."""
    data = bytearray(path.read_bytes())
    offset, length, *_ = record_offsets(path)[index]
    middle = offset + length // 2
    data[middle : middle + 64] = b"\x00" * 64
    target.write_bytes(bytes(data))


def wrong_digest(path: Path, target: Path, index: int) -> None:
    """A copy of gzipped WARC ``path`` whose ``index``-th record declares a payload digest of other bytes."""
    data = path.read_bytes()
    offset, length, *_ = record_offsets(path)[index]
    record = gzip.decompress(data[offset : offset + length])
    start = record.index(b"WARC-Payload-Digest: ") + len(b"WARC-Payload-Digest: ")
    end = record.index(b"\r\n", start)
    record = record[:start] + b"sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + record[end:]
    target.write_bytes(data[:offset] + gzip.compress(record) + data[offset + length :])


def revisits_of(path: Path, target: Path, later: str) -> int:
    """A WARC of ``revisit`` records, one per ``response`` of ``path``, at time ``later`` (ISO 8601), each naming
    its original by URI, date and payload digest (as a deduplicating crawler writes them); the count written."""
    from warcio.warcwriter import WARCWriter

    written = 0
    with path.open("rb") as stream, target.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            headers = record.rec_headers
            revisit = writer.create_revisit_record(
                headers.get_header("WARC-Target-URI"),
                headers.get_header("WARC-Payload-Digest"),
                headers.get_header("WARC-Target-URI"),
                headers.get_header("WARC-Date"),
                http_headers=record.http_headers,
                warc_headers_dict={"WARC-Date": later},
            )
            writer.write_record(revisit)
            written += 1
    return written
