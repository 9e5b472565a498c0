"""``scrapy check``, with the spiders' arguments checked first (one line, exit 2, no request: an unknown argument,
or a ``base_url`` that does not answer) and the one-page settings (:mod:`.onepage`): the contracts' pages are
fetched and nothing else, no crawl state is read or written, no monitor runs.

The contracts read pages of the site wherever ``-a base_url=`` serves it (:mod:`newscrawler.contracts`), e.g.
``newscrawler serve fixtures/site --port 8000 & scrapy check -a base_url=http://127.0.0.1:8000``.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.check import Command as ScrapyCheckCommand
from scrapy.spiderloader import get_spider_loader

from newscrawler.commands.onepage import one_page_settings
from newscrawler.preflight import PreflightError, preflight


class Command(ScrapyCheckCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        one_page_settings(self.settings)
        if opts.list:
            return
        loader = get_spider_loader(self.settings)
        try:
            for name in args or loader.list():
                preflight(loader.load(name), opts.spargs, self.settings)
        except KeyError as error:
            print(f"error: no spider named {error} (scrapy list shows them)", file=sys.stderr)
            sys.exit(2)
        except PreflightError as error:
            print(f"error: {error}", file=sys.stderr)
            sys.exit(2)
