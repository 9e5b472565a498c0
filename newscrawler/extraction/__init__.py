"""Generic extraction: a news story read from any page, knowing nothing of one site.

* :mod:`.content` -- where the main text is (trafilatura), split into paragraphs the project's way;
* :mod:`.dateline` -- the story's date line, found by date forms near the headline or after the body;
* :mod:`.media` -- the lead image and its caption;
* :mod:`.metadata` -- what a page says about itself (Open Graph, JSON-LD, canonical link, ``<title>``);
* :mod:`.story` -- the whole story: headline, body, image, date line (:func:`~.story.extract_story`);
* :mod:`.listing` -- the story links of a listing page, each with the date shown next to it, and its next page.

Site packages call these when their own rules find nothing; what a site knows (its date labels, its URL
shapes) is passed in as arguments.
"""
