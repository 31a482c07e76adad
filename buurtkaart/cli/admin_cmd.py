"""CLI for the trust layer: users and roles, backup and restore, forgetting a person.

::

    buurtkaart user add NAME --db URL --map NAME --role viewer|editor|admin
                        [--password TEXT | --no-password]
    buurtkaart user remove NAME --db URL [--map NAME]
    buurtkaart user set-role NAME --db URL --map NAME --role ROLE
    buurtkaart user list --db URL --map NAME
    buurtkaart backup --db URL -o FILE
    buurtkaart restore FILE --db URL
    buurtkaart forget --db URL --map NAME --id ID --user ADMIN

Every command acts as ``--user`` (or ``BUURTKAART_USER``) and obeys the rule
table; a refused action exits with code 5 and a one-line reason. The first
admin of a map without admins may be set by whoever holds the store's
credentials (bootstrap).
"""

from __future__ import annotations

import argparse
import getpass
import json
from typing import Any

from buurtkaart import settings
from buurtkaart._errors import InputError, NotFoundError
from buurtkaart.auth import accounts, rules
from buurtkaart.auth.guard import GuardedStore, acting_user, single_user_mode
from buurtkaart.backup import backup, restore
from buurtkaart.store import open_store


def _open(url: str) -> Any:
    return open_store(url)


def _close(store: Any) -> None:
    for name in ("close", "dispose"):
        closer = getattr(store, name, None)
        if callable(closer):
            closer()
            return


def _guard(store: Any, user: str | None) -> GuardedStore:
    single = single_user_mode()
    return GuardedStore(store, acting_user(user), single_user=single)


def _map_id(guard: GuardedStore, name: str) -> str:
    map_id = guard.map_id(name)
    if map_id is None:
        msg = f"unknown map {name!r}: create it first with 'buurtkaart map create'"
        raise NotFoundError(msg)
    return map_id


def _require_manage(guard: GuardedStore, map_id: str) -> None:
    """Allow admins, and anyone while the map has no admin yet (bootstrap)."""
    if "admin" not in accounts.members_of(guard.store, map_id).values():
        return
    guard.require("manage_users", map_id)


def _ask_password(name: str) -> str:
    first = getpass.getpass(f"Password for {name}: ")
    second = getpass.getpass("Repeat password: ")
    if first != second:
        msg = f"the two passwords for user {name!r} differ"
        raise InputError(msg)
    return first


def _user_add(args: argparse.Namespace) -> int:
    store = _open(args.db)
    try:
        guard = _guard(store, args.user)
        map_id = _map_id(guard, args.map)
        rules.check_role(args.role)
        accounts.check_name(args.name)
        _require_manage(guard, map_id)
        password = args.password
        if password is None and not args.no_password:
            password = _ask_password(args.name)
        accounts.add_user(store, args.name, password, map_id=map_id, role=args.role)
    finally:
        _close(store)
    print(f"user {args.name} is {args.role} of map {args.map}")
    return 0


def _user_remove(args: argparse.Namespace) -> int:
    store = _open(args.db)
    try:
        guard = _guard(store, args.user)
        if args.map is None:
            maps = accounts.maps_of(store, args.name)
            for map_id in maps:
                _require_manage(guard, map_id)
            if not maps and not guard.single_user:
                _require_store_admin(guard)
            accounts.remove_user(store, args.name)
            where = "every map (account disabled)"
        else:
            map_id = _map_id(guard, args.map)
            _require_manage(guard, map_id)
            accounts.remove_user(store, args.name, map_id)
            where = f"map {args.map}"
    finally:
        _close(store)
    print(f"user {args.name} removed from {where}")
    return 0


def _user_set_role(args: argparse.Namespace) -> int:
    store = _open(args.db)
    try:
        guard = _guard(store, args.user)
        map_id = _map_id(guard, args.map)
        rules.check_role(args.role)
        _require_manage(guard, map_id)
        accounts.set_role(store, args.name, map_id, args.role)
    finally:
        _close(store)
    print(f"user {args.name} is {args.role} of map {args.map}")
    return 0


