"""Enforcement in the data layer: a Store wrapper that checks the rule table on every call.

:class:`GuardedStore` wraps a :class:`~buurtkaart.store.Store` for one acting
user. Every public method is classified (:func:`action_for`) as an action of
:mod:`buurtkaart.auth.rules`; before delegating, the guard finds the map the
call touches, looks up the user's membership role on it and calls
:func:`~buurtkaart.auth.rules.require`. Unknown methods are refused (fail
closed), so a new store method cannot bypass the rules by accident.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa

from buurtkaart import privacy, settings
from buurtkaart._errors import InputError, NotFoundError, PermissionDenied
from buurtkaart.auth import accounts, lookup, rules

#: Entity -> action needed to write it.
ENTITY_ACTIONS: dict[str, str] = {
    "actor": "edit_actors", "link": "edit_links", "contact": "edit_contacts",
    "signal": "edit_signals", "agenda": "edit_agenda", "meeting": "edit_meetings",
    "reflection": "edit_reflections", "import": "edit_places", "dismissal": "edit_places",
    "map": "manage_map",
}

#: Explicit method -> action (checked before the naming rules below).
METHOD_ACTIONS: dict[str, str] = {
    "forget_actor": "forget",
    "import_places": "edit_places",
    "dismiss_place": "edit_places",
    "undismiss_place": "edit_places",
    "dismissed_places": "read",
    "records": "read",
    "get": "read",
    "apply_many": "apply_many",
    "accept_places": "edit_actors",
    "create_map": rules.CREATE_MAP,
    "list_maps": rules.LIST_MAPS,
}

_READ_PREFIXES = ("get", "list", "find", "history", "changes", "state", "search", "count",
                  "iter", "actors", "links", "contacts", "signals", "agenda", "meetings",
                  "reflections", "places", "imports", "dismissals", "events", "map",
                  "read", "show", "diff")
_WRITE_VERBS = ("add", "insert", "create", "update", "set", "delete", "remove", "accept",
                "dismiss", "log", "record", "merge", "upsert", "edit", "save")
#: Methods every caller may use: no map data behind them.
_FREE = frozenset({"close", "dispose", "url", "dialect", "describe"})
_MAP_PARAMS = ("map_id", "map", "map_name", "name_or_id")
_ID_PARAMS = ("entity_id", "id", "record_id", "item_id")
#: Method-name nouns that are not entity names.
_ALIASES = {"agenda_item": "agenda", "place": "dismissal"}
#: Attributes never handed out: raw database access would bypass the rules.
_BLOCKED = frozenset({"engine", "engines", "transaction"})
#: Tag prefix keeping the reason for a person's exact location.
REASON_TAG = "exact_location_reason:"
#: Marker: the call names a record that does not exist (the store will say so).
UNKNOWN_ID = object()


def action_for(method: str, entity: str | None = None, op: str | None = None) -> str | None:
    """Return the rule-table action of a store method (None: unknown, hence refused).

    Parameters
    ----------
    method : str
        Store method name, e.g. ``"update_actor"`` or ``"apply"``.
    entity : str, optional
        For ``apply``-style calls, the entity written (``"actor"``...).
    op : str, optional
        For ``apply``: ``insert``, ``update`` or ``delete`` (``map`` inserts
        are ``create_map``).
    """
    if method in METHOD_ACTIONS:
        return METHOD_ACTIONS[method]
    if method == "apply":
        if op == "forget":
            return "forget" if entity == "actor" else None
        if entity == "map" and op == "insert":
            return rules.CREATE_MAP
        return ENTITY_ACTIONS.get(entity or "")
    verb, _, rest = method.partition("_")
    rest = _ALIASES.get(rest, rest)
    if verb in _WRITE_VERBS:
        name = rest.removesuffix("s") if rest not in ENTITY_ACTIONS else rest
        if verb == "create" and name == "map":
            return rules.CREATE_MAP
        return ENTITY_ACTIONS.get(name) or ENTITY_ACTIONS.get(rest)
    if method.startswith(_READ_PREFIXES):
        return "read"
    return None


def single_user_mode() -> bool:
    """Return whether ``BUURTKAART_SINGLE_USER`` switches logins and roles off."""
    return settings.get_bool("BUURTKAART_SINGLE_USER")


def acting_user(name: str | None = None) -> str:
    """Return the acting user: ``name``, else ``BUURTKAART_USER``, else ``local`` (single-user).

    Raises
    ------
    PermissionDenied
        When no user is given outside single-user mode.
    """
    user = (name or settings.get("BUURTKAART_USER") or "").strip()
    if user:
        return user
    if single_user_mode():
        return "local"
    msg = ("no acting user: pass --user NAME or set BUURTKAART_USER "
           "(or BUURTKAART_SINGLE_USER=1 for a local single-user store)")
    raise PermissionDenied(msg)


def open_guarded(url: str | None = None, user: str | None = None) -> GuardedStore:
    """Open the store at ``url`` for the acting user (``--user``/``BUURTKAART_USER``).

    The CLI's one-line hook: ``with open_guarded(args.db, args.user) as store:``
    instead of ``with open_store(args.db) as store:``. In single-user mode
    (``BUURTKAART_SINGLE_USER=1``) every action is allowed.
    """
    from buurtkaart.store import open_store

    name = acting_user(user)
    return GuardedStore(open_store(url), name, single_user=single_user_mode())


class GuardedStore:
    """A Store seen through the rule table for one user.

    Parameters
    ----------
    store : Store
        The real store (``buurtkaart.store.open_store(url)``).
    user : str
        The acting user; author of every write made through this wrapper.
    single_user : bool
        True: every action is allowed (local demo, ``BUURTKAART_SINGLE_USER=1``).

    Examples
    --------
    >>> guarded = GuardedStore(open_store(url), "amina")   # doctest: +SKIP
    >>> guarded.update_actor("amina", actor_id, {"status": "cooperating"}, 3)  # doctest: +SKIP
    """

    def __init__(self, store: Any, user: str, single_user: bool = False) -> None:
        self._store = store
        self.user = accounts.check_name(user)
        self.single_user = single_user

    def __enter__(self) -> GuardedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self._store.close()

    @property
    def store(self) -> Any:
        """The wrapped store (use only for what the guard itself needs)."""
        return self._store

    def role(self, map_ref: Any) -> str | None:
        """Return the user's role on a map given by id or name (admin in single-user mode)."""
        if self.single_user:
            return "admin"
        map_id = self.map_id(map_ref)
        return None if map_id is None else accounts.role_of(self._store, self.user, map_id)

    def can(self, action: str, map_ref: Any) -> bool:
        """Return whether the user may do ``action`` on the map ``map_ref`` (id or name)."""
        return rules.can(self.role(map_ref), action)

    def require(self, action: str, map_ref: Any) -> None:
        """Raise :class:`PermissionDenied` unless the user may do ``action`` on ``map_ref``."""
        if self.single_user:
            return
        if map_ref is not None and self.map_id(map_ref) is None:
            ref = map_ref.get("id") if isinstance(map_ref, Mapping) else map_ref
            msg = f"unknown map {ref!r}"
            raise NotFoundError(msg)
        role = self.role(map_ref)
        if not rules.can(role, action):
            label = lookup.map_name(self._store, self.map_id(map_ref)) or map_ref
            rules.require(role, action, user=self.user, map_name=label)

    def map_id(self, map_ref: Any) -> str | None:
        """Return the id of a map given by id or name (None if there is none)."""
        if map_ref is None:
            return None
        if isinstance(map_ref, Mapping):
            map_ref = map_ref.get("id")
        engine = accounts.engine_of(self._store, read=True)
        maps = accounts.table(engine, "maps")
        query = sa.select(maps.c.id).where(sa.or_(maps.c.id == str(map_ref),
                                                  maps.c.name == str(map_ref)))
        with engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else str(row[0])

    def map_of_entity(self, entity: str, entity_id: str) -> str | None:
        """Return the map id of a stored entity (None when it does not exist)."""
        return lookup.map_of_entity(self._store, entity, entity_id)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in _BLOCKED:
            msg = f"store attribute {name!r} is not reachable through the guard (raw access)"
            raise PermissionDenied(msg)
        target = getattr(self._store, name)
        if not callable(target) or name in _FREE:
            return target
        return self._wrap(name, target)

    def _wrap(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            call = _bind(method, args, kwargs)
            if call is None:
                msg = f"bad arguments for store method {name!r}"
                raise InputError(msg)
            bound = call.arguments
            self._force_user(name, bound)
            entity, op = bound.get("entity"), bound.get("op")
            action = action_for(name, entity if isinstance(entity, str) else None,
                                op if isinstance(op, str) else None)
            if action is None:
                msg = f"store method {name!r} is not in the rule table: refused (fail closed)"
                raise PermissionDenied(msg)
            if action == rules.CREATE_MAP:
                return self._create_map(method, bound, args, kwargs)
            if action == rules.LIST_MAPS:
                return self._filter_maps(method(*args, **kwargs))
            if name == "apply_many":
                return self._apply_many(method, bound)
            maps = self._maps_of(name, bound)
            for where in maps:
                if where is not UNKNOWN_ID:
                    self.require(action, where)
            where = maps[0]
            if action == "edit_actors":
                self._exact_location(bound, where)
            result = method(*call.args, **call.kwargs)
            if action == "forget":
                privacy.purge_erased(self._store)
            return result

        return guarded

    def _exact_location(self, bound: dict[str, Any], where: Any) -> None:
        """Apply the person rules: a review date on insert; exact location only with a reason.

        The reason comes as the pseudo-field ``location_reason`` of the
        record (not a store column); it is removed and stored in the actor's
        tags as ``exact_location_reason:<reason>``.
        """
        key = next((k for k in ("fields", "changes", "data") if isinstance(bound.get(k), Mapping)),
                   None)
        if key is None:
            return
        data = dict(bound[key])
        reason = str(data.pop("location_reason", "") or "").strip()
        current: Mapping[str, Any] = {}
        actor_id = bound.get("actor_id") or bound.get("entity_id")
        if isinstance(actor_id, str) and key != "fields":
            current = lookup.actor(self._store, actor_id)
        kind = data.get("kind", current.get("kind"))
        if kind == "person" and key == "fields" and not data.get("review_date"):
            data["review_date"] = privacy.default_review_date().isoformat()
        precision = data.get("location_precision", current.get("location_precision"))
        moves = "location_precision" in data or "lat" in data or "lon" in data
        if kind == "person" and precision == "exact" and moves:
            if not reason:
                msg = ("a person's exact location needs a reason: give 'location_reason', "
                       "or leave the location coarse (100 m grid)")
                raise InputError(msg)
            self.require("set_exact_location", where)
            tags = [t for t in (data.get("tags") or current.get("tags") or [])
                    if not str(t).startswith(REASON_TAG)]
            data["tags"] = [*tags, f"{REASON_TAG}{reason}"]
        bound[key] = data

    def _force_user(self, name: str, bound: dict[str, Any]) -> None:
        """Refuse a write made in another user's name."""
        given = bound.get("user")
        if isinstance(given, str) and given and given != self.user and not self.single_user:
            msg = (f"user {self.user!r} may not call {name!r} as user {given!r}: "
                   "writes are attributed to the logged-in user")
            raise PermissionDenied(msg)

    def _maps_of(self, name: str, bound: Mapping[str, Any]) -> list[Any]:
        """Return every map (id or name) a call touches; raise when none can be told.

        The explicit map argument, ``map_id`` fields of records, and the maps
        of every record named by an ``*_id`` argument or field (so a record of
        another map cannot be reached by naming one's own map). Returns
        ``[UNKNOWN_ID]`` when the call only names records that do not exist:
        the store then raises its own :class:`NotFoundError`.
        """
        maps: list[Any] = [bound[k] for k in _MAP_PARAMS if bound.get(k) is not None]
        entity = bound.get("entity") if isinstance(bound.get("entity"), str) else None
        entity = entity or _entity_of_method(name)
        named_id = False
        for key, value in _id_refs(bound):
            if key == "map_id":
                maps.append(value)
                continue
            named_id = True
            found = next((m for e in (key.removesuffix("_id"), entity) if e in ENTITY_ACTIONS
                          for m in [lookup.map_of_entity(self._store, e, value)] if m), None)
            found = found or lookup.map_of_event(self._store, value)
            if found is not None:
                maps.append(found)
        if maps:
            return list(dict.fromkeys(maps))
        if named_id:
            return [UNKNOWN_ID]
        if self.single_user:
            return [None]
        msg = f"cannot tell which map store method {name!r} touches: refused (fail closed)"
        raise PermissionDenied(msg)

    def _apply_many(self, method: Callable[..., Any], bound: dict[str, Any]) -> Any:
        """Check every operation of an ``apply_many`` batch, then run it."""
        ops = list(bound.get("ops") or [])
        map_ref = bound.get("map_id")
        for op in ops:
            entity, what, entity_id = [*list(op), None, None, None][:3]
            action = action_for("apply", entity, what)
            if action is None or action in rules.ANY_USER_ACTIONS:
                msg = f"batch write of {entity!r} ({what!r}) is not allowed through the guard"
                raise PermissionDenied(msg)
            data = [*list(op), None, None, None, None][3]
            pseudo = {"map_id": map_ref, "entity": entity, "entity_id": entity_id,
                      "data": data if isinstance(data, Mapping) else None}
            for where in self._maps_of("apply", pseudo):
                if where is not UNKNOWN_ID:
                    self.require(action, where)
        result = method(bound.get("user", self.user), map_ref, ops)
        if any(len(op) > 1 and op[1] == "forget" for op in ops):
            privacy.purge_erased(self._store)
        return result

    def _create_map(self, method: Callable[..., Any], bound: dict[str, Any],
                    args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Any logged-in user may create a map; they become its first admin."""
        result = method(*args, **kwargs)
        record = result if isinstance(result, Mapping) else None
        map_id = record.get("id") if record else result if isinstance(result, str) else None
        if map_id is not None and not self.single_user:
            accounts.add_user(self._store, self.user, None, map_id=map_id, role="admin")
        return result

    def _filter_maps(self, maps: Any) -> Any:
        if self.single_user or not isinstance(maps, list):
            return maps
        return [m for m in maps if isinstance(m, Mapping)
                and rules.can(accounts.role_of(self._store, self.user, m.get("id")), "read")]


def _bind(method: Callable[..., Any], args: tuple[Any, ...],
          kwargs: dict[str, Any]) -> inspect.BoundArguments | None:
    try:
        return inspect.signature(method).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return None


def _id_refs(bound: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return the ``(key, id)`` pairs of the arguments and of record fields one level down."""
    pairs: list[tuple[str, str]] = []
    for key, value in bound.items():
        if isinstance(value, str) and value and (key in _ID_PARAMS or key.endswith("_id")):
            pairs.append((key, value))
        elif isinstance(value, Mapping):
            pairs += [(str(k), v) for k, v in value.items()
                      if isinstance(v, str) and v and str(k).endswith("_id")]
    return pairs


def _entity_of_method(name: str) -> str | None:
    _, _, rest = name.partition("_")
    rest = _ALIASES.get(rest, rest)
    for candidate in (rest, rest.removesuffix("s")):
        if candidate in ENTITY_ACTIONS:
            return candidate
    return None
