"""CLI for the trust layer: users and roles, backup and restore, forgetting a person.

::

    buurtkaart user add NAME --db URL --map NAME --role viewer|editor|admin
                        [--password-env VAR | --password-stdin | --no-password]
    buurtkaart user remove NAME --db URL [--map NAME]
    buurtkaart user set-role NAME --db URL --map NAME --role ROLE
    buurtkaart user list --db URL --map NAME
    buurtkaart user history NAME --db URL
    buurtkaart backup --db URL -o FILE
    buurtkaart restore FILE --db URL [--bring-back-forgotten]
    buurtkaart forget --db URL --map NAME --id ID --user ADMIN

A password is never read from the command line (it would show in the process
list): it is prompted, or read from the environment variable named by
``--password-env``, or from the first line of standard input (``--password-stdin``).

Every command acts as ``--user`` (or ``BUURTKAART_USER``) and obeys the rule
table; a refused action exits with code 5 and a one-line reason. The first
admin of a map without admins may be set by whoever holds the store's
credentials (bootstrap).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import Any

from buurtkaart import settings
from buurtkaart._errors import InputError, NotFoundError
from buurtkaart.auth import accounts, rules
from buurtkaart.auth.guard import GuardedStore, open_guarded
from buurtkaart.store.actions import declared
from buurtkaart.store.engine import describe, parse_url


def _open(url: str, user: str | None) -> GuardedStore:
    return open_guarded(url, user)


def _ask_password(name: str) -> str:
    first = getpass.getpass(f"Password for {name}: ")
    second = getpass.getpass("Repeat password: ")
    if first != second:
        msg = f"the two passwords for user {name!r} differ"
        raise InputError(msg)
    return first


def _given_password(args: argparse.Namespace) -> str | None:
    """Return the password from ``--password-env`` or ``--password-stdin`` (None: prompt)."""
    if args.password is not None:
        msg = ("--password on the command line shows the password in the process list: "
               "use --password-env VAR, --password-stdin or the prompt")
        raise InputError(msg)
    if args.password_env:
        value = os.environ.get(args.password_env)
        if value is None:
            msg = f"environment variable {args.password_env!r} (--password-env) is not set"
            raise InputError(msg)
        return value
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return None


def _user_add(args: argparse.Namespace) -> int:
    given = _given_password(args)  # refuses --password before anything else
    with _open(args.db, args.user) as guard:
        map_id = guard.map_id(args.map) or args.map
        rules.check_role(args.role)
        accounts.check_name(args.name)
        decl = declared(accounts.add_user)
        assert decl is not None
        guard.check("add_user", decl, {"map_id": map_id})  # before asking the password
        password = given
        if password is None and not args.no_password:
            password = _ask_password(args.name)
        guard.add_user(args.name, password, map_id=map_id, role=args.role)
    print(f"user {args.name} is {args.role} of map {args.map}")
    return 0


def _user_remove(args: argparse.Namespace) -> int:
    with _open(args.db, args.user) as guard:
        guard.remove_user(args.name, args.map)
    where = "every map (account disabled)" if args.map is None else f"map {args.map}"
    print(f"user {args.name} removed from {where}")
    return 0


def _user_set_role(args: argparse.Namespace) -> int:
    rules.check_role(args.role)
    with _open(args.db, args.user) as guard:
        guard.set_role(args.name, args.map, args.role)
    print(f"user {args.name} is {args.role} of map {args.map}")
    return 0


def _user_list(args: argparse.Namespace) -> int:
    with _open(args.db, args.user) as guard:
        members = {m["user_name"]: m["role"] for m in guard.members(args.map)}
    if args.format == "json":
        print(json.dumps([{"user": u, "role": r} for u, r in sorted(members.items())]))
    else:
        for user, role in sorted(members.items()):
            print(f"{user}\t{role}")
    return 0


def _user_history(args: argparse.Namespace) -> int:
    """``user history NAME``: who created the account, changed its roles, disabled it."""
    with _open(args.db, args.user) as guard:
        events = guard.account_history(args.name)
    if args.format == "json":
        print(json.dumps(events, ensure_ascii=False, default=str))
        return 0
    for ev in events:
        state = ev["after"] or ev["before"] or {}
        before = (ev["before"] or {}).get("role", "")
        after = (ev["after"] or {}).get("role", "")
        what = (f"role {before or '-'} -> {after or '-'} on map {state.get('map_id')}"
                if ev["entity"] == "membership" else _account_change(ev))
        print(f"{ev['at']}\t{ev['user']}\t{ev['entity']}\t{ev['op']}\t{what}")
    return 0


def _account_change(ev: dict[str, Any] | Any) -> str:
    after = ev["after"] or {}
    if ev["op"] == "insert":
        return "account created"
    if after.get("disabled"):
        return "account disabled"
    return "password changed" if after.get("password_changed") else "account enabled"


def _backup(args: argparse.Namespace) -> int:
    with _open(args.db, args.user) as guard:
        path = guard.backup(args.output)
    print(f"backup written to {path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    with _open(args.db, args.user) as guard:
        back = guard.restore(args.file, bring_back_forgotten=args.bring_back_forgotten)
    print(f"store {describe(parse_url(args.db))} restored from {args.file}")
    if back and args.bring_back_forgotten:
        print(f"{len(back)} forgotten person(s) brought back (--bring-back-forgotten): "
              + ", ".join(back))
    elif back:
        print(f"{len(back)} person(s) in the backup had been forgotten and were erased "
              "again (tombstones survive a restore): " + ", ".join(back))
    return 0


def _forget(args: argparse.Namespace) -> int:
    with _open(args.db, args.user) as guard:
        map_id = guard.map_id(args.map)
        if map_id is None:
            msg = f"unknown map {args.map!r}: create it first with 'buurtkaart map create'"
            raise NotFoundError(msg)
        guard.require("forget", map_id)
        if guard.map_of_entity("actor", args.id) != map_id:
            msg = f"unknown actor {args.id!r} on map {args.map!r}"
            raise NotFoundError(msg)
        hits = guard.forget_actor(guard.user, args.id)  # also compacts and checks the files
    print(f"actor {args.id} forgotten by {guard.user}; the store files are compacted")
    for hit in hits:
        print(f"the name is still in {hit['entity']} {hit['id']} (field {hit['field']}): "
              "check and edit that text")
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
    secret.add_argument("--password", default=None, help=argparse.SUPPRESS)  # refused
    secret.add_argument("--password-env", default=None, metavar="VAR",
                        help="read the password from environment variable VAR")
    secret.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
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
    his = usub.add_parser("history", help="who created, changed or removed a user's roles")
    his.add_argument("name")
    _common(his, map_required=None)
    his.add_argument("--format", choices=("table", "json"), default="table")
    his.set_defaults(func=_user_history)

    bak = sub.add_parser("backup", help="write a backup of the store")
    _common(bak, map_required=None)
    bak.add_argument("-o", "--output", required=True, help="backup file to write")
    bak.set_defaults(func=_backup)
    res = sub.add_parser("restore", help="replace the store's content by a backup")
    res.add_argument("file")
    _common(res, map_required=None)
    res.add_argument("--bring-back-forgotten", action="store_true",
                     help="keep persons that were forgotten after the backup was made")
    res.set_defaults(func=_restore)
    fgt = sub.add_parser("forget", help="erase a person: 'Vergeet deze persoon' (admin)")
    _common(fgt, map_required=True)
    fgt.add_argument("--id", required=True, help="actor id")
    fgt.set_defaults(func=_forget)
