"""A real pywb on 127.0.0.1 serving WARC files, started as a subprocess (``wb-manager`` then ``wayback``)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Self


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Pywb:
    """``collections`` maps a collection name to its WARC files; :attr:`url` is the server's root."""

    def __init__(self, root: Path, collections: dict[str, list[Path]]) -> None:
        self.root, self.port = root, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        root.mkdir(parents=True, exist_ok=True)
        for name, warcs in collections.items():
            self._manager("init", name)
            self._manager("add", name, *map(str, warcs))
        self.process: subprocess.Popen[bytes] | None = None

    def _manager(self, *args: str) -> None:
        subprocess.run([_tool("wb-manager"), *args], cwd=self.root, check=True, capture_output=True, timeout=120)

    def archive_dir(self, collection: str) -> Path:
        return self.root / "collections" / collection / "archive"

    def __enter__(self) -> Self:
        log = (self.root / "wayback.log").open("wb")
        command = [_tool("wayback"), "-b", "127.0.0.1", "-p", str(self.port)]
        self.process = subprocess.Popen(command, cwd=self.root, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).close()
                return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"pywb did not start: {(self.root / 'wayback.log').read_text()[-2000:]}")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)
