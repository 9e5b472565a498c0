"""Work done ahead in real worker processes: results in order, failures turned into "do it yourself" (None)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

import pytest

from newscrawler.sources import ahead as ahead_module
from newscrawler.sources.ahead import BATCH, WINDOW, Ahead
from tests.conftest import ROOT

COUNT = BATCH * (WINDOW + 3) + 5  # more batches than are ever in flight, the last one short


def square(n: int) -> int:
    if n == 13:
        raise ValueError("unlucky")
    return n * n


def pid(n: int) -> int:
    return os.getpid()


def job(n: int) -> int | None:
    return None if n % 10 == 7 else n


def test_results_in_order_none_for_no_job_and_for_a_job_that_raised() -> None:
    ahead = Ahead(square, workers=2)
    try:
        got = list(ahead.map(range(COUNT), job))
    finally:
        ahead.close()
    assert [n for n, _ in got] == list(range(COUNT))
    assert got == [(n, None if n == 13 or n % 10 == 7 else n * n) for n in range(COUNT)]


def test_no_workers_gives_no_results_and_asks_for_no_jobs() -> None:
    asked: list[int] = []
    got = list(Ahead(square, workers=0).map(range(5), lambda n: asked.append(n)))
    assert got == [(n, None) for n in range(5)] and asked == []


def test_no_processes_to_be_had_means_no_results_and_one_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Where multiprocessing cannot work (a container without a usable ``/dev/shm``: no ``sem_open``)."""

    def no_processes(*args: object, **kwargs: object) -> None:
        raise OSError("This platform lacks a functioning sem_open implementation")

    monkeypatch.setattr(ahead_module, "ProcessPoolExecutor", no_processes)
    with caplog.at_level(logging.WARNING, logger="newscrawler.sources.ahead"):
        got = list(Ahead(square, workers=2).map(range(5), job))
    assert got == [(n, None) for n in range(5)]
    assert [r.message for r in caplog.records] == [
        "no worker processes (This platform lacks a functioning sem_open implementation); "
        "the crawl's process does all the work"
    ]


def test_work_runs_in_other_processes_that_close_stops() -> None:
    ahead = Ahead(pid, workers=1)
    pids = {result for _, result in ahead.map(range(COUNT), job) if result is not None}
    ahead.close()
    assert len(pids) == 1 and os.getpid() not in pids
    (worker,) = pids
    with pytest.raises(ProcessLookupError):
        _wait_gone(worker)


def test_a_killed_worker_costs_no_item_and_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    ahead = Ahead(pid, workers=1)
    results = ahead.map(range(COUNT), job)
    _, worker = next(results)
    assert worker is not None
    os.kill(worker, signal.SIGKILL)
    with caplog.at_level(logging.WARNING, logger="newscrawler.sources.ahead"):
        rest = list(results)
    assert [n for n, _ in rest] == list(range(1, COUNT))
    assert rest[-1][1] is None  # submitted after the worker died: the caller does it
    stopped = "work ahead stopped (BrokenProcessPool); the crawl's process does it all"
    assert [r.message for r in caplog.records] == [stopped]


def test_workers_exit_when_the_crawl_process_is_killed() -> None:
    script = (
        "import time\nfrom newscrawler.sources.ahead import Ahead\nfrom tests.test_ahead import pid\n"
        "print(next(Ahead(pid, 1).map([1], lambda n: n))[1], flush=True)\ntime.sleep(60)\n"
    )
    crawl = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert crawl.stdout is not None
    worker = int(crawl.stdout.readline())
    crawl.kill()
    crawl.wait()
    with pytest.raises(ProcessLookupError):
        _wait_gone(worker)


def _wait_gone(process: int) -> None:
    """Raises ProcessLookupError once ``process`` no longer exists (it is not our child: no zombie stays)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        os.kill(process, 0)
        time.sleep(0.05)
