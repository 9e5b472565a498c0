"""How close exported records are to a snapshot's ``expected.jsonl``: exact fields and body token F1."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: Fields the generic path must get exactly right (identity, headline, dates).
EXACT_FIELDS = (
    "storyId",
    "edition",
    "canonicalUrl",
    "headline",
    "dateModified",
    "dateModifiedRaw",
    "datePublished",
    "datePublishedRaw",
)
#: Fields reported, not required.
OTHER_FIELDS = ("imageCaption", "mainImage", "authors", "breadcrumbs")


def token_f1(got: str | None, expected: str | None) -> float:
    """F1 of the whitespace tokens of two texts (as multisets); 1.0 when both are empty.

    >>> token_f1("a b c", "a b d")
    0.6666666666666666
    """
    a, b = (got or "").split(), (expected or "").split()
    if not a or not b:
        return float(a == b)
    common = sum((Counter(a) & Counter(b)).values())
    return 0.0 if common == 0 else 2 * common / (len(a) + len(b))


@dataclass
class Scores:
    """Per-field share of exact records and body F1, over the expected stories of one edition or all."""

    stories: int = 0
    exported: int = 0
    duplicates: int = 0
    exact: dict[str, float] = field(default_factory=dict)
    f1: list[float] = field(default_factory=list)

    @property
    def f1_mean(self) -> float:
        return statistics.fmean(self.f1) if self.f1 else 0.0

    @property
    def f1_min(self) -> float:
        return min(self.f1, default=0.0)


def score(records: list[dict[str, Any]], expected: list[dict[str, Any]], edition: str | None = None) -> Scores:
    """Compare ``records`` (an export) with ``expected`` (a snapshot's records), for one ``edition`` or all; a
    story not exported counts as wrong in every field, with F1 0."""
    wanted = [e for e in expected if edition in (None, e["edition"])]
    keys = Counter((r["edition"], r["storyId"]) for r in records)
    by_key = {(r["edition"], r["storyId"]): r for r in records}
    result = Scores(stories=len(wanted), duplicates=sum(n - 1 for n in keys.values() if n > 1))
    for name in (*EXACT_FIELDS, *OTHER_FIELDS):
        right = sum(1 for e in wanted if by_key.get((e["edition"], e["storyId"]), {}).get(name, object()) == e[name])
        result.exact[name] = right / len(wanted) if wanted else 0.0
    for e in wanted:
        got = by_key.get((e["edition"], e["storyId"]))
        result.exported += got is not None
        result.f1.append(token_f1(got["articleBody"], e["articleBody"]) if got else 0.0)
    return result
