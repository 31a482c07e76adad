"""Local accounts and map memberships, kept in the store's ``users`` and ``memberships`` tables.

Passwords are hashed with argon2id (argon2-cffi); the clear text is never
stored or logged. The store owns the schema; this module reads and writes rows
of those two tables through the store's SQLAlchemy engine, and every change
(new user, password change, role change, membership removed, account disabled)
leaves one event in the store's event log, in the same transaction: entity
``user`` or ``membership``, the acting user, the time, before and after. Events
never hold a password hash, only ``has_password``/``password_changed``.
Account events have no ``map_id`` (the membership's map is in before/after),
so map histories stay about map records; :func:`account_history` answers
"who made Amina admin?".
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
import weakref
from typing import Any, cast

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from buurtkaart._errors import InputError, NotFoundError, StoreError
from buurtkaart.auth.rules import check_role
from buurtkaart.store.actions import action
from buurtkaart.store.api import Store
from buurtkaart.store.records import now_iso
from buurtkaart.store.schema import metadata
from buurtkaart.store.types import Event, Membership
from buurtkaart.store.write import log_event

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("buurtkaart-dummy-password")
MIN_PASSWORD_LENGTH = 8
MAX_NAME_LENGTH = 64

#: What the account functions take: a store, or its SQLAlchemy engine.
StoreLike = Store | sa.Engine


def engine_of(store: StoreLike, read: bool = False) -> sa.Engine:
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

    checked = _CHECKED.setdefault(engine, set())
    if name not in checked:
        if name not in metadata.tables or not sa.inspect(engine).has_table(name):
            msg = f"store {engine.url!r} has no table {name!r}: not a buurtkaart store?"
            raise StoreError(msg)
        checked.add(name)
    return metadata.tables[name]


def _tables(store: StoreLike, read: bool = False) -> tuple[sa.Engine, sa.Table, sa.Table]:
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


def get_user(store: StoreLike, name: str) -> dict[str, Any] | None:
    """Return the user row as a dict (without the hash), or None."""
    engine, users, _ = _tables(store, read=True)
    with engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name)).mappings().first()
    if row is None:
        return None
    return {k: v for k, v in row.items() if k != "password_hash"}


#: Author of account events written without an acting user (credentials holder).
DIRECT = "(store)"
_NAMESPACE = uuid.UUID("6f1f3c1e-7d1b-4c59-9a55-3b0c1f6f0a11")


def account_entity_id(kind: str, *parts: Any) -> str:
    """Return the stable event ``entity_id`` of a user or membership (a UUID 5)."""
    return str(uuid.uuid5(_NAMESPACE, ":".join([kind, *map(str, parts)])))


def _user_state(row: Any) -> dict[str, Any] | None:
    """Return a user row as event state: never the hash, only whether there is one."""
    if row is None:
        return None
    data = dict(row._mapping)
    return {"name": data["name"], "disabled": bool(data.get("disabled")),
            "has_password": bool(data.get("password_hash"))}


def _log(conn: sa.Connection, by: str | None, entity: str, entity_id: str, op: str,
         before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    log_event(conn, user=by or DIRECT, map_id=None, entity=entity, entity_id=entity_id,
              op=op, at=now_iso(), before=before, after=after)


@action("manage_users", map_arg="map_id")
def add_user(store: StoreLike, name: str, password: str | None, *, map_id: Any = None,
             role: str | None = None, by: str | None = None, enable: bool = True) -> None:
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
    by : str, optional
        Acting user, recorded in the events (default :data:`DIRECT`).
    enable : bool
        Re-enable a disabled account (``user add``); False for side effects such
        as becoming the admin of a new map, which never re-enable an account.
    """
    name = check_name(name)
    pw_hash = hash_password(password) if password is not None else None
    if role is not None:
        check_role(role)
    engine, users, members = _tables(store)
    with engine.begin() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name)).first()
        uid = account_entity_id("user", name)
        if row is None:
            values: dict[str, Any] = {"name": name, "password_hash": pw_hash or "",
                                      "created_at": _now(), "disabled": False}
            conn.execute(users.insert().values(**values))
            _log(conn, by, "user", uid, "insert", None,
                 {"name": name, "disabled": False, "has_password": bool(pw_hash)})
        else:
            changes: dict[str, Any] = {"disabled": False} if enable else {}
            if pw_hash is not None:
                changes["password_hash"] = pw_hash
                changes["session_version"] = users.c.session_version + 1  # ends sessions
            before = _user_state(row)
            if changes:
                conn.execute(users.update().where(users.c.name == name).values(**changes))
            after = _user_state(conn.execute(sa.select(users).where(users.c.name == name))
                                .first())
            if pw_hash is not None or before != after:
                _log(conn, by, "user", uid, "update", before,
                     {**(after or {}), "password_changed": pw_hash is not None})
        if map_id is not None and role is not None:
            _upsert_membership(conn, members, map_id, name, role, by)


