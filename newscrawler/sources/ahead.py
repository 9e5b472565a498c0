"""Work done ahead in other processes, its results handed back in order.

A rebuild from local WARC files waits on nothing but the CPU, and a crawl's process uses one core. :class:`Ahead`
runs a function over the jobs a loop is about to reach in worker processes, a bounded window ahead, while the loop
(in the crawl's process) does the rest of each step: on two cores the crawl then runs at nearly the speed of its
own share of the work (``benchmarks/README.md``).

Results are advice, never needed: a job whose function raised, or that a dead worker left behind, gives None, as
does every job once the pool is broken (logged once), and the caller then does that work itself. Workers are
children of the crawl's process (spawned, never forked from a process running threads); they ignore SIGINT (the
crawl's process decides how to stop), are stopped by :meth:`Ahead.close`, and exit by themselves within a second
when the crawl's process is gone (killed with SIGKILL, say).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)
I = TypeVar("I")  # noqa: E741 (an item of the loop)
J = TypeVar("J")
R = TypeVar("R")
#: Jobs sent to a worker at once (one message each way), and batches kept in flight per worker.
BATCH = 32
WINDOW = 3


def worker_count(setting: int, cpus: int | None = None) -> int:
    """Worker processes for a setting: itself when 0 or more, else (``-1``, auto) one less than the CPUs, at most 4.

    >>> worker_count(-1, 1), worker_count(-1, 2), worker_count(-1, 16), worker_count(0, 16), worker_count(3, 1)
    (0, 1, 4, 0, 3)
    """
    return setting if setting >= 0 else max(0, min(4, (cpus or os.cpu_count() or 1) - 1))


def _start_worker(parent: int) -> None:
    """In a new worker: ignore SIGINT, and exit as soon as ``parent`` is no longer this process's parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _run(function: Callable[[J], R], jobs: list[J | None]) -> list[R | None]:
    """In a worker: ``function`` over a batch, None for a job that is None or that raised."""
    results: list[R | None] = []
    for job in jobs:
        try:
            results.append(None if job is None else function(job))
        except Exception:  # the caller does this job itself
            results.append(None)
    return results


def _pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of spawned workers, or None where processes cannot be made (no working ``sem_open``, say)."""
    try:
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(os.getpid(),))
    except (OSError, ImportError, NotImplementedError) as error:
        logger.warning("no worker processes (%s); the crawl's process does all the work", error)
        return None


class Ahead(Generic[J, R]):
    """``function`` (importable, with picklable jobs and results) run ahead in ``workers`` processes (0: none)."""

    def __init__(self, function: Callable[[J], R], workers: int) -> None:
        self.function = function
        self._pool: ProcessPoolExecutor | None = None
        if workers > 0:
            self._pool = _pool(workers)
        if self._pool is not None:
            self._pool.submit(_run, function, [])  # a worker starts, importing the function's module, meanwhile
        self._window = WINDOW * max(workers, 1)

    def map(self, items: Iterable[I], job_of: Callable[[I], J | None]) -> Iterator[tuple[I, R | None]]:
        """Each item with the result of its job (None: no job, no result, or no workers), items in order."""
        if self._pool is None:
            yield from ((item, None) for item in items)
            return
        batches = _batches(iter(items))
        pending: deque[tuple[list[I], Future[list[R | None]] | None]] = deque()
        for batch in islice(batches, self._window):
            pending.append((batch, self._submit([job_of(item) for item in batch])))
        while pending:
            batch, future = pending.popleft()
            yield from zip(batch, self._results(future, len(batch)), strict=True)
            for later in islice(batches, 1):
                pending.append((later, self._submit([job_of(item) for item in later])))

    def _submit(self, jobs: list[J | None]) -> Future[list[R | None]] | None:
        if self._pool is None or not any(job is not None for job in jobs):
            return None
        try:
            return self._pool.submit(_run, self.function, jobs)
        except RuntimeError as error:  # a broken pool (a worker died), or one already closed
            self._broken(error)
            return None

    def _results(self, future: Future[list[R | None]] | None, size: int) -> list[R | None]:
        if future is None:
            return [None] * size
        try:
            return future.result()
        except Exception as error:  # a worker that died: the caller does the work
            self._broken(error)
            return [None] * size

    def _broken(self, error: BaseException) -> None:
        if self._pool is not None:
            logger.warning("work ahead stopped (%s); the crawl's process does it all", type(error).__name__)
            self.close()

    def close(self) -> None:
        """Stop the workers; jobs not yet started are dropped."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _batches(items: Iterator[I]) -> Iterator[list[I]]:
    while batch := list(islice(items, BATCH)):
        yield batch
