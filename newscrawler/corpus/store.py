"""One generation of the corpus on disk, and the swap that publishes it.

``{data}/corpus/{spider}`` is a symbolic link to ``.generations/{spider}/{n:08d}``. A generation holds
``manifest.json``, ``index.tsv.gz`` (``edition``, ``storyId``, partition per line) and, per partition,
``jsonl/{partition}.jsonl.gz`` and ``parquet/{partition}.parquet``. Files are written once and never changed: a
new generation hard-links the partitions it keeps and writes the others; the link is then replaced by rename, so
a reader that opens the corpus through the link sees one generation whole. Generations other than the current
and the previous one are deleted after a swap (the previous one stays for readers still in it).
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newscrawler.corpus.arrow import write_parquet
from newscrawler.corpus.merge import Record
from newscrawler.exports.atomic import fsync_directory

FORMATS = {"jsonl": ".jsonl.gz", "parquet": ".parquet"}
#: gzip level of the JSON lines: 1 writes about three times as fast as 6, for about a third more bytes.
COMPRESSION = 1


def corpus_link(data: Path, spider: str) -> Path:
    return data / "corpus" / spider


def generations_dir(data: Path, spider: str) -> Path:
    return data / "corpus" / ".generations" / spider


def partition_file(root: Path, partition: str, kind: str) -> Path:
    return root / kind / f"{partition}{FORMATS[kind]}"


def current_generation(data: Path, spider: str) -> Path | None:
    """The directory the corpus link points to, or None before the first corpus."""
    link = corpus_link(data, spider)
    return link.resolve() if link.is_symlink() and (link.resolve() / "manifest.json").is_file() else None


def read_manifest(generation: Path | None) -> dict[str, Any]:
    if generation is None:
        return {"runs": [], "partitions": {}}
    return json.loads((generation / "manifest.json").read_text("utf-8"))  # type: ignore[no-any-return]


def read_partition(generation: Path, partition: str) -> Iterator[Record]:
    with gzip.open(partition_file(generation, partition, "jsonl"), "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def read_index(generation: Path | None) -> dict[tuple[str, int], str]:
    if generation is None or not (generation / "index.tsv.gz").is_file():
        return {}
    with gzip.open(generation / "index.tsv.gz", "rt", encoding="utf-8") as lines:
        return {(e, int(i)): p for e, i, p in (line.rstrip("\n").split("\t") for line in lines)}


@contextlib.contextmanager
def locked(data: Path, spider: str) -> Iterator[None]:
    """Hold the corpus lock of ``spider`` (a ``flock``: one update at a time; the kernel drops it on a kill)."""
    lock = data / "corpus" / f".{spider}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


class Generation:
    """A generation being written: partition files, then index and manifest, then :meth:`publish`."""

    def __init__(self, data: Path, spider: str, previous: Path | None) -> None:
        self.data, self.spider, self.previous = data, spider, previous
        number = int(previous.name) + 1 if previous is not None else 1
        self.root = generations_dir(data, spider) / f"{number:08d}"
        shutil.rmtree(self.root, ignore_errors=True)  # left by a killed update
        self.root.mkdir(parents=True)
        self.bytes_written = 0
        #: Files this generation wrote (the hard-linked ones are on disk already).
        self.written: list[Path] = []

    def keep(self, partition: str) -> None:
        """Hard-link an unchanged partition from the previous generation."""
        assert self.previous is not None
        for kind in FORMATS:
            target = partition_file(self.root, partition, kind)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(partition_file(self.previous, partition, kind), target)

    def write(self, partition: str, records: list[Record]) -> dict[str, Any]:
        """Write a partition in both formats (``records`` sorted by identity); return its manifest entry."""
        jsonl, parquet = (partition_file(self.root, partition, kind) for kind in FORMATS)
        jsonl.parent.mkdir(parents=True, exist_ok=True)
        parquet.parent.mkdir(parents=True, exist_ok=True)
        with _deterministic_gzip(jsonl) as out:
            out.write("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode("utf-8"))
        write_parquet(records, parquet)
        removed = sum(1 for r in records if r.get("removed"))
        return {
            "records": len(records),
            "removed": removed,
            "files": {k: self._describe(p) for k, p in (("jsonl", jsonl), ("parquet", parquet))},
        }

    def write_index(self, index: dict[tuple[str, int], str], unchanged: bool) -> None:
        target = self.root / "index.tsv.gz"
        if unchanged and self.previous is not None and (self.previous / "index.tsv.gz").is_file():
            os.link(self.previous / "index.tsv.gz", target)
            return
        with _deterministic_gzip(target) as out:
            out.write("".join(f"{e}\t{i}\t{p}\n" for (e, i), p in sorted(index.items())).encode("utf-8"))
        self.written.append(target)

    def publish(self, manifest: dict[str, Any]) -> None:
        """Write the manifest, fsync the generation, and swap the corpus link to it (atomic rename)."""
        (self.root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
        _fsync_files([*self.written, self.root / "manifest.json"])
        link = corpus_link(self.data, self.spider)
        temporary = link.with_name(f".{link.name}.{os.getpid()}.link")
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        temporary.symlink_to(self.root.relative_to(link.parent))
        temporary.replace(link)
        fsync_directory(link.parent)
        self._remove_old()

    def _remove_old(self) -> None:
        keep = {self.root.name, self.previous.name if self.previous is not None else ""}
        for old in generations_dir(self.data, self.spider).iterdir():
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def _describe(self, path: Path) -> dict[str, Any]:
        self.written.append(path)
        size = path.stat().st_size
        self.bytes_written += size
        return {"file": str(path.relative_to(self.root)), "sha256": _sha256(path), "bytes": size}


@contextlib.contextmanager
def _deterministic_gzip(path: Path) -> Iterator[IO[bytes]]:
    """A gzip stream without name or time in its header: the same records give the same bytes."""
    with path.open("wb") as raw, gzip.GzipFile("", "wb", COMPRESSION, raw, mtime=0) as out:
        yield out  # type: ignore[misc]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_files(paths: list[Path]) -> None:
    """fsync each file, then every directory of the generation (the last path is its manifest)."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    root = paths[-1].parent
    for directory in sorted({root, *(Path(d) for d, _, _ in os.walk(root))}):  # hard links are entries too
        fsync_directory(directory)
