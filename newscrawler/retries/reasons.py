"""Why a request ended without a usable answer, as a short reason, and the story outcome it means.

Unusable answers are raised as :class:`BadAnswer` (an ``IgnoreRequest``, so they reach the request's errback)
carrying their reason: ``non_html``, ``empty_body``, ``encoding_error``, ``redirect_loop``, ``offsite_redirect``...
"""

from __future__ import annotations

import re

from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

#: Answers that say the story is gone for good: dropped, not failed (nothing to fetch again).
GONE = (404, 410)
NAMED = {
    DownloadTimeoutError: "timeout",
    DownloadConnectionRefusedError: "connection_refused",
    ResponseDataLossError: "data_loss",
    DownloadCancelledError: "too_large",
    DownloadFailedError: "connection_lost",  # closed or reset before a complete answer
}


class BadAnswer(IgnoreRequest):
    """An answer that cannot be used; ``reason`` says why. Its story is dropped (asking again would not help), or
    failed when ``transient``."""

    def __init__(self, reason: str, detail: str = "", transient: bool = False) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.transient = reason, transient


def failure_reason(failure: Failure | BaseException) -> str:
    """``http_500``, ``timeout``, ``too_large``, ``non_html``... for a failed request.

    >>> failure_reason(BadAnswer("non_html")), failure_reason(DownloadTimeoutError()), failure_reason(KeyError())
    ('non_html', 'timeout', 'key_error')
    >>> failure_reason(IgnoreRequest("body exceeded DOWNLOAD_MAXSIZE (10 B) during decompression."))
    'too_large'
    """
    error = failure.value if isinstance(failure, Failure) else failure
    if isinstance(error, BadAnswer):
        return error.reason
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    for kind, reason in NAMED.items():
        if isinstance(error, kind):
            return reason
    if isinstance(error, IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(error):
        return "too_large"
    if isinstance(error, IgnoreRequest) and "robots.txt" in str(error):
        return "robots_disallowed"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


def failure_outcome(failure: Failure | BaseException) -> str:
    """The story outcome of a failed request: ``skipped:`` for what robots.txt forbids, ``dropped:`` for answers
    that will not change by asking again (gone, unusable), ``failed:`` otherwise.

    >>> failure_outcome(BadAnswer("non_html")), failure_outcome(DownloadTimeoutError())
    ('dropped:non_html', 'failed:timeout')
    >>> failure_outcome(IgnoreRequest("Forbidden by robots.txt"))
    'skipped:robots_disallowed'
    """
    error = failure.value if isinstance(failure, Failure) else failure
    assert error is not None
    reason = failure_reason(error)
    gone = isinstance(error, HttpError) and error.response.status in GONE
    unusable = isinstance(error, BadAnswer) and not error.transient
    if reason == "robots_disallowed":
        return f"skipped:{reason}"
    return f"{'dropped' if gone or unusable else 'failed'}:{reason}"
