"""newscrawler: The Baghdad Post as clean JSON-lines article records.

Data flow, one package per step:

* ``newscrawler.baghdadpost`` -- everything known about the one site (URLs, selectors, date forms, time zone);
* ``newscrawler.spiders`` -- routing: which page leads to which, nothing about what a page contains;
* ``newscrawler.items`` -- the record and the contract of each field;
* ``newscrawler.pipelines`` -- ordered cleaning, normalising and dropping, through ``ItemAdapter``;
* export -- Scrapy feeds configured in ``newscrawler.settings``.
"""

__version__ = "0.1.0"
