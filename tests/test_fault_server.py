"""``newscrawler serve --faults``: seeded, transient faults over real HTTP, and the counts it prints on exit."""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newscrawler.snapshot.faults import FaultPlan, FaultServer
from tests.conftest import SNAPSHOT, run

STORY_PATH = "/en/Story/11554/36-ISIS-militants-killed-in-airstrike-near-Fallujah"


def get(url: str, path: str) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_same_seed_same_faults() -> None:
    plan = FaultPlan({"5xx": 0.3, "soft": 0.2}, seed=7, max_streak=5)
    answers = []
    for _ in range(2):
        with FaultServer(SNAPSHOT, plan) as server:
            answers.append([get(server.url, STORY_PATH)[0] for _ in range(8)] + [get(server.url, "/en/")[0]])
    assert answers[0] == answers[1] and set(answers[0]) - {200}


def test_faults_are_transient() -> None:
    with FaultServer(SNAPSHOT, FaultPlan({"503": 1.0}, max_streak=2)) as server:
        statuses = [get(server.url, STORY_PATH)[0] for _ in range(6)]
    assert statuses == [503, 503, 200, 503, 503, 200]


def test_429_limits_the_client_for_retry_after_seconds() -> None:
    with FaultServer(SNAPSHOT, FaultPlan({"429": 0.0}, retry_after=2), script={"/en/story/11554": ["429"]}) as server:
        status, headers, _ = get(server.url, STORY_PATH)
        inside = get(server.url, "/en/")
        time.sleep(2.1)
        after = get(server.url, "/en/")
    assert (status, headers["Retry-After"]) == (429, "2")
    assert inside[0] == 429 and after[0] == 200
    assert server.log.counts["in_retry_after_window"] == 1


def test_soft_error_is_the_sites_404_page_with_200() -> None:
    with FaultServer(SNAPSHOT, FaultPlan({"soft": 1.0})) as server:
        status, _, body = get(server.url, STORY_PATH)
        listing = get(server.url, "/en/Section/3/Iran")
    assert status == 200 and body == (SNAPSHOT / "pages" / "404.html").read_bytes()
    assert listing[0] == 200 and b"news-item" in listing[2]


def test_truncated_body_keeps_the_full_content_length() -> None:
    with FaultServer(SNAPSHOT, FaultPlan({"truncate": 1.0})) as server:
        parts = urlsplit(server.url)
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
        conn.request("GET", STORY_PATH)
        response = conn.getresponse()
        with pytest.raises(http.client.IncompleteRead):
            response.read()


def test_reset_answers_nothing() -> None:
    with (
        FaultServer(SNAPSHOT, FaultPlan({"reset": 1.0})) as server,
        pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)),
    ):
        get(server.url, STORY_PATH)


def test_stall_answers_late() -> None:
    with FaultServer(SNAPSHOT, FaultPlan({"stall": 1.0}, stall_s=1.0)) as server:
        parts = urlsplit(server.url)
        with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=0.5) as sock:
            sock.sendall(f"GET {STORY_PATH} HTTP/1.0\r\n\r\n".encode())
            with pytest.raises(TimeoutError):
                sock.recv(100)


def test_serve_prints_counts_on_exit() -> None:
    exe = Path(sys.executable).parent / "newscrawler"
    port = _free_port()
    args = [str(exe), "serve", str(SNAPSHOT), "--port", str(port), "--faults", "503=1", "--max-streak", "1"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and "serving" in proc.stdout.readline()
        statuses = [get(f"http://127.0.0.1:{port}", STORY_PATH)[0] for _ in range(3)]
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=10)
    assert statuses == [503, 200, 503]
    assert "faults: requests=3 ok=1 503=2 in_retry_after_window=0 in_window_after_1s=0" in stderr


def test_bad_spec_is_one_line() -> None:
    result = run(["newscrawler", "serve", str(SNAPSHOT), "--faults", "5xx=lots"])
    assert result.returncode == 2
    assert result.stderr.strip() == "newscrawler: error: --faults: fault '5xx' needs a rate like 5xx=0.05, not 'lots'"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
