"""How every app forgets a cached value when the rows it was computed from change."""

from collections.abc import Sequence

from django.core.cache import cache
from django.db import transaction


def forget(keys: Sequence[str]) -> None:
    """Delete `keys` now, so that the rest of this transaction reads the new rows, and again
    when the transaction commits: in between, another request still sees the old rows and may
    cache them again. Outside a transaction both happen at once."""
    keys = list(keys)
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
