"""``newscrawler crawl --help``: how to call the crawl, and every spider argument with its meaning and default,
from the tables the arguments are checked against (:mod:`newscrawler.spiders.arguments`)."""

from __future__ import annotations

import textwrap

from newscrawler.exitcodes import help_epilog
from newscrawler.helptext import argument_lines
from newscrawler.sources.arguments import ARCHIVE_ARGUMENT_DOCS
from newscrawler.spiders.arguments import LIVE_ARGUMENT_DOCS

WIDTH = 100
USAGE = "usage: newscrawler crawl [baghdadpost] [NAME=VALUE ...] [scrapy crawl options]"
ABOUT = (
    "Crawl The Baghdad Post: scrapy crawl baghdadpost from any directory, spider arguments written NAME=VALUE "
    "(or -a NAME=VALUE), Scrapy's options as for scrapy crawl (-s NAME=VALUE, -o/-O FILE, -L LEVEL; scrapy crawl "
    "-h lists them). Runs are incremental and publish their export under NEWSCRAWLER_DATA_DIR (README: Exports)."
)


def crawl_help() -> str:
    """The help text, ending with a newline."""
    parts = [
        USAGE,
        "",
        textwrap.fill(ABOUT, WIDTH),
        "",
        "spider arguments:",
        *argument_lines(LIVE_ARGUMENT_DOCS, WIDTH),
        "",
        "archive sources (the arguments above keep their meaning, but base_url is for the live site only):",
        *argument_lines(ARCHIVE_ARGUMENT_DOCS, WIDTH),
        "",
        help_epilog(),
    ]
    return "\n".join(parts) + "\n"
