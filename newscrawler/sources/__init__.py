"""Reading web archives: where a crawl's pages come from when it does not fetch the live site.

Generic machinery, knowing nothing of any one site:

* :mod:`.captures` -- a capture (one archived fetch of a URL) and the order in which captures are tried;
* :mod:`.cdx` -- CDX index queries and answers, in the Internet Archive's and pywb's / Common Crawl's dialects;
* :mod:`.warcfiles` -- local ``.warc``, ``.warc.gz`` and ``.wacz`` files: their index and their records;
* :mod:`.records` -- an archived HTTP response (a WARC record) as a Scrapy response at its original URL;
* :mod:`.middleware` -- the downloader middleware that answers capture requests from the archive;
* :mod:`.addon` -- the download slots and politeness limits of archive requests;
* :mod:`.selection` -- per item (a story), the captures still to try, latest first, and why each failed.

The site package says which URL prefixes to ask an index for and what identifies an item; the spider routes the
archived responses through the same extraction and pipelines as live ones.
"""
