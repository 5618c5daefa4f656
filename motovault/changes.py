"""How many times an owner's data has changed: the number a cached page is kept under
(motovault/pagecache.py).

The database counts, in triggers on every table a cached page reads (migrations 0003 and 0004),
so no write can miss it: forms, the admin, imports' bulk_create, update(), cron jobs, psql.
A page read after a change sees a new number, and so never a page cached before it."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django.db import connections, router, transaction

from motovault.models import DataChange, DataStamp

SHARED = 0
# The stations every owner may see, which searches store: only the stations pages read them, so
# they count apart, and a search that stores new places leaves the other pages cached. Written
# into the triggers (migration 0004).
STATIONS = -1
# The count of the owner's own changes a page is being made under (motovault.pagecache); None
# elsewhere.
_page_version: ContextVar[int | None] = ContextVar("page_version", default=None)


class DataVersion(NamedTuple):
    """How many changes the owner's own data has had, the data every owner shares (recalls,
    decoded VINs) and, for the pages that show them, the stations every owner may see (0
    elsewhere: not counted). Each only grows: compacting moves rows into the counters, in one
    transaction."""

    own: int
    shared: int
    stations: int = 0


def data_version(user_id: int, *, stations: bool = False) -> DataVersion:
    """One query, on the database that reads of DataStamp are routed to."""
    connection = connections[router.db_for_read(DataStamp)]
    stamps, changes = DataStamp._meta.db_table, DataChange._meta.db_table
    counted = (
        f"(SELECT coalesce(sum(changes), 0) FROM {stamps} WHERE scope = %s)"
        f" + (SELECT count(*) FROM {changes} WHERE scope = %s)"
    )
    scopes = [user_id, SHARED, *([STATIONS] if stations else [])]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join([counted] * len(scopes)),
            [scope for scope in scopes for _ in range(2)],
        )
        return DataVersion(*(int(count) for count in cursor.fetchone()))


def compact() -> int:
    """Fold PostgreSQL's change rows into the counters, keeping every scope's sum; returns how
    many rows went. Two runs at once are safe: a row one run deleted is skipped by the other."""
    connection = connections[router.db_for_write(DataStamp)]
    if connection.vendor != "postgresql":
        return 0
    stamps, changes = DataStamp._meta.db_table, DataChange._meta.db_table
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # Data-modifying WITH clauses run once and to completion, read or not.
        cursor.execute(
            f"""
            WITH gone AS (DELETE FROM {changes} RETURNING scope),
                 counted AS (SELECT scope, count(*) AS n FROM gone GROUP BY scope),
                 folded AS (
                     INSERT INTO {stamps} (scope, changes) SELECT scope, n FROM counted
                     ON CONFLICT (scope) DO UPDATE SET changes = {stamps}.changes + excluded.changes
                 )
            SELECT coalesce(sum(n), 0) FROM counted
            """
        )
        return int(cursor.fetchone()[0])


@contextmanager
def making_page_under(version: DataVersion) -> Iterator[None]:
    """Marks the code inside as making a page that will be cached under `version`."""
    token = _page_version.set(version.own)
    try:
        yield
    finally:
        _page_version.reset(token)


def page_version() -> int | None:
    """The count of the owner's own changes of the page being made, if one is: a value an app
    cached for the owner must have been computed under it to go into the page. (No such value
    is made from the data every owner shares, so its changes leave them be.) The apps forget
    their entries when their rows change, but the forgetting runs after the commit, and a write
    that bypasses their code (update(), psql) forgets nothing; the page must not keep either
    for PAGE_CACHE_SECONDS under the new version. None outside a cached page: each app's own
    invalidation applies."""
    return _page_version.get()


def fits_page(entry: dict) -> bool:
    """Whether a cached entry (stored with `"version": page_version()`) may go into the page
    being made: always outside one."""
    version = page_version()
    return version is None or entry.get("version") == version
