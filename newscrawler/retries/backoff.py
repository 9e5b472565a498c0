"""Pure retry rules: how long a ``Retry-After`` header asks to wait, and exponential backoff with jitter."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
    ``None`` when missing or unusable; a date in the past means 0.

    >>> retry_after_seconds(b"5"), retry_after_seconds(" 120 ")
    (5.0, 120.0)
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=datetime(2015, 10, 21, 7, 28, tzinfo=UTC))
    10.0
    >>> retry_after_seconds("soon"), retry_after_seconds("-3"), retry_after_seconds(None)
    (None, None, None)
    """
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_seconds(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """The wait before retry number ``attempt`` (1, 2, ...): ``base * 2**(attempt-1)`` times a random factor in
    [0.5, 1.5) (clients failing together do not retry together), at most ``cap``.

    >>> [round(backoff_seconds(n, 1.0, 60.0, random.Random(0)), 2) for n in (1, 2, 3, 10)]
    [1.34, 2.69, 5.38, 60.0]
    >>> backoff_seconds(1, 0.0, 60.0)
    0.0
    """
    factor = 0.5 + (rng or random).random()
    return min(cap, base * 2.0 ** max(0, attempt - 1) * factor)
