"""Shared store: SQLite or PostgreSQL/PostGIS, one write path, an event per write.

Open with :func:`open_store`; see ``docs/store.md`` for the model, URLs,
events, migrations, JSON shapes and concurrency semantics.
"""

from __future__ import annotations

import sqlalchemy as sa

from buurtkaart._errors import StoreError
from buurtkaart.store import erase, trust_schema  # noqa: F401  (trust_schema: 0005 tables)
from buurtkaart.store.api import Store
from buurtkaart.store.engine import (
    check_sqlite_file,
    create_engines,
    describe,
    head_revision,
    migrate,
    parse_url,
)
from buurtkaart.store.merge import merge

__all__ = ["Store", "head_revision", "merge", "open_store"]


def open_store(url: str | None = None) -> Store:
    """Open (and create or upgrade) a store.

    Parameters
    ----------
    url : str or None
        ``sqlite:///path``, ``postgresql://user@host:port/db`` or a plain file
        path; None reads the ``BUURTKAART_DB`` setting.

    Returns
    -------
    Store

    Raises
    ------
    StoreError
        Not a buurtkaart store, a newer schema, a read-only file, an
        unreachable server; the message names the store and the reason.
    """
    sa_url = parse_url(url)
    if sa_url.get_backend_name() == "sqlite":
        check_sqlite_file(sa_url)
    engines = create_engines(sa_url)
    try:
        migrate(engines)
    except StoreError:
        engines.dispose()
        raise
    except sa.exc.DBAPIError as e:
        engines.dispose()
        reason = str(e.orig or e).strip().splitlines()[0]
        what = "connect to PostgreSQL" if engines.dialect == "postgresql" else "open"
        msg = f"cannot {what} store {describe(sa_url)}: {reason}"
        raise StoreError(msg) from e
    erase.run_pending(engines)  # erasures a reader blocked earlier, now the store is free
    return Store(engines)
