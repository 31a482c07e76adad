"""Local accounts and map memberships, kept in the store's ``users`` and ``memberships`` tables.

Passwords are hashed with argon2id (argon2-cffi); the clear text is never
stored or logged. The store owns the schema; this module only reads and
writes rows of those two tables through the store's SQLAlchemy engine.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import weakref
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from buurtkaart._errors import InputError, NotFoundError, StoreError
from buurtkaart.auth.rules import check_role

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("buurtkaart-dummy-password")
MIN_PASSWORD_LENGTH = 8
MAX_NAME_LENGTH = 64


def engine_of(store: Any, read: bool = False) -> sa.Engine:
    """Return the SQLAlchemy engine of ``store`` (a Store or an Engine).

    Parameters
    ----------
    store : Store or sqlalchemy.Engine
    read : bool
        Return the store's read engine (SQLite writers take the lock at BEGIN).
    """
    if isinstance(store, sa.Engine):
        return store
    engines = getattr(store, "engines", None) or getattr(store, "_engines", None)
    engine = getattr(engines, "read" if read else "write", None)
    if isinstance(engine, sa.Engine):
        return engine
    for attr in ("engine", "_engine"):
        engine = getattr(store, attr, None)
        if isinstance(engine, sa.Engine):
            return engine
    msg = f"store {store!r} exposes no SQLAlchemy engine (attribute 'engine')"
    raise StoreError(msg)


_CHECKED: weakref.WeakKeyDictionary[sa.Engine, set[str]] = weakref.WeakKeyDictionary()


def table(engine: sa.Engine, name: str) -> sa.Table:
    """Return the store's table ``name`` after checking once that ``engine`` holds it.

    The table definitions are the store's own (:mod:`buurtkaart.store.schema`).
    """
    from buurtkaart.store.schema import metadata

    checked = _CHECKED.setdefault(engine, set())
    if name not in checked:
        if name not in metadata.tables or not sa.inspect(engine).has_table(name):
            msg = f"store {engine.url!r} has no table {name!r}: not a buurtkaart store?"
            raise StoreError(msg)
        checked.add(name)
    return metadata.tables[name]


def _tables(store: Any, read: bool = False) -> tuple[sa.Engine, sa.Table, sa.Table]:
    engine = engine_of(store, read)
    return engine, table(engine, "users"), table(engine, "memberships")


def check_name(name: str) -> str:
    """Return ``name`` stripped if it is a valid user name, else raise :class:`InputError`."""
    clean = (name or "").strip()
    if not clean or len(clean) > MAX_NAME_LENGTH:
        msg = f"user name {name!r}: must be 1 to {MAX_NAME_LENGTH} characters"
        raise InputError(msg)
    if any(unicodedata.category(ch).startswith(("C", "Z")) and ch != " " for ch in clean):
        msg = f"user name {name!r}: control or separator characters are not allowed"
        raise InputError(msg)
    return clean


def hash_password(password: str) -> str:
    """Return the argon2id hash of ``password`` (at least 8 characters)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        msg = f"password too short: at least {MIN_PASSWORD_LENGTH} characters needed"
        raise InputError(msg)
    return _HASHER.hash(password)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def get_user(store: Any, name: str) -> dict[str, Any] | None:
    """Return the user row as a dict (without the hash), or None."""
    engine, users, _ = _tables(store, read=True)
    with engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name)).mappings().first()
    if row is None:
        return None
    return {k: v for k, v in row.items() if k != "password_hash"}


def add_user(store: Any, name: str, password: str | None, *, map_id: Any = None,
             role: str | None = None) -> None:
    """Create user ``name`` (or reuse it) and optionally give them ``role`` on ``map_id``.

    Parameters
    ----------
    store : Store or sqlalchemy.Engine
    name : str
        The login name.
    password : str or None
        Clear text, hashed with argon2id. None keeps an existing user's password
        (a user without a password can only log in through OIDC).
    map_id, role
        When both are given, the membership is created or changed.
    """
    name = check_name(name)
    pw_hash = hash_password(password) if password is not None else None
    if role is not None:
        check_role(role)
    engine, users, members = _tables(store)
    with engine.begin() as conn:
        exists = conn.execute(sa.select(users.c.name).where(users.c.name == name)).first()
        if exists is None:
            values: dict[str, Any] = {"name": name, "password_hash": pw_hash or ""}
            if "created_at" in users.c:
                values["created_at"] = _now()
            if "disabled" in users.c:
                values["disabled"] = False
            conn.execute(users.insert().values(**values))
        else:
            changes: dict[str, Any] = {}
            if pw_hash is not None:
                changes["password_hash"] = pw_hash
            if "disabled" in users.c:
                changes["disabled"] = False
            if changes:
                conn.execute(users.update().where(users.c.name == name).values(**changes))
        if map_id is not None and role is not None:
            _upsert_membership(conn, members, map_id, name, role)


