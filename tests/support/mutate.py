"""Change a copy of a snapshot the way the site changes between runs: new stories, edits, deletions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import SNAPSHOT


class SiteCopy:
    """A writable copy of the bundled snapshot."""

    def __init__(self, root: Path) -> None:
        shutil.copytree(SNAPSHOT, root)
        self.root = root
        self.manifest: dict[str, Any] = json.loads((root / "manifest.json").read_text(encoding="utf-8"))

    def save(self) -> None:
        (self.root / "manifest.json").write_text(json.dumps(self.manifest, ensure_ascii=False), encoding="utf-8")

    def story_path(self, edition: str, story_id: int) -> str:
        prefix = f"/{edition}/story/{story_id}/"
        return next(p for p, e in self.manifest.items() if p.lower().startswith(prefix) and e["status"] == 200)

    def _edit(self, path: str, old: str, new: str) -> None:
        page = self.root / self.manifest[path]["file"]
        text = page.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        page.write_text(text.replace(old, new, 1), encoding="utf-8")

    def change_story(self, edition: str, story_id: int, old_date: str, new_date: str) -> None:
        """Change a story's date line and add a paragraph at the top of its body."""
        path = self.story_path(edition, story_id)
        self._edit(path, old_date, new_date)
        page = (self.root / self.manifest[path]["file"]).read_text(encoding="utf-8")
        marker = 'id="ContentPlaceHolder1_NewsBody"' if "NewsBody" in page else 'class="story-body"'
        body_start = page.index("<p", page.index(marker))
        self._edit(
            path,
            page[body_start : body_start + 40],
            "<p>Update: officials confirmed the report.</p>\n" + page[body_start : body_start + 40],
        )

    def delete_story(self, edition: str, story_id: int) -> None:
        entry = self.manifest[self.story_path(edition, story_id)]
        entry.update(status=404, file="pages/404.html")

    def add_story(self, like: tuple[str, int], story_id: int, headline: str, listed: str, section_page: str) -> None:
        """A new story (a copy of ``like`` under a new id and headline) listed first on ``section_page``."""
        source = self.story_path(*like)
        slug = "-".join(headline.split())
        path = f"/{like[0]}/Story/{story_id}/{slug}"
        target = f"pages/{like[0]}/story/new/{story_id}.html"
        (self.root / target).parent.mkdir(parents=True, exist_ok=True)
        text = (self.root / self.manifest[source]["file"]).read_text(encoding="utf-8")
        old_headline = text.split('class="news-title">', 1)[1].split("</h1>", 1)[0] if "news-title" in text else ""
        (self.root / target).write_text(text.replace(old_headline, headline) if old_headline else text, "utf-8")
        self.manifest[path] = {"file": target, "status": 200, "headers": self.manifest[source]["headers"]}
        item = (
            f'<div class="news-item row"><div class="col-xs-8"><h3 class="news-item-title"><a href="{path}">'
            f'{headline}</a></h3><span class="news-item-date">{listed}</span></div></div>\n'
        )
        listing = self.root / section_page
        html = listing.read_text(encoding="utf-8")
        listing.write_text(html.replace('<div class="news-list">\n', '<div class="news-list">\n' + item, 1), "utf-8")
