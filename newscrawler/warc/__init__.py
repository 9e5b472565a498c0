"""WARC files of our own crawls (``NEWSCRAWLER_WARC=1``): every fetch, faithful, beside the run's export.

* :mod:`.handler` -- Scrapy's HTTP/1.1 download handler, also keeping the raw status line and header lines;
* :mod:`.records` -- the ``request``/``response`` records of one fetch, built with warcio;
* :mod:`.recorder` -- the downloader middleware that writes them and publishes the file atomically.
"""
