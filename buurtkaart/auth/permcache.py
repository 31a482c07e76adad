"""A per-session cache of the guard's look-ups: map ids and the user's roles.

Every guarded store call checks the user's role on the map it touches. Without a
cache that is two or three small queries per call, which made a live session's
poll every 1.5 s cost five or six transactions (issue 15). A browser session keeps
one :class:`PermissionCache` and hands it to each :class:`~buurtkaart.auth.guard.GuardedStore`
it makes; the guard then asks the database again only

- for a map or role it has not seen yet (a missing role is never cached, so a
  new membership counts at once), and
- every :data:`CHECK_S` seconds, when it reads the account's ``session_version``
  (:mod:`buurtkaart.auth.sessions`): it is bumped with every role change, removed
  membership and disabled account, and a changed version empties the cache.

So a revoked role stops a live poll within :data:`CHECK_S` seconds, on every
replica (the version is read from the database, never from another process), and a
full page run ends the session at once (the login gate compares the version).
Pure bookkeeping: the guard does the queries.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Seconds between two reads of the account's session version by the guard.
CHECK_S = 10.0


@dataclass
class PermissionCache:
    """Map ids and roles of ONE user, valid while its session version is unchanged."""

    user: str
    version: int | None = None
    checked_at: float | None = None
    map_ids: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)

    def due(self, now: float | None = None) -> bool:
        """Return whether the session version must be read again."""
        moment = time.monotonic() if now is None else now
        return self.checked_at is None or moment - self.checked_at >= CHECK_S

    def renew(self, version: int | None, now: float | None = None) -> None:
        """Take the version just read; a different one (or none) empties the cache."""
        if version is None or version != self.version:
            self.clear()
        self.version = version
        self.checked_at = time.monotonic() if now is None else now

    def clear(self) -> None:
        """Forget every map id and role (the next calls ask the database)."""
        self.map_ids.clear()
        self.roles.clear()

    def get(self, table: str, key: str, load: Callable[[], Any], keep: Callable[[Any], bool],
            version: Callable[[], int | None]) -> Any:
        """Return ``key`` of ``table`` (``map_ids`` or ``roles``), else ``load()`` it.

        ``version()`` reads the session version when due; a loaded value is kept
        when ``keep(value)`` (a missing role or an unknown map never is).
        """
        if self.due():
            self.renew(version())
        values: dict[str, str] = getattr(self, table)
        if key in values:
            return values[key]
        value = load()
        if value is not None and keep(value):
            values[key] = value
        return value

