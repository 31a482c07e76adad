"""Account management through the guard: the same checks as every store operation.

:class:`AccountOperations` is the part of :class:`~buurtkaart.auth.guard.GuardedStore`
that manages accounts and memberships. The operations are declared in
:mod:`buurtkaart.auth.accounts` (``manage_users``, ``read``) and checked by the
guard's own :meth:`check` before they run.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from buurtkaart._errors import NotFoundError, PermissionDenied
from buurtkaart.auth import accounts
from buurtkaart.store.actions import Declared, declared
from buurtkaart.store.types import Event, Membership

if TYPE_CHECKING:
    from buurtkaart.store.api import Store


class AccountOperations:
    """Accounts and memberships, checked by the guard (a mixin of ``GuardedStore``)."""

    _store: Store
    user: str
    single_user: bool

    if TYPE_CHECKING:  # provided by GuardedStore
        def check(self, name: str, decl: Declared, args: Mapping[str, Any]) -> None: ...
        def can(self, action: str, map_ref: Any) -> bool: ...
        def map_id(self, map_ref: Any) -> str | None: ...
        def _require(self, action: str, map_ref: str) -> None: ...

    def _account(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        decl = declared(func)
        if decl is None:  # pragma: no cover - every account operation is declared
            msg = f"account operation {func.__name__!r} has no declared action"
            raise PermissionDenied(msg)
        bound = inspect.signature(func).bind(self._store, *args, **kwargs).arguments
        self.check(func.__name__, decl, bound)
        return func(self._store, *args, **kwargs)

    def add_user(self, name: str, password: str | None, *, map_id: str,
                 role: str) -> None:
        """Create ``name`` (or reuse it) with ``role`` on ``map_id`` (``manage_users``)."""
        self._account(accounts.add_user, name, password, map_id=self._known(map_id),
                      role=role, by=self.user)

    def set_role(self, name: str, map_id: str, role: str) -> None:
        """Change ``name``'s role on ``map_id`` (``manage_users``)."""
        self._account(accounts.set_role, name, self._known(map_id), role, by=self.user)

    def remove_user(self, name: str, map_id: str | None = None) -> None:
        """Remove ``name`` from ``map_id``; without a map, disable the account everywhere.

        Disabling needs ``manage_users`` on every map the user belongs to (and,
        for a user of no map, on every map of the store).
        """
        if map_id is not None:
            self._account(accounts.remove_user, name, self._known(map_id), by=self.user)
            return
        maps = accounts.maps_of(self._store, name) or dict.fromkeys(
            accounts.map_ids(self._store), "")
        for where in maps:
            self._require("manage_users", where)
        accounts.remove_user(self._store, name, None, by=self.user)

    def members(self, map_id: str) -> list[Membership]:
        """Return the memberships of ``map_id`` (``read``)."""
        return list(self._account(accounts.members, self._known(map_id)))

    def account_history(self, name: str) -> list[Event]:
        """Return the account and membership events of ``name`` the user may see.

        Membership events show on maps where the user may ``manage_users``;
        the account's own events to its owner and to admins of its maps.
        """
        events = accounts.account_history(self._store, name)
        if self.single_user:
            return events
        out = []
        for event in events:
            state = event["after"] or event["before"] or {}
            where = state.get("map_id")
            if where is not None:
                ok = self.can("manage_users", where)
            else:
                ok = name == self.user or any(self.can("manage_users", m)
                                              for m in accounts.maps_of(self._store, name))
            if ok:
                out.append(event)
        return out

    def _known(self, map_ref: str) -> str:
        map_id = self.map_id(map_ref)
        if map_id is None:
            msg = f"unknown map {map_ref!r}: create it first with 'buurtkaart map create'"
            raise NotFoundError(msg)
        return map_id