def _upsert_membership(conn: sa.Connection, members: sa.Table, map_id: Any, name: str,
                       role: str) -> None:
    where = sa.and_(members.c.map_id == map_id, members.c.user_name == name)
    found = conn.execute(sa.select(members.c.role).where(where)).first()
    if found is None:
        conn.execute(members.insert().values(map_id=map_id, user_name=name, role=role))
    else:
        conn.execute(members.update().where(where).values(role=role))


def set_role(store: Any, name: str, map_id: Any, role: str) -> None:
    """Give existing user ``name`` the role ``role`` on ``map_id``."""
    check_role(role)
    engine, users, members = _tables(store)
    with engine.begin() as conn:
        if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first() is None:
            msg = f"unknown user {name!r}: add it first with 'buurtkaart user add'"
            raise NotFoundError(msg)
        _upsert_membership(conn, members, map_id, name, role)


def remove_user(store: Any, name: str, map_id: Any = None) -> None:
    """Remove ``name``'s membership of ``map_id``; with no map, disable the account everywhere.

    A disabled account keeps its name (events stay attributed) but cannot log
    in and holds no membership.
    """
    engine, users, members = _tables(store)
    with engine.begin() as conn:
        if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first() is None:
            msg = f"unknown user {name!r}"
            raise NotFoundError(msg)
        where = members.c.user_name == name
        if map_id is not None:
            where = sa.and_(where, members.c.map_id == map_id)
        removed = conn.execute(members.delete().where(where)).rowcount
        if map_id is None:
            values: dict[str, Any] = {"password_hash": ""}
            if "disabled" in users.c:
                values["disabled"] = True
            conn.execute(users.update().where(users.c.name == name).values(**values))
        elif not removed:
            msg = f"user {name!r} has no role on map {map_id!r}"
            raise NotFoundError(msg)


def role_of(store: Any, name: str, map_id: Any) -> str | None:
    """Return ``name``'s role on ``map_id``, None when they have none or are disabled."""
    engine, users, members = _tables(store, read=True)
    query = sa.select(members.c.role).where(
        members.c.map_id == map_id, members.c.user_name == name)
    if "disabled" in users.c:
        query = query.join(users, users.c.name == members.c.user_name).where(
            sa.or_(users.c.disabled.is_(None), users.c.disabled == sa.false()))
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else str(row[0])


def members_of(store: Any, map_id: Any) -> dict[str, str]:
    """Return ``{user_name: role}`` for every member of ``map_id``."""
    engine, _, members = _tables(store, read=True)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(members.c.user_name, members.c.role)
                            .where(members.c.map_id == map_id)).all()
    return {str(name): str(role) for name, role in rows}


def maps_of(store: Any, name: str) -> dict[str, str]:
    """Return ``{map_id: role}`` for every map ``name`` is a member of."""
    engine, _, members = _tables(store, read=True)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(members.c.map_id, members.c.role)
                            .where(members.c.user_name == name)).all()
    return {str(map_id): str(role) for map_id, role in rows}


def map_ids(store: Any) -> list[str]:
    """Return the ids of every map in the store."""
    engine = engine_of(store, read=True)
    maps = table(engine, "maps")
    with engine.connect() as conn:
        return [str(row[0]) for row in conn.execute(sa.select(maps.c.id))]


def has_users(store: Any) -> bool:
    """Return whether the store holds at least one enabled local account with a password."""
    engine, users, _ = _tables(store, read=True)
    query = sa.select(users.c.name).where(users.c.password_hash != "").limit(1)
    with engine.connect() as conn:
        return conn.execute(query).first() is not None


def verify_password(store: Any, name: str, password: str) -> bool:
    """Return whether ``password`` is ``name``'s password (False for unknown or disabled users).

    Unknown users cost one argon2 verification too, so timing tells nothing.
    """
    engine, users, _ = _tables(store, read=True)
    with engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name)).mappings().first()
    stored = str(row["password_hash"] or "") if row is not None else ""
    disabled = bool(row.get("disabled")) if row is not None else True
    ok: bool
    try:
        ok = _HASHER.verify(stored or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or not stored or disabled:
        return False
    if _HASHER.check_needs_rehash(stored):
        with engine_of(store).begin() as conn:
            conn.execute(users.update().where(users.c.name == name)
                         .values(password_hash=_HASHER.hash(password)))
    return True
