"""Item pipelines, one per module, in the order ``ITEM_PIPELINES`` runs them:

text (clean body and texts) -> dates (normalise) -> required (drop what is not a story) -> duplicates.
"""