def _upsert_membership(conn: sa.Connection, members: sa.Table, map_id: Any, name: str,
                       role: str, by: str | None) -> None:
    where = sa.and_(members.c.map_id == map_id, members.c.user_name == name)
    found = conn.execute(sa.select(members.c.role).where(where)).first()
    state = {"map_id": str(map_id), "user_name": name}
    eid = account_entity_id("membership", map_id, name)
    if found is None:
        conn.execute(members.insert().values(map_id=map_id, user_name=name, role=role))
        _log(conn, by, "membership", eid, "insert", None, {**state, "role": role})
    elif found[0] != role:
        conn.execute(members.update().where(where).values(role=role))
        _bump(conn, name)
        _log(conn, by, "membership", eid, "update", {**state, "role": str(found[0])},
             {**state, "role": role})


@action("manage_users", map_arg="map_id")
def set_role(store: StoreLike, name: str, map_id: Any, role: str, by: str | None = None) -> None:
    """Give existing user ``name`` the role ``role`` on ``map_id``."""
    check_role(role)
    engine, users, members = _tables(store)
    with engine.begin() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name)).first()
        if row is None:
            msg = f"unknown user {name!r}: add it first with 'buurtkaart user add'"
            raise NotFoundError(msg)
        if row.disabled:  # set-role re-enables, like user add (never a side effect)
            conn.execute(users.update().where(users.c.name == name).values(disabled=False))
            _log(conn, by, "user", account_entity_id("user", name), "update",
                 _user_state(row), {**(_user_state(row) or {}), "disabled": False})
        _upsert_membership(conn, members, map_id, name, role, by)


@action("manage_users", map_arg="map_id")
def remove_user(store: StoreLike, name: str, map_id: Any = None, by: str | None = None) -> None:
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
        gone = conn.execute(sa.select(members.c.map_id, members.c.role).where(where)).all()
        conn.execute(members.delete().where(where))
        _bump(conn, name)
        for gone_map, gone_role in gone:
            _log(conn, by, "membership", account_entity_id("membership", gone_map, name),
                 "delete", {"map_id": str(gone_map), "user_name": name,
                            "role": str(gone_role)}, None)
        removed = len(gone)
        if map_id is None:
            before = _user_state(conn.execute(sa.select(users).where(users.c.name == name))
                                 .first())
            conn.execute(users.update().where(users.c.name == name)
                         .values(password_hash="", disabled=True))
            _log(conn, by, "user", account_entity_id("user", name), "update", before,
                 {"name": name, "disabled": True, "has_password": False})
        elif not removed:
            msg = f"user {name!r} has no role on map {map_id!r}"
            raise NotFoundError(msg)


def _bump(conn: sa.Connection, name: str) -> None:
    """Increase ``name``'s session version: their open sessions end (auth.sessions)."""
    users = metadata.tables["users"]
    conn.execute(users.update().where(users.c.name == name)
                 .values(session_version=users.c.session_version + 1))


def role_of(store: StoreLike, name: str, map_id: Any) -> str | None:
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


@action("read", map_arg="map_id")
def members(store: StoreLike, map_id: Any) -> list[Membership]:
    """Return the memberships of ``map_id``, by user name."""
    return [{"map_id": str(map_id), "user_name": u, "role": r}
            for u, r in sorted(members_of(store, map_id).items())]


def account_history(store: StoreLike, name: str) -> list[Event]:
    """Return every account and membership event of user ``name``, oldest first.

    Answers "who made Amina admin?": each event names the acting ``user``,
    the time ``at`` and the ``before``/``after`` role (never a password hash).
    """
    engine = engine_of(store, read=True)
    events = table(engine, "events")
    query = (sa.select(events).where(events.c.entity.in_(("user", "membership")))
             .order_by(events.c.seq))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    out = []
    for row in rows:
        state = row["after"] or row["before"] or {}
        if name in (state.get("name"), state.get("user_name")):
            row.pop("seq", None)
            out.append(cast(Event, row))
    return out


def members_of(store: StoreLike, map_id: Any) -> dict[str, str]:
    """Return ``{user_name: role}`` for every member of ``map_id``."""
    engine, _, members = _tables(store, read=True)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(members.c.user_name, members.c.role)
                            .where(members.c.map_id == map_id)).all()
    return {str(name): str(role) for name, role in rows}


def maps_of(store: StoreLike, name: str) -> dict[str, str]:
    """Return ``{map_id: role}`` for every map ``name`` is a member of."""
    engine, _, members = _tables(store, read=True)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(members.c.map_id, members.c.role)
                            .where(members.c.user_name == name)).all()
    return {str(map_id): str(role) for map_id, role in rows}


def map_ids(store: StoreLike) -> list[str]:
    """Return the ids of every map in the store."""
    engine = engine_of(store, read=True)
    maps = table(engine, "maps")
    with engine.connect() as conn:
        return [str(row[0]) for row in conn.execute(sa.select(maps.c.id))]


def has_users(store: StoreLike) -> bool:
    """Return whether the store holds at least one enabled local account with a password."""
    engine, users, _ = _tables(store, read=True)
    query = sa.select(users.c.name).where(users.c.password_hash != "").limit(1)
    with engine.connect() as conn:
        return conn.execute(query).first() is not None


def verify_password(store: StoreLike, name: str, password: str) -> bool:
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
