"""Enforcement in the data layer: a Store seen through the rule table for one user.

:class:`GuardedStore` exposes exactly the operations the store *declares*
(:mod:`buurtkaart.store.actions`): each public store method carries its
rule-table action and where to find the map it touches. The guarded methods are
generated from those declarations; before delegating, the guard finds the map(s)
of the call, looks up the user's membership role and calls
:func:`~buurtkaart.auth.rules.require`. There is no attribute pass-through: an
undeclared store method is not reachable. Account management goes through the same check.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

from buurtkaart import settings
from buurtkaart._errors import InputError, NotFoundError, PermissionDenied
from buurtkaart.auth import accounts, lookup, rules, sessions
from buurtkaart.auth.guard_accounts import AccountOperations
from buurtkaart.auth.identity import SINGLE_USER_NAME
from buurtkaart.auth.permcache import PermissionCache
from buurtkaart.store import maprefs, open_store
from buurtkaart.store.actions import (
    ENTITY_ACTIONS,
    FREE,
    PER_ENTITY,
    RAW,
    Declared,
    operations,
)
from buurtkaart.store.api import Store
from buurtkaart.store.policy import REASON_TAG

#: Record fields that name another record: field -> entity (their map is checked too).
REF_FIELDS: dict[str, str] = {"actor_id": "actor", "from_id": "actor", "to_id": "actor",
                              "meeting_id": "meeting", "import_id": "import"}

__all__ = ["REASON_TAG", "GuardedStore", "acting_user", "open_guarded", "single_user_mode"]


def single_user_mode() -> bool:
    """Return whether ``BUURTKAART_SINGLE_USER`` switches logins and roles off."""
    return settings.get_bool("BUURTKAART_SINGLE_USER")


def acting_user(name: str | None = None) -> str:
    """Return the acting user: ``name``, else ``BUURTKAART_USER``, else the single user.

    Raises
    ------
    PermissionDenied
        When no user is given outside single-user mode.
    """
    user = (name or settings.get("BUURTKAART_USER") or "").strip()
    if user:
        return user
    if single_user_mode():
        return SINGLE_USER_NAME
    msg = ("no acting user: pass --user NAME or set BUURTKAART_USER "
           "(or BUURTKAART_SINGLE_USER=1 for a local single-user store)")
    raise PermissionDenied(msg)


def open_guarded(url: str | None = None, user: str | None = None) -> GuardedStore:
    """Open the store at ``url`` for the acting user (``--user``/``BUURTKAART_USER``).

    In single-user mode (``BUURTKAART_SINGLE_USER=1``) every action is allowed.
    """

    name = acting_user(user)
    return GuardedStore(open_store(url), name, single_user=single_user_mode())


if TYPE_CHECKING:  # mypy sees the store's typed operations on the guarded store
    _Operations = Store
else:
    _Operations = object


class GuardedStore(AccountOperations, _Operations):
    """A Store seen through the rule table for one user.

    Every declared store operation (``add_actor``, ``update_actor``,
    ``list_maps``...) is available with the store's signature and is checked
    first; see ``docs/security.md`` for the table.

    Parameters
    ----------
    store : Store
        The real store (``buurtkaart.store.open_store(url)``).
    user : str
        The acting user; author of every write made through this wrapper.
    single_user : bool
        True: every action is allowed (local demo, ``BUURTKAART_SINGLE_USER=1``).
    cache : PermissionCache, optional
        A session's cache of map ids and roles (:mod:`buurtkaart.auth.permcache`).
    """

    def __init__(self, store: Store, user: str, single_user: bool = False,
                 cache: PermissionCache | None = None) -> None:
        self._store = store
        self.user = accounts.check_name(user)
        self.single_user = single_user
        self._cache = cache if cache is not None and cache.user == self.user else None

    def __enter__(self) -> GuardedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self._store.close()

    @property
    def engine(self) -> NoReturn:  # type: ignore[override]
        """Refused: raw database access would bypass the rules."""
        msg = "store attribute 'engine' is not reachable through the guard (raw access)"
        raise PermissionDenied(msg)

    @contextmanager
    def transaction(self, import_by: str | None = None, what: str = "file",  # type: ignore[override]
                    map_id: str | None = None) -> Iterator[None]:
        """Group guarded writes in ONE store transaction (without handing out the connection)."""
        with self._store.transaction(import_by, what, map_id):
            yield

    # -- the checks ----------------------------------------------------------
    def role(self, map_ref: Any) -> str | None:
        """Return the user's role on a map given by id or name (admin in single-user mode)."""
        if self.single_user:
            return "admin"
        map_id = self.map_id(map_ref)
        return None if map_id is None else self._cached(
            "roles", map_id, lambda: accounts.role_of(self._store, self.user, map_id))

    def _cached(self, table: str, key: str, load: Callable[[], Any],
                keep: Callable[[Any], bool] = bool) -> Any:
        """Return a map id or role from the session's cache, else ``load()`` it."""
        if self._cache is None:
            return load()
        return self._cache.get(table, key, load, keep,
                               lambda: sessions.version(self._store, self.user))

    def can(self, action: str, map_ref: Any) -> bool:
        """Return whether the user may do ``action`` on the map ``map_ref`` (id or name)."""
        return rules.can(self.role(map_ref), action)

    def require(self, action: str, map_ref: Any) -> None:
        """Raise :class:`PermissionDenied` unless the user may do ``action`` on ``map_ref``."""
        if self.single_user:
            return
        map_id = self.map_id(map_ref)
        if map_ref is not None and map_id is None:
            ref = map_ref.get("id") if isinstance(map_ref, Mapping) else map_ref
            msg = f"unknown map {ref!r}"
            raise NotFoundError(msg)
        role = self.role(map_id)
        if not rules.can(role, action):
            label = lookup.map_name(self._store, map_id) or map_ref
            rules.require(role, action, user=self.user, map_name=label)

    def map_id(self, map_ref: Any) -> str | None:
        """Return the id of a map given by id, else by name (None if there is none)."""
        if map_ref is None:
            return None
        if isinstance(map_ref, Mapping):
            map_ref = map_ref.get("id")
        engine = accounts.engine_of(self._store, read=True)

        def load() -> str | None:
            with engine.connect() as conn:
                return maprefs.resolve(conn, map_ref)
        # an id stays its map's id (a name may move to another map): only ids are kept
        return self._cached("map_ids", str(map_ref), load, lambda found: found == map_ref)  # type: ignore[no-any-return]

    def _pin_map(self, decl: Declared, bound: inspect.BoundArguments) -> None:
        """Replace the map reference of a checked call by the id that was checked.

        The store then acts on exactly the map the rules were checked against
        (never on a map whose *name* happens to equal the checked map's id).
        """
        arg = decl.map_arg
        ref = bound.arguments.get(arg) if arg else None
        if arg is None or ref is None or isinstance(ref, Mapping):
            return
        map_id = self.map_id(ref)
        if map_id is not None:
            bound.arguments[arg] = map_id

    def map_of_entity(self, entity: str, entity_id: str) -> str | None:
        """Return the map id of a stored entity (None when it does not exist)."""
        return lookup.map_of_entity(self._store, entity, entity_id)

    def check(self, name: str, decl: Declared, args: Mapping[str, Any]) -> None:
        """Check one call of a declared operation; raise when it is not allowed."""
        given = args.get("user")
        if isinstance(given, str) and given and given != self.user and not self.single_user:
            msg = (f"user {self.user!r} may not call {name!r} as user {given!r}: "
                   "writes are attributed to the logged-in user")
            raise PermissionDenied(msg)
        if decl.action in (FREE, rules.CREATE_MAP, rules.LIST_MAPS):
            return
        if decl.scope == "store":
            self._require_everywhere(decl.action)
        elif decl.ops_arg is not None:
            for op in list(args.get(decl.ops_arg) or []):
                entity, what, entity_id, data = [*list(op), None, None, None][:4]
                self._check_write(entity, what, entity_id, data, args.get(decl.map_arg or ""))
        elif decl.action == PER_ENTITY:
            self._check_write(args.get(decl.entity_arg or ""), args.get("op"),
                              args.get(decl.id_arg or ""), args.get("data"),
                              args.get(decl.map_arg or ""))
        else:
            for where in self._maps(name, decl, args):
                self._require(decl.action, where)
            self._check_exact(args, self._maps(name, decl, args))

    def _require(self, action: str, map_ref: str) -> None:
        """:meth:`require`, except that a map without admins may get its first (bootstrap)."""
        map_id = self.map_id(map_ref) if action == "manage_users" else None
        if map_id and "admin" not in accounts.members_of(self._store, map_id).values():
            return
        self.require(action, map_ref)

    def _require_everywhere(self, action: str) -> None:
        """Store-wide operations (backup, restore, compaction) need the action on every map."""
        if self.single_user:
            return
        for map_id in accounts.map_ids(self._store):
            self.require(action, map_id)

    def _maps(self, name: str, decl: Declared, args: Mapping[str, Any]) -> list[str]:
        """Return the maps a call touches (map argument, named record, referenced records)."""
        maps: list[str] = []
        ref = args.get(decl.map_arg) if decl.map_arg else None
        if ref is not None:
            maps.append(ref)
        record_id = args.get(decl.id_arg) if decl.id_arg else None
        if isinstance(record_id, str) and record_id:
            entity = decl.entity or (args.get(decl.entity_arg) if decl.entity_arg else None)
            found = (lookup.map_of_entity(self._store, entity, record_id)
                     if isinstance(entity, str) and entity in ENTITY_ACTIONS
                     else lookup.map_of_event(self._store, record_id))
            if found is None:
                msg = f"no record with id {record_id!r}"
                raise NotFoundError(msg)
            maps.append(found)
        maps += self._referenced(args)
        if maps or self.single_user:
            return list(dict.fromkeys(maps))
        msg = f"cannot tell which map store operation {name!r} touches: refused (fail closed)"
        raise PermissionDenied(msg)

    def _referenced(self, args: Mapping[str, Any]) -> list[str]:
        """Return the maps of records named in record fields (``actor_id``, ``from_id``...)."""
        maps = []
        for value in [args, *args.values()]:
            if not isinstance(value, Mapping):
                continue
            if value is not args and isinstance(value.get("map_id"), str):
                maps.append(str(value["map_id"]))
            for key, entity in REF_FIELDS.items():
                ref = value.get(key)
                found = lookup.map_of_entity(self._store, entity, ref) if isinstance(
                    ref, str) and ref else None
                if found is not None:
                    maps.append(found)
        return maps

    def _check_write(self, entity: Any, op: Any, entity_id: Any, data: Any,
                     map_ref: Any) -> None:
        """Check one generic write (``apply`` or one operation of ``apply_many``)."""
        action: str | None
        if entity == "actor" and op == "forget":
            action = "forget"
        elif entity == "map" and op == "insert":
            msg = "create maps with create_map, not with a generic write"
            raise PermissionDenied(msg)
        else:
            action = ENTITY_ACTIONS.get(entity) if isinstance(entity, str) else None
        if action is None:
            msg = f"write of {entity!r} ({op!r}) is not in the rule table: refused (fail closed)"
            raise PermissionDenied(msg)
        decl = Declared(action, map_arg="map_id", entity=entity,
                        id_arg=None if op == "insert" else "entity_id")
        args = {"map_id": map_ref, "entity_id": entity_id,
                "data": data if isinstance(data, Mapping) else None}
        maps = self._maps("apply", decl, args)
        for where in maps:
            self._require(action, where)
        if entity == "actor":
            self._check_exact({"data": args["data"]}, maps)

    def _check_exact(self, args: Mapping[str, Any], maps: list[str]) -> None:
        """Storing an exact location (with its reason) needs ``set_exact_location``."""
        for value in args.values():
            if isinstance(value, Mapping) and value.get("location_precision") == "exact":
                for where in maps:
                    self.require("set_exact_location", where)

    # -- special operations --------------------------------------------------
    def _after_create_map(self, result: Any) -> None:
        """Any logged-in user may create a map; they become its first admin."""
        if not self.single_user and isinstance(result, Mapping):
            accounts.add_user(self._store, self.user, None, map_id=result["id"], role="admin",
                              by=self.user, enable=False)

    def _filter_maps(self, maps: list[Any]) -> list[Any]:
        if self.single_user:
            return maps
        def role(map_id: str) -> str | None:  # from the session's cache, like every check
            return self._cached("roles", map_id,
                                lambda: accounts.role_of(self._store, self.user, map_id))

        return [m for m in maps if rules.can(role(str(m["id"])), "read")]


