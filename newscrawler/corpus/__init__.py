"""The corpus: the current version of every story, kept from the published exports of every run.

* :mod:`.exports` -- which export files a data directory holds, in (run id, part) order;
* :mod:`.merge` -- the one merge rule (latest observation wins; a deletion marks the content it follows);
* :mod:`.arrow` -- the Parquet columns, typed from the record's JSON Schema;
* :mod:`.store` -- one generation of the corpus on disk: partitions, key index, manifest, atomic swap;
* :mod:`.update` -- bring the corpus up to date with the exports (incrementally, or rebuilt);
* :mod:`.extension` -- the Scrapy extension that updates it after every run that publishes an export.

Layout: ``{data}/corpus/{spider}`` is a symbolic link to the current generation
(``{data}/corpus/.generations/{spider}/{n}``), which holds ``manifest.json``, ``index.tsv.gz`` (key ->
partition), ``jsonl/{partition}.jsonl.gz`` (the contract) and ``parquet/{partition}.parquet``. A partition is the
record's ``edition`` and the month of its ``datePublished`` (``en/2020-11``), or ``{edition}/undated``. An update
writes only the partitions its records touch, hard-links the others into a new generation and swaps the link:
a reader sees the old corpus or the new one, never a mix; a killed update leaves the old one whole.
"""
