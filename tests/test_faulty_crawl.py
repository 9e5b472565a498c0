"""End to end: the bundled snapshot crawled through ``newscrawler serve --faults`` exports exactly what a clean
crawl does."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SNAPSHOT
from tests.support.faulty import crawl
from tests.test_fault_server import _free_port

SPEC = "5xx=0.1,429=0.02,truncate=0.02,reset=0.02,stall=0.005,soft=0.02"


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1])
def test_faulty_crawl_matches_the_reference(
    tmp_path: Path, seed: int, expected_records: dict[tuple[str, int], dict[str, Any]]
) -> None:
    port = _free_port()
    exe = Path(sys.executable).parent / "newscrawler"
    args = [str(exe), "serve", str(SNAPSHOT), "--port", str(port), "--faults", SPEC, "--fault-seed", str(seed)]
    server = subprocess.Popen([*args, "--stall-s", "4"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and "serving" in server.stdout.readline()
        result = crawl(f"http://127.0.0.1:{port}", tmp_path / "data", "-s", "DOWNLOAD_TIMEOUT=2")
    finally:
        server.send_signal(signal.SIGTERM)
        _, counts = server.communicate(timeout=10)
    faults = dict(part.split("=") for part in counts.split("faults: ")[1].split())
    assert int(faults["requests"]) > int(faults["ok"]) + 20, counts  # the faults did happen
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(result.records) == set(expected_records)
    for key, expected in expected_records.items():
        got = result.records[key]
        assert {k: got.get(k) for k in expected if k != "url"} == {k: v for k, v in expected.items() if k != "url"}
