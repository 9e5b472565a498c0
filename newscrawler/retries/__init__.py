"""Generic fault handling for downloads (knows nothing of any one site).

* :mod:`.backoff` -- pure rules: ``Retry-After`` values, exponential backoff with jitter;
* :mod:`.hosts` -- per-host pauses: requests held until a host's ``Retry-After`` or ``Crawl-delay`` allows them;
* :mod:`.middleware` -- the retry middleware (replaces Scrapy's): backoff, host pauses, ``rate_limited``;
* :mod:`.soft` -- retries of pages answered 200 that are not what was asked for;
* :mod:`.answers` -- answers that cannot be used (non-HTML, empty, wrong charset, redirect loops, off-site);
* :mod:`.reasons` -- why a request failed, as a short reason, and the story outcome it means;
* :mod:`.robots` -- robots.txt that cannot be fetched disallows its host; ``Crawl-delay`` is honoured.
"""
