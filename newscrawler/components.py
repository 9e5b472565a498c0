"""Helpers for Scrapy components (extensions, middlewares, pipelines) built ``from_crawler``."""

from __future__ import annotations

import logging

from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)


def switched_off(component: type, reason: str) -> NotConfigured:
    """The ``NotConfigured`` to raise when a setting switches ``component`` off: the reason is logged at INFO, and
    the exception carries none, so Scrapy does not repeat it as a WARNING (a run at ``LOG_LEVEL=WARNING`` prints
    nothing unless something needs attention)."""
    logger.info("%s.%s off: %s", component.__module__, component.__qualname__, reason)
    return NotConfigured()
