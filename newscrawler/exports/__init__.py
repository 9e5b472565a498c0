"""Exports a consumer can trust: per-run JSONL files published atomically, with a manifest and a schema.

* :mod:`.feeds` -- where a run's export goes (``{data}/exports/{spider}/{YYYY-MM-DD}/{run-id}.jsonl``);
* :mod:`.atomic` -- write under a temporary name, fsync, rename;
* :mod:`.storage` -- the Scrapy feed storage that publishes that way (``atomic://`` URIs);
* :mod:`.manifest` -- the JSON document published beside each export;
* :mod:`.schema` -- the record's JSON Schema, and validation of export files.
"""
