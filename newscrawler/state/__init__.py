"""Crawl state for incremental runs: what was listed, fetched and exported, per ``(edition, storyId)``.

* :mod:`.store` -- the SQLite file, its run lock, and the two-phase commit tied to the export's publication;
* :mod:`.policy` -- pure rules: which listed story to fetch, when a listing walk stops, content hashes;
* :mod:`.extension` -- the run's observations and the commit when the export is published;
* :mod:`.middleware` -- applies the policy to the spider's requests, and adds revisits of old stories.

The export is the commit point: state rows are staged before the export is renamed into place and applied
after; a run that finds staged rows applies them if their export exists and discards them if not.
"""