def _user_list(args: argparse.Namespace) -> int:
    store = _open(args.db)
    try:
        guard = _guard(store, args.user)
        map_id = _map_id(guard, args.map)
        guard.require("read", map_id)
        members = accounts.members_of(store, map_id)
    finally:
        _close(store)
    if args.format == "json":
        print(json.dumps([{"user": u, "role": r} for u, r in sorted(members.items())]))
    else:
        for user, role in sorted(members.items()):
            print(f"{user}\t{role}")
    return 0


def _require_store_admin(guard: GuardedStore) -> None:
    """Backups hold every map: the user must be admin of each (or single-user mode)."""
    if guard.single_user:
        return
    for map_id in accounts.map_ids(guard.store):
        guard.require("backup", map_id)


def _backup(args: argparse.Namespace) -> int:
    store = _open(args.db)
    try:
        _require_store_admin(_guard(store, args.user))
    finally:
        _close(store)
    path = backup(args.db, args.output)
    print(f"backup written to {path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    store = _open(args.db)
    try:
        guard = _guard(store, args.user)
        if not guard.single_user:
            for map_id in accounts.map_ids(store):
                guard.require("restore", map_id)
    finally:
        _close(store)
    restore(args.file, args.db)
    _close(_open(args.db))  # migrates an older backup to the current schema
    print(f"store {args.db} restored from {args.file}")
    return 0


def _forget(args: argparse.Namespace) -> int:
    store = _open(args.db)
    try:
        guard = _guard(store, args.user)
        map_id = _map_id(guard, args.map)
        guard.require("forget", map_id)
        if guard.map_of_entity("actor", args.id) != map_id:
            msg = f"unknown actor {args.id!r} on map {args.map!r}"
            raise NotFoundError(msg)
        guard.forget_actor(guard.user, args.id)  # also compacts the database files
    finally:
        _close(store)
    print(f"actor {args.id} forgotten by {guard.user}")
    return 0


def _common(p: argparse.ArgumentParser, *, map_required: bool | None) -> None:
    p.add_argument("--db", default=settings.get("BUURTKAART_DB"),
                   help="store URL (default: BUURTKAART_DB)")
    if map_required is not None:
        p.add_argument("--map", required=map_required, help="map name or id")
    p.add_argument("--user", default=None,
                   help="acting user (default: BUURTKAART_USER)")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``user``, ``backup``, ``restore`` and ``forget``."""
    user = sub.add_parser("user", help="manage users and their roles on a map")
    usub = user.add_subparsers(dest="user_command", metavar="ACTION")
    usub.required = True
    add = usub.add_parser("add", help="add a user (or a map role to an existing user)")
    add.add_argument("name")
    _common(add, map_required=True)
    add.add_argument("--role", required=True, choices=rules.ROLES)
    secret = add.add_mutually_exclusive_group()
    secret.add_argument("--password", default=None, help="password (prompted when omitted)")
    secret.add_argument("--no-password", action="store_true",
                        help="no local password: the user logs in with OpenID Connect only")
    add.set_defaults(func=_user_add)
    rem = usub.add_parser("remove", help="remove a user from a map (or disable everywhere)")
    rem.add_argument("name")
    _common(rem, map_required=False)
    rem.set_defaults(func=_user_remove)
    setr = usub.add_parser("set-role", help="change a user's role on a map")
    setr.add_argument("name")
    _common(setr, map_required=True)
    setr.add_argument("--role", required=True, choices=rules.ROLES)
    setr.set_defaults(func=_user_set_role)
    lst = usub.add_parser("list", help="list the members of a map")
    _common(lst, map_required=True)
    lst.add_argument("--format", choices=("table", "json"), default="table")
    lst.set_defaults(func=_user_list)

    bak = sub.add_parser("backup", help="write a backup of the store")
    _common(bak, map_required=None)
    bak.add_argument("-o", "--output", required=True, help="backup file to write")
    bak.set_defaults(func=_backup)
    res = sub.add_parser("restore", help="replace the store's content by a backup")
    res.add_argument("file")
    _common(res, map_required=None)
    res.set_defaults(func=_restore)
    fgt = sub.add_parser("forget", help="erase a person: 'Vergeet deze persoon' (admin)")
    _common(fgt, map_required=True)
    fgt.add_argument("--id", required=True, help="actor id")
    fgt.set_defaults(func=_forget)
