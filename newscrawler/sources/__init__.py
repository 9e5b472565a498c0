"""Reading web archives: where a crawl's pages come from when it does not fetch the live site.

Generic machinery, knowing nothing of any one site:

* :mod:`.arguments` -- the ``source`` spider argument and each archive's own arguments;
* :mod:`.captures` -- a capture (one archived fetch of a URL) and the order in which captures are tried;
* :mod:`.cdx` -- CDX index answers, in the Internet Archive's and pywb's / Common Crawl's dialects;
* :mod:`.index` -- reading an index into captures: paged CDX queries, or local WARC files;
* :mod:`.warcfiles` -- local ``.warc``, ``.warc.gz`` and ``.wacz`` files: their index and their records;
* :mod:`.records` -- an archived HTTP response (a WARC record) as a Scrapy response at its original URL;
* :mod:`.replay` -- Wayback replay URLs (``{archive}/{timestamp}id_/{url}``);
* :mod:`.requests` -- index and capture requests, in their own download slots;
* :mod:`.middleware` -- the downloader middleware that answers capture requests from the archive;
* :mod:`.addon` -- the download slots and politeness limits of archive requests;
* :mod:`.selection` -- captures grouped per item and listing, candidates latest first, redirect targets;
* :mod:`.cursor` -- incremental runs: the newest capture time a published run saw, per archive;
* :mod:`.signals` -- every item found in an index, and why one yielded no record.

The site package says which URL prefixes to ask an index for and what identifies an item
(:mod:`newscrawler.baghdadpost.archive`); the spider routes the archived responses through the same extraction
and pipelines as live ones (:mod:`newscrawler.spiders.archive`).
"""
