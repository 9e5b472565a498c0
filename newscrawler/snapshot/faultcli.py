"""``newscrawler serve``: opening a snapshot server (or a fault server, with its options: see
:mod:`newscrawler.snapshot.faults`) with a one-line error, and serving until a signal."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from newscrawler.errors import CommandError
from newscrawler.snapshot.faults import FaultPlan, FaultServer, parse_faults
from newscrawler.snapshot.server import SnapshotServer


def add_fault_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("faults (to rehearse a crawl against a misbehaving server)")
    group.add_argument(
        "--faults",
        metavar="SPEC",
        default=None,
        help="KIND=RATE,... with KIND in 5xx, 500, 502, 503, 429, truncate, chunked, reset, stall, soft, empty "
        "(e.g. 5xx=0.1,429=0.02,truncate=0.02,reset=0.02,stall=0.005,soft=0.02)",
    )
    group.add_argument("--fault-seed", type=int, default=0, help="seed of the fault decisions (default 0)")
    group.add_argument("--retry-after", type=int, default=5, help="Retry-After seconds of a 429 (default 5)")
    group.add_argument("--stall-s", type=float, default=60.0, help="seconds a stalled answer waits (default 60)")
    group.add_argument("--max-streak", type=int, default=2, help="most faults in a row for one path (default 2)")


def open_fault_server(args: argparse.Namespace) -> FaultServer:
    """The fault server ``args`` describe; a ``CommandError`` for a bad spec."""
    try:
        rates = parse_faults(args.faults)
    except ValueError as error:
        raise CommandError(f"--faults: {error}") from None
    plan = FaultPlan(rates, args.fault_seed, args.retry_after, args.stall_s, args.max_streak)
    try:
        return FaultServer(args.directory, plan, port=args.port)
    except OSError as error:
        raise CommandError(f"cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}") from None


def open_server(directory: Path, port: int = 0, delay: float = 0.0) -> SnapshotServer:
    """The server for ``directory``, or a :class:`CommandError` saying why it cannot be served."""
    if not (directory / "manifest.json").is_file():
        raise CommandError(f"{directory} is not a snapshot (no manifest.json)")
    try:
        return SnapshotServer(directory, port=port, delay=delay)
    except OSError as error:
        raise CommandError(f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}") from None
    except ValueError as error:
        raise CommandError(f"{directory}/manifest.json is not valid: {error}") from None


def serve_until_stopped(server: SnapshotServer) -> None:
    """Serve until Ctrl-C or SIGTERM; a fault server then prints its counts on stderr."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    finally:
        if isinstance(server, FaultServer):
            print(f"faults: {server.log.summary()}", file=sys.stderr, flush=True)
