"""Logins, roles and their enforcement.

* :mod:`~buurtkaart.auth.rules` — the one rule table (role -> allowed actions);
* :mod:`~buurtkaart.auth.guard` — :class:`GuardedStore`, enforcement in the data layer;
* :mod:`~buurtkaart.auth.accounts` — local argon2 accounts and map memberships;
* :mod:`~buurtkaart.auth.lookup` — which map a record belongs to (for the guard).
The Streamlit login gate is :mod:`buurtkaart.app.login`.
"""

from __future__ import annotations

from buurtkaart.auth.guard import GuardedStore, acting_user, open_guarded, single_user_mode
from buurtkaart.auth.rules import ACTIONS, ROLES, RULES, can, require

__all__ = ["ACTIONS", "ROLES", "RULES", "GuardedStore", "acting_user", "can", "open_guarded",
           "require", "single_user_mode"]
