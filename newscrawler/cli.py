"""The ``newscrawler`` command: ``crawl``, ``serve`` a snapshot, run the offline ``demo``, ``validate`` exports,
``report`` what the crawls did, ``extract`` records from saved pages.

Errors are one line on stderr and a non-zero exit (2 for bad usage or input, 1 for a failed run; ``crawl``'s
statuses are in ``newscrawler/exitcodes.py``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from newscrawler import __version__, exitcodes
from newscrawler.errors import CommandError
from newscrawler.helptext import PlainParser
from newscrawler.snapshot.faultcli import add_fault_options, open_fault_server, open_server, serve_until_stopped


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["crawl"]:
        return crawl(argv[1:])
    args = _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except CommandError as error:
        print(f"newscrawler: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = PlainParser(
        prog="newscrawler",
        description=__doc__.split("\n\n")[0],
        epilog=f"{exitcodes.help_epilog()}\nthe other commands: 0 done, 1 problems found, 2 bad input",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newscrawler {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    commands.add_parser(
        "crawl",
        help="crawl (spider arguments as NAME=VALUE, Scrapy options as for scrapy crawl; crawl -h lists the "
        "arguments); exit status below",
    )
    serve = commands.add_parser("serve", help="serve a site snapshot on 127.0.0.1 with the site's URL rules")
    serve.add_argument("directory", type=Path, help="snapshot directory (with manifest.json and pages/)")
    serve.add_argument("--port", type=int, default=8000, help="port (0: any free one; default 8000)")
    serve.add_argument("--delay", type=float, default=0.0, help="seconds to wait before each answer (default 0)")
    add_fault_options(serve)
    serve.set_defaults(handler=_serve)
    demo = commands.add_parser("demo", help="crawl the bundled snapshot offline and summarise the export")
    demo.add_argument("--snapshot", type=Path, default=None, help="another snapshot directory to crawl")
    demo.add_argument("--output", type=Path, default=Path("data/demo"), help="where to write (default data/demo)")
    demo.set_defaults(handler=_demo)
    validate = commands.add_parser("validate", help="check export files (JSONL, plain or gzip) against the schema")
    validate.add_argument("files", type=Path, nargs="+", metavar="FILE")
    validate.set_defaults(handler=_validate)
    _add_report(commands)
    corpus = commands.add_parser(
        "corpus", help="rebuild DATA/corpus/SPIDER/ (one record per story, its latest version) from the exports"
    )
    corpus.add_argument(
        "--data", type=Path, default=None, help="data directory (default $NEWSCRAWLER_DATA_DIR or data)"
    )
    corpus.add_argument("--spider", default="baghdadpost", help="whose exports (default baghdadpost)")
    corpus.add_argument("--update", action="store_true", help="take in new exports only, rather than rebuild")
    corpus.set_defaults(handler=_corpus)
    extract = commands.add_parser("extract", help="print the record the crawl would export for saved pages")
    extract.add_argument("files", type=Path, nargs="+", metavar="FILE.html")
    extract.add_argument("--url", help="the URL the pages were fetched from (default: the URL a page declares)")
    extract.add_argument("--generic", action="store_true", help="the generic extractor alone, no site rules")
    extract.set_defaults(handler=_extract)
    return parser


def _add_report(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = commands.add_parser(
        "report", help="write one HTML file showing what the crawls did (runs, archive, quality)"
    )
    report.add_argument(
        "--data", type=Path, default=None, help="data directory (default $NEWSCRAWLER_DATA_DIR or data)"
    )
    report.add_argument("-o", "--output", type=Path, default=None, help="report file (default DATA/report.html)")
    report.add_argument(
        "--state", type=Path, default=None, help="crawl state file (default DATA/state/newscrawler.sqlite3)"
    )
    report.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    import os

    from newscrawler.report import ReportError, write_report

    data = args.data or Path(os.environ.get("NEWSCRAWLER_DATA_DIR") or "data")
    try:
        print(write_report(data, args.output or data / "report.html", args.state))
    except ReportError as error:
        raise CommandError(str(error)) from None
    return 0


def _corpus(args: argparse.Namespace) -> int:
    """Print one line: stories, removed, runs, where."""
    import os

    from newscrawler.corpus.store import corpus_link
    from newscrawler.corpus.update import update_corpus

    data = (args.data or Path(os.environ.get("NEWSCRAWLER_DATA_DIR") or "data")).resolve()
    if not (data / "exports" / args.spider).is_dir():
        raise CommandError(f"no exports under {data / 'exports' / args.spider}")
    try:
        manifest = update_corpus(data, args.spider, rebuild=not args.update)
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot build the corpus: {error}") from None
    records = manifest["records"]
    print(
        f"{corpus_link(data, args.spider)}: {records['total']} stories ({records['removed']} removed) from "
        f"{len(manifest['runs'])} export(s)"
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    if args.faults is not None:
        open_server(args.directory, args.port).httpd.server_close()  # the same checks of the directory and port
    server = open_fault_server(args) if args.faults is not None else open_server(args.directory, args.port, args.delay)
    print(f"serving {args.directory} at {server.url}/ (Ctrl-C to stop)", flush=True)
    try:
        serve_until_stopped(server)
    finally:
        server.httpd.server_close()
    return 0


def _demo(args: argparse.Namespace) -> int:
    from newscrawler.demo import run_demo

    return run_demo(args.snapshot, args.output)


def _validate(args: argparse.Namespace) -> int:
    """Print each problem as ``FILE: line N: FIELD: message``; exit 1 when there is any."""
    from newscrawler.exports.schema import problems

    found = 0
    for path in args.files:
        try:
            for problem in problems(path):
                found += 1
                print(f"{path}: {problem}")
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror or error}") from None
    print(f"{len(args.files)} file(s), {found} problem(s)", file=sys.stderr)
    return 1 if found else 0


def _extract(args: argparse.Namespace) -> int:
    """One JSON record per file on stdout; a page that is not a story is one line on stderr and exit 1."""
    import json

    from newscrawler.extract import extract_record, page_url

    missed = 0
    for path in args.files:
        try:
            body = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror or error}") from None
        record = extract_record(body, page_url(body, args.url), generic=args.generic)
        if record is None:
            missed += 1
            print(f"newscrawler: {path}: not a story page", file=sys.stderr)
        else:
            print(json.dumps(record, ensure_ascii=False), flush=True)
    return 1 if missed else 0


def crawl(args: list[str]) -> int:
    """``newscrawler crawl [baghdadpost] [NAME=VALUE ...] [scrapy crawl options]``: ``scrapy crawl baghdadpost``
    from any directory, spider arguments without ``-a``; the exit status says whether the run and its monitors
    passed. ``-h``/``--help`` lists the spider's arguments."""
    import os

    from newscrawler.interrupts import stop_before_start

    stop_before_start()  # before Scrapy's imports: a Ctrl-C there exits 130 without a traceback
    from scrapy.cmdline import execute

    from newscrawler.commands.crawlhelp import crawl_help

    if "-h" in args or "--help" in args:
        print(crawl_help(), end="")
        return 0
    spider = args.pop(0) if args and not args[0].startswith("-") and "=" not in args[0] else "baghdadpost"
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawler.settings")
    translated: list[str] = []
    for arg in args:
        is_spider_arg = (
            "=" in arg
            and not arg.startswith("-")
            and (not translated or translated[-1] not in ("-s", "-o", "-O", "-a", "--set"))
        )
        translated += ["-a", arg] if is_spider_arg else [arg]
    try:
        execute(["scrapy", "crawl", spider, *translated])
    except SystemExit as done:
        return int(done.code or 0) if not isinstance(done.code, str) else 2
    return 0
