"""Everything newscrawler knows about The Baghdad Post, and nothing else.

* :mod:`.urls` -- hosts, editions, URL shapes, canonical URLs, mirrors;
* :mod:`.formats` -- how the site prints times, and its time zone;
* :mod:`.listing` -- home pages, section listings and author pages: what links where;
* :mod:`.story` -- story pages (both templates, both editions): the raw record fields;
* :mod:`.body` -- which parts of a story body are text, and which are ads, embeds or "Read also" lines.

The spider and the pipelines import from here; nothing here imports them.
"""
