"""A snapshot served for a benchmark: ``newscrawler serve`` in its own process, on a free loopback port.

with served(Path("/tmp/snap10k")) as base:   # "http://127.0.0.1:PORT", accepting connections
    ...
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent
#: Loading a large snapshot's manifest takes a few seconds.
START_TIMEOUT = 120.0


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(snapshot: Path, *options: str) -> Iterator[str]:
    """The base URL of ``newscrawler serve SNAPSHOT`` (``options``: more of its options, e.g. a fault mix) once it
    accepts connections; the server is stopped on leaving the block."""
    port = free_port()
    command = [str(BIN / "newscrawler"), "serve", str(snapshot), "--port", str(port), *options]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        _wait_for(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while server.poll() is None and time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"newscrawler serve {' '.join(server.args[2:])} did not start")  # type: ignore[index]