def _operation(name: str, decl: Declared) -> Callable[..., Any]:
    """Return the guarded version of the store operation ``name`` (checked, then run)."""
    method = getattr(Store, name)
    target: Callable[..., Any] = method.fget if isinstance(method, property) else method  # type: ignore[assignment]
    signature = inspect.signature(target)

    @functools.wraps(target)
    def guarded(self: GuardedStore, *args: Any, **kwargs: Any) -> Any:
        try:
            bound = signature.bind(self._store, *args, **kwargs)
        except TypeError as e:
            msg = f"bad arguments for store operation {name!r}: {e}"
            raise InputError(msg) from e
        self._pin_map(decl, bound)  # resolve once: the checked id is the id used
        self.check(name, decl, bound.arguments)
        result = target(*bound.args, **bound.kwargs)
        if decl.action == rules.CREATE_MAP:
            self._after_create_map(result)
        elif decl.action == rules.LIST_MAPS:
            result = self._filter_maps(result)
        elif _forgets(name, decl, bound.arguments):
            self._store.vacuum()  # erased rows leave the database files too
        return result

    return property(guarded) if isinstance(method, property) else guarded  # type: ignore[return-value]


def _forgets(name: str, decl: Declared, args: Mapping[str, Any]) -> bool:
    if name == "forget_actor":
        return not args.get("vacuum", True)  # else forget_actor compacts the files itself
    ops = list(args.get(decl.ops_arg) or []) if decl.ops_arg else []
    return args.get("op") == "forget" or any(len(op) > 1 and op[1] == "forget" for op in ops)


#: Every operation the guard exposes, from the store's declarations.
OPERATIONS: dict[str, Declared] = operations(Store)

for _name, _decl in OPERATIONS.items():
    if _name not in RAW:
        setattr(GuardedStore, _name, _operation(_name, _decl))

