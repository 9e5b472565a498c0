"""Deployment for real: scrapyd on 127.0.0.1, the project's egg built by scrapyd-deploy, a scheduled crawl."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import ROOT, published, read_jsonl, run

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A scrapyd daemon in ``tmp_path`` whose jobs publish under ``tmp_path/data``; yields (url, data dir)."""
    port, data = _free_port(), tmp_path / "data"
    (tmp_path / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.5\nitems_dir =\n"
        f"eggs_dir = {tmp_path / 'eggs'}\nlogs_dir = {tmp_path / 'logs'}\ndbs_dir = {tmp_path / 'dbs'}\n"
    )
    env = {**os.environ, "NEWSCRAWLER_DATA_DIR": str(data)}
    daemon = subprocess.Popen(
        [str(BIN / "scrapyd")], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(f"{url}/daemonstatus.json", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(0.2)
        yield url, data
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


def test_deploy_schedule_and_find_the_export(scrapyd: tuple[str, Path], site: SnapshotServer, tmp_path: Path) -> None:
    url, data = scrapyd
    egg = tmp_path / "newscrawler.egg"
    built = run(["scrapyd-deploy", "--build-egg", str(egg)], cwd=ROOT)
    assert built.returncode == 0 and egg.is_file(), built.stderr[-2000:]
    with egg.open("rb") as handle:
        added = requests.post(
            f"{url}/addversion.json", data={"project": "newscrawler", "version": "1"}, files={"egg": handle}, timeout=60
        ).json()
    assert added["status"] == "ok" and added["spiders"] == 1, added
    job = requests.post(
        f"{url}/schedule.json",
        timeout=10,
        data=[
            ("project", "newscrawler"),
            ("spider", "baghdadpost"),
            ("base_url", site.url),
            ("setting", "AUTOTHROTTLE_ENABLED=0"),
            ("setting", "DOWNLOAD_DELAY=0"),
        ],
    ).json()
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        jobs = requests.get(f"{url}/listjobs.json", params={"project": "newscrawler"}, timeout=10).json()
        if any(j["id"] == job["jobid"] for j in jobs["finished"]):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the scheduled job did not finish in 180 s")
    [export] = [p for p in published(data) if p.suffix == ".jsonl"]
    assert len(read_jsonl(export)) == 177
    manifest = json.loads(export.with_name(export.name.replace(".jsonl", ".manifest.json")).read_text("utf-8"))
    assert manifest["finishReason"] == "finished" and manifest["monitors"]["passed"] is True
    assert manifest["arguments"]["base_url"] == site.url
