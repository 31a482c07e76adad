"""Session versions: a login session holds while its account's version is unchanged.

Each account has a ``session_version`` (``users`` table). It is bumped in the
same transaction as a password change, a role change, a removed membership
and a disabled account (:mod:`buurtkaart.auth.accounts`). A session keeps the version it logged
in with and is ended on the next page run when the stored version differs
(:func:`still_valid`), so a changed password or a removal ends every open
session, on every replica.
"""

from __future__ import annotations

import sqlalchemy as sa

from buurtkaart.auth import accounts
from buurtkaart.store.schema import users


def version(store: accounts.StoreLike, name: str) -> int | None:
    """Return ``name``'s session version; None for a disabled account.

    A name without an account row (an OIDC user given roles later, a test
    session) has version 0: it holds no membership, so the guard gives it
    nothing, and there is no password or role change to end its session for.
    """
    engine = accounts.engine_of(store, read=True)
    accounts.table(engine, "users")
    query = sa.select(users.c.session_version, users.c.disabled).where(users.c.name == name)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return 0
    if bool(row.disabled):
        return None
    return int(row.session_version or 0)


def still_valid(store: accounts.StoreLike, name: str, held: int | None) -> bool:
    """Return whether a session that logged in with version ``held`` may go on."""
    return held is not None and version(store, name) == held
