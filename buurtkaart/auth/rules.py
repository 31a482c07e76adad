"""The one rule table of buurtkaart: which role may do which action on a map.

Roles are per map (a user may be admin of one map and viewer of another).
Every check in the data layer (:mod:`buurtkaart.auth.guard`), the CLI and the
app asks :func:`can` or :func:`require`; nothing else decides permissions.

The table reads like uMap's small permission methods (``can_edit``,
``can_delete``...), but in one place so that a test can walk every role
against every action.
"""

from __future__ import annotations

from buurtkaart._errors import InputError, PermissionDenied

#: Roles a membership can hold, from least to most powerful.
ROLES: tuple[str, ...] = ("viewer", "editor", "admin")

#: Every action the rule table knows, with a one-line description (English).
ACTIONS: dict[str, str] = {
    "read": "see the map and the team profile (actors, links, contacts, meetings, history)",
    "export_public": "export the public profile",
    "export_team": "export the team profile",
    "edit_actors": "add, change or delete actors",
    "edit_links": "add, change or delete links between actors",
    "edit_contacts": "log contacts with actors",
    "edit_signals": "add or triage neighbourhood signals",
    "edit_agenda": "add or change agenda items",
    "edit_meetings": "record team meetings, decisions and actions",
    "edit_reflections": "record domain reflections",
    "edit_places": "import OSM places and dismiss candidates",
    "import": "import files into the map",
    "set_exact_location": "store a person's exact location (with a reason)",
    "edit_map": "move the organisation, change its name, address and area",
    "manage_map": "archive or delete the map",
    "manage_users": "add, remove users and change their roles on the map",
    "export_full": "export everything, including history (admin backup)",
    "forget": "erase a person and redact them in the history ('Vergeet deze persoon')",
    "backup": "make a backup of the store",
    "restore": "restore the store from a backup",
}

_VIEWER = frozenset({"read", "export_public", "export_team"})
_EDITOR = _VIEWER | {
    "edit_actors", "edit_links", "edit_contacts", "edit_signals", "edit_agenda",
    "edit_meetings", "edit_reflections", "edit_places", "import", "set_exact_location",
    "edit_map",
}
_ADMIN = _EDITOR | {"manage_map", "manage_users", "export_full", "forget", "backup", "restore"}

#: THE rule table: role -> the actions it allows.
RULES: dict[str, frozenset[str]] = {
    "viewer": _VIEWER,
    "editor": frozenset(_EDITOR),
    "admin": frozenset(_ADMIN),
}


#: Actions outside any map, allowed to every logged-in user: creating a map
#: (its creator becomes its first admin) and listing the maps one is member of.
CREATE_MAP = "create_map"
LIST_MAPS = "list_maps"
ANY_USER_ACTIONS = frozenset({CREATE_MAP, LIST_MAPS})


def check_role(role: str) -> str:
    """Return ``role`` if it is a known role, else raise.

    Raises
    ------
    InputError
        When ``role`` is not one of :data:`ROLES`.
    """
    if role not in RULES:
        msg = f"unknown role {role!r}: expected one of {', '.join(ROLES)}"
        raise InputError(msg)
    return role


def can(role: str | None, action: str) -> bool:
    """Return whether ``role`` may do ``action``.

    Parameters
    ----------
    role : str or None
        ``"viewer"``, ``"editor"``, ``"admin"``, or None (no membership).
    action : str
        A key of :data:`ACTIONS`.

    Returns
    -------
    bool
        False for no role, an unknown role or an unknown action (fail closed).
    """
    if role is None:
        return False
    return action in RULES.get(role, frozenset())


def required_role(action: str) -> str | None:
    """Return the least powerful role allowing ``action`` (None if no role does)."""
    return next((role for role in ROLES if action in RULES[role]), None)


def reason(user: str, role: str | None, action: str, map_name: object = None) -> str:
    """Return the one-line reason why ``user`` with ``role`` may not do ``action``."""
    where = f" on map {map_name!r}" if map_name is not None else ""
    what = ACTIONS.get(action)
    if what is None:
        return f"unknown action {action!r}: refused for user {user!r}{where}"
    needed = required_role(action)
    has = f"role {role!r}" if role else "no role"
    return (f"permission denied: user {user!r} has {has}{where}; "
            f"{action!r} ({what}) needs role {needed!r}")


def require(role: str | None, action: str, *, user: str = "?", map_name: object = None) -> None:
    """Raise :class:`PermissionDenied` unless ``role`` may do ``action``.

    Parameters
    ----------
    role : str or None
        The user's membership role on the map, None when they have none.
    action : str
        A key of :data:`ACTIONS`.
    user : str
        Named in the message.
    map_name : object
        The map's name or id, named in the message.

    Raises
    ------
    PermissionDenied
        With a one-line reason naming user, role, action and the role needed (exit 5).
    """
    if not can(role, action):
        raise PermissionDenied(reason(user, role, action, map_name))
