"""Signals the atomic feed storage sends around publishing an export (``path`` argument: the final path).

``export_publishing`` is sent before the rename; a receiver that fails stops the publication.
``export_published`` is sent after the rename and the directory fsync.
"""

export_publishing = object()
export_published = object()
