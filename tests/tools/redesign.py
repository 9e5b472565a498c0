"""Make a redesigned copy of a snapshot, as a theme change would leave it; its ``expected.jsonl`` unchanged.

    python -m tests.tools.redesign fixtures/site /tmp/redesigned [--seed 1] [--share 0.3]

Every HTML page is rewritten: each class name and id becomes a meaningless token (the same name, the same
token, as a stylesheet would need), a share of ``div`` and ``span`` wrappers become other elements, ``itemprop``
attributes go, and the lazy-loading image attribute (``data-src``) gets another name. Everything else, the
text and the encoding of each page included, is left as it was.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
from pathlib import Path

from w3lib.encoding import html_to_unicode

#: What a ``div`` or ``span`` may become.
REPLACEMENTS = {"div": ("section", "article"), "span": ("em", "b", "small", "font")}
LAZY_ATTRIBUTE = "data-lazy-image"
_ATTRIBUTE = re.compile(r"""\s(class|id)\s*=\s*(["'])(.*?)\2""", re.I | re.S)
_ITEMPROP = re.compile(r"""\sitemprop\s*=\s*(["']).*?\1""", re.I | re.S)
_LAZY = re.compile(r"(<img\b[^>]*?\s)data-src(\s*=)", re.I)
_WRAPPER_TAG = re.compile(r"<(/?)(div|span)\b", re.I)


def token(name: str, seed: int) -> str:
    """The meaningless name a theme gives to ``name``.

    >>> token("news-title", 1) == token("news-title", 1) != token("news-text", 1)
    True
    """
    return "x" + hashlib.sha1(f"{seed}:{name}".encode()).hexdigest()[:7]


def rename_attributes(text: str, seed: int) -> str:
    """Every class name and id renamed, ``itemprop`` removed, the lazy-image attribute renamed."""

    def rename(match: re.Match[str]) -> str:
        names = " ".join(token(n, seed) for n in match[3].split())
        return f" {match[1]}={match[2]}{names}{match[2]}"

    text = _ATTRIBUTE.sub(rename, text)
    text = _ITEMPROP.sub("", text)
    return _LAZY.sub(rf"\1{LAZY_ATTRIBUTE}\2", text)


def change_wrappers(text: str, rng: random.Random, share: float) -> str:
    """A ``share`` of ``div``/``span`` elements renamed, each closing tag matched to its opening tag."""
    stacks: dict[str, list[str]] = {"div": [], "span": []}
    out: list[str] = []
    last = 0
    for match in _WRAPPER_TAG.finditer(text):
        closing, tag = match[1] == "/", match[2].lower()
        if closing:
            new = stacks[tag].pop() if stacks[tag] else tag
        else:
            new = rng.choice(REPLACEMENTS[tag]) if rng.random() < share else tag
            stacks[tag].append(new)
        out += [text[last : match.start()], f"<{match[1]}{new}"]
        last = match.end()
    return "".join([*out, text[last:]])


def redesign_page(body: bytes, content_type: str, seed: int, share: float) -> bytes:
    encoding, text = html_to_unicode(content_type, body)
    rng = random.Random(f"{seed}:{hashlib.sha1(body).hexdigest()}")
    return change_wrappers(rename_attributes(text, seed), rng, share).encode(encoding)


def redesign(source: Path, target: Path, seed: int = 1, share: float = 0.3) -> Path:
    """Copy snapshot ``source`` to ``target`` with every HTML page redesigned; returns ``target``."""
    shutil.copytree(source, target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    types = {e["file"]: e.get("headers", {}).get("Content-Type", "") for e in manifest.values() if "file" in e}
    for page in sorted((target / "pages").rglob("*.html")):
        content_type = types.get(page.relative_to(target).as_posix(), "text/html")
        page.write_bytes(redesign_page(page.read_bytes(), content_type, seed, share))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--share", type=float, default=0.3, help="share of div/span wrappers changed")
    args = parser.parse_args()
    print(redesign(args.source, args.target, args.seed, args.share))


if __name__ == "__main__":
    main()
