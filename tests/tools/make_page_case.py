"""Add a page-extraction case: a story page of a snapshot, its response, and its reference record.

    python tests/tools/make_page_case.py fixtures/site /en/Story/11554/... en-template-a-tweet

Writes ``fixtures/pages/CASE/page.html`` (the exact bytes), ``response.json`` (URL and headers) and
``expected.json`` (the snapshot's own record for that story, from its ``expected.jsonl``, minus the fields a
page alone cannot give: ``url``, ``datePublished*``, ``metadata``). Review the expected record before committing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PAGE_ONLY_EXCLUDED = ("url", "datePublished", "datePublishedRaw", "metadata")


def main(snapshot: Path, path: str, case: str) -> None:
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest[path]
    parts = path.split("/")
    edition, story_id = parts[1].lower(), int(parts[3])
    records = (json.loads(line) for line in (snapshot / "expected.jsonl").read_text(encoding="utf-8").splitlines())
    record = next(r for r in records if (r["edition"], r["storyId"]) == (edition, story_id))
    out = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / case
    out.mkdir(parents=True, exist_ok=True)
    (out / "page.html").write_bytes((snapshot / entry["file"]).read_bytes())
    response = {"url": f"https://www.thebaghdadpost.com{path}", "headers": entry["headers"]}
    (out / "response.json").write_text(json.dumps(response, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = {k: v for k, v in record.items() if k not in PAGE_ONLY_EXCLUDED}
    (out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
