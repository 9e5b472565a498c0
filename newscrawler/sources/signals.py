"""Signals an archive crawl sends, for components that account for every item (an outcome ledger).

* ``item_found(key, captures)``: the index holds ``captures`` (a count) for item ``key``; sent once per item;
* ``item_failed(key, reason)``: no capture of ``key`` yielded the item (``http_404``, ``not_a_story``...);
* ``item_skipped(key, reason)``: ``key`` was found but not wanted (``before_since``, ``not_in_sections``).

An item neither failed nor skipped goes on to the pipelines as a record (exported, or dropped by them).
"""

item_found = object()
item_failed = object()
item_skipped = object()
