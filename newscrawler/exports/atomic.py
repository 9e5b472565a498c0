"""Publishing files atomically: a file appears under its final name only complete and on disk."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

_PART = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.part$")


def part_path(final: Path) -> Path:
    """The temporary name a file is written under, in the same directory (same file system, so rename is atomic).

    >>> part_path(Path("/d/run.jsonl")).name == f".run.jsonl.{os.getpid()}.part"
    True
    """
    return final.with_name(f".{final.name}.{os.getpid()}.part")


def publish(part: Path, final: Path) -> None:
    """Rename the fsynced ``part`` to ``final`` and fsync the directory, so the rename itself survives a crash.

    Refuses to replace an existing ``final``: no run ever overwrites another's file.
    """
    if final.exists():
        raise FileExistsError(f"{final} already exists; not overwritten")
    part.replace(final)
    fsync_directory(final.parent)


def write_atomic(final: Path, data: bytes) -> None:
    """Write ``data`` to ``final`` atomically (temporary name, flush, fsync, rename)."""
    part = part_path(final)
    try:
        with part.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        publish(part, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()


def fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_parts(directory: Path) -> list[Path]:
    """Delete temporary files left in ``directory`` by processes that no longer run; return what was deleted."""
    removed = []
    for path in directory.glob(".*.part"):
        match = _PART.match(path.name)
        if match and not _alive(int(match["pid"])):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
