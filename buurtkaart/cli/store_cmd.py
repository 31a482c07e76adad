"""``buurtkaart actor|changes|history``: the store's scriptable contract (docs/store.md).

Exit codes: 0 success, 2 unknown role/field/map/id or bad value, 3 conflict
(``--if-version`` older and the same field changed), 9 store unusable.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from buurtkaart import settings
from buurtkaart._errors import InputError, NotFoundError
from buurtkaart.auth.guard import GuardedStore, open_guarded
from buurtkaart.store import Store
from buurtkaart.store.history import diff
from buurtkaart.store.types import Actor

#: Columns of ``actor list --format table``.
ACTOR_COLUMNS = ("id", "name", "kind", "roles", "status", "strength", "version")


def _common(p: argparse.ArgumentParser, *, write: bool) -> None:
    p.add_argument("--db", metavar="URL", default=None,
                   help="store URL or file (default: BUURTKAART_DB)")
    if write:
        p.add_argument("--user", metavar="NAME", default=None,
                       help="author of the change (default: BUURTKAART_USER)")


def map_action(group: argparse._SubParsersAction, name: str, help_text: str,  # type: ignore[type-arg]
               func: Callable[[argparse.Namespace], int], *, write: bool
               ) -> argparse.ArgumentParser:
    """Add the action ``name`` on one map to ``group``: ``--db`` (``--user`` when it
    writes), ``--map NAME``, and ``func`` to run; return its parser for more options."""
    p: argparse.ArgumentParser = group.add_parser(name, help=help_text)
    _common(p, write=write)
    p.add_argument("--map", required=True, metavar="NAME")
    p.set_defaults(func=func)
    return p


def _format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("json", "table"), default="table")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``actor``, ``changes`` and ``history`` (``map``: :mod:`.map_cmd`)."""
    _register_actor(sub)
    c = map_action(sub, "changes", "what changed in a map since a time, and who did it",
                   cmd_changes, write=False)
    c.add_argument("--since", required=True, metavar="ISO8601")
    _format(c)
    h = map_action(sub, "history", "every change of one record", cmd_history, write=False)
    h.add_argument("--id", required=True, metavar="ID")
    _format(h)


def _register_actor(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    a = sub.add_parser("actor", help="add, change, show and list actors").add_subparsers(
        dest="actor_command", metavar="ACTION", required=True)
    add = map_action(a, "add", "add an actor", cmd_actor_add, write=True)
    add.add_argument("--name", required=True, metavar="TEXT")
    add.add_argument("--role", required=True, action="append", metavar="ROLE",
                     help="role key (repeat or comma-separate for several)")
    add.add_argument("--kind", metavar="KIND")
    add.add_argument("--lat", type=float, metavar="LAT")
    add.add_argument("--lon", type=float, metavar="LON")
    add.add_argument("--osm-id", metavar="ID")
    add.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                     help="any other field")
    up = map_action(a, "update", "change fields of an actor", cmd_actor_update, write=True)
    up.add_argument("--id", required=True, metavar="ID")
    up.add_argument("--set", required=True, action="append", metavar="FIELD=VALUE")
    up.add_argument("--if-version", type=int, metavar="N",
                    help="version your change is based on (conflict check)")
    for name, func in (("show", cmd_actor_show), ("list", cmd_actor_list)):
        p = map_action(a, name, f"{name} actors", func, write=False)
        p.add_argument("--id", required=(name == "show"), metavar="ID")
        _format(p)


def _user(args: argparse.Namespace) -> str:
    return str(args.user or settings.get("BUURTKAART_USER"))


def _sets(pairs: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip():
            msg = f"bad --set {pair!r}: expected FIELD=VALUE"
            raise InputError(msg)
        out[field.strip()] = value
    return out


def _actor_in_map(store: Store | GuardedStore, map_id: str, actor_id: str,
                  map_name: str) -> Actor:
    try:
        actor = store.get_actor(actor_id)
    except NotFoundError:
        actor = None
    if actor is None or actor["map_id"] != map_id:
        msg = f"unknown actor id {actor_id!r} in map {map_name!r}"
        raise NotFoundError(msg)
    return actor


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value).replace("\n", " ").replace("\t", " ")


def _print_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> None:
    print("\t".join(columns))
    for row in rows:
        print("\t".join(_cell(row.get(c)) for c in columns))


def _written(record: Mapping[str, Any]) -> int:
    print(f"id={record['id']} version={record['version']}")
    return 0


def cmd_actor_add(args: argparse.Namespace) -> int:
    """Add an actor."""
    fields: dict[str, Any] = _sets(args.set)
    roles = [r.strip() for value in args.role for r in value.split(",") if r.strip()]
    fields.update(name=args.name, roles=roles)
    for key in ("kind", "lat", "lon", "osm_id"):
        if getattr(args, key) is not None:
            fields[key] = getattr(args, key)
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        map_id = store.get_map(args.map)["id"]
        record = store.add_actor(_user(args), map_id, **fields)
    return _written(record)


def cmd_actor_update(args: argparse.Namespace) -> int:
    """Change fields of an actor (conflict check with --if-version)."""
    changes = _sets(args.set)
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        map_id = store.get_map(args.map)["id"]
        _actor_in_map(store, map_id, args.id, args.map)
        record = store.update_actor(_user(args), args.id, changes, if_version=args.if_version)
    return _written(record)


def cmd_actor_show(args: argparse.Namespace) -> int:
    """Show one actor with all its fields."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        map_id = store.get_map(args.map)["id"]
        actor = _actor_in_map(store, map_id, args.id, args.map)
    if args.format == "json":
        _print_json(actor)
    else:
        for key, value in actor.items():
            print(f"{key}\t{_cell(value)}")
    return 0


def cmd_actor_list(args: argparse.Namespace) -> int:
    """List the actors of a map."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        map_id = store.get_map(args.map)["id"]
        actors = store.list_actors(map_id)
    if args.id is not None:
        actors = [a for a in actors if a["id"] == args.id]
    if args.format == "json":
        _print_json(actors)
    else:
        _print_table(actors, ACTOR_COLUMNS)
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    """Print what changed since a time, per record, with who and when."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        map_id = store.get_map(args.map)["id"]
        changes = store.changes_since(map_id, args.since)
    if args.format == "json":
        _print_json(changes)
        return 0
    print("last_at\tentity\tid\tlabel\top\tusers\tfields")
    for ch in changes:
        fields = ",".join(ch["diff"])
        print("\t".join(_cell(v) for v in (ch["last_at"], ch["entity"], ch["entity_id"],
                                           ch["label"], ch["op"], ch["users"], fields)))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """Print every event of one record, oldest first."""
    with open_guarded(args.db, getattr(args, "user", None)) as store:
        map_id = store.get_map(args.map)["id"]
        events = [e for e in store.history(args.id) if e["map_id"] == map_id]
    if not events:
        msg = f"unknown id {args.id!r} in map {args.map!r}: no history"
        raise NotFoundError(msg)
    if args.format == "json":
        _print_json(events)
        return 0
    print("at\tuser\top\tchanges")
    for ev in events:
        changed = "; ".join(f"{k}: {b!r} -> {a!r}" for k, (b, a) in
                            diff(ev["before"], ev["after"]).items())
        print(f"{ev['at']}\t{ev['user']}\t{ev['op']}\t{changed}")
    return 0
