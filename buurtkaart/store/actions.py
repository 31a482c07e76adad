"""Declared permissions: every public store operation names its rule-table action.

The store does not enforce roles itself (a plain :class:`~buurtkaart.store.Store`
belongs to whoever holds its credentials). It *declares*, next to each public
operation, which action of :mod:`buurtkaart.auth.rules` the operation needs and
how to find the map it touches::

    @action("edit_actors", entity="actor", id_arg="actor_id")
    def update_actor(self, user, actor_id, changes, if_version=None): ...

:class:`buurtkaart.auth.guard.GuardedStore` exposes exactly the declared
operations and checks the action before calling them. Nothing is inferred from
method names; a test fails when a public store method has no declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: Action of a generic write (``apply``/``apply_many``): the action of the entity
#: written, from :data:`ENTITY_ACTIONS` (``forget`` for an actor forget, ``create_map``
#: for a map insert).
PER_ENTITY = "per_entity"

#: Action of an operation with no map data behind it (``close``, ``url``, ``dialect``).
FREE = "free"

#: Actions outside any map (same names as in :mod:`buurtkaart.auth.rules`).
CREATE_MAP = "create_map"
LIST_MAPS = "list_maps"

#: Public store attributes the guard never hands out: raw database access
#: (the guard offers a connection-less ``transaction`` of its own).
RAW = frozenset({"engine", "transaction"})

#: Entity -> action needed to write it (used for :data:`PER_ENTITY` operations).
ENTITY_ACTIONS: dict[str, str] = {
    "actor": "edit_actors", "link": "edit_links", "contact": "edit_contacts",
    "signal": "edit_signals", "agenda": "edit_agenda", "meeting": "edit_meetings",
    "reflection": "edit_reflections", "import": "edit_places", "dismissal": "edit_places",
    "map": "manage_map",
}

#: Scopes of a declaration: one map (found from the arguments), every map of the
#: store (backup, restore, compaction), or no map (create/list maps, own account).
SCOPES = ("map", "store", "none")

#: Name of the attribute holding the :class:`Declared` of an operation.
ATTRIBUTE = "__buurtkaart_action__"


@dataclass(frozen=True)
class Declared:
    """How the guard checks one operation.

    Attributes
    ----------
    action : str
        A rule-table action (``read``, ``edit_actors``...), ``create_map``,
        ``list_maps`` or :data:`PER_ENTITY`.
    map_arg : str or None
        Argument holding the map id or name.
    entity : str or None
        Entity of the record named by ``id_arg`` (None: any entity, found from
        the event log, e.g. ``history``).
    id_arg : str or None
        Argument holding the id of the record the call touches.
    entity_arg : str or None
        Argument naming the entity (``get``, ``records``, ``apply``).
    ops_arg : str or None
        Argument holding a batch of ``(entity, op, entity_id, data...)`` writes.
    scope : str
        One of :data:`SCOPES`.
    """

    action: str
    map_arg: str | None = None
    entity: str | None = None
    id_arg: str | None = None
    entity_arg: str | None = None
    ops_arg: str | None = None
    scope: str = "map"


def action(name: str, *, map_arg: str | None = None, entity: str | None = None,
           id_arg: str | None = None, entity_arg: str | None = None,
           ops_arg: str | None = None, scope: str = "map") -> Callable[[F], F]:
    """Declare the action of a store operation (a decorator; see :class:`Declared`).

    Examples
    --------
    >>> @action("read", map_arg="map_id")
    ... def list_actors(self, map_id): ...
    >>> declared(list_actors).action
    'read'
    """
    if scope not in SCOPES:
        msg = f"unknown scope {scope!r}: expected one of {', '.join(SCOPES)}"
        raise ValueError(msg)
    decl = Declared(name, map_arg, entity, id_arg, entity_arg, ops_arg, scope)

    def mark(func: F) -> F:
        setattr(func, ATTRIBUTE, decl)
        return func

    return mark


def declared(func: Any) -> Declared | None:
    """Return the declaration of an operation (a function or property), None when it has none."""
    target = func.fget if isinstance(func, property) else func
    decl = getattr(target, ATTRIBUTE, None)
    return decl if isinstance(decl, Declared) else None


def operations(cls: type) -> dict[str, Declared]:
    """Return ``{name: Declared}`` for every declared public operation of ``cls``."""
    out: dict[str, Declared] = {}
    for name in dir(cls):
        if name.startswith("_"):
            continue
        decl = declared(getattr(cls, name))
        if decl is not None:
            out[name] = decl
    return out


def public_names(cls: type) -> list[str]:
    """Return every public attribute name of ``cls`` (declared or not), for the coverage test."""
    return sorted(n for n in dir(cls) if not n.startswith("_"))
