"""The rule table: every role against every action, and the refusal message."""

from __future__ import annotations

import pytest

from buurtkaart._errors import InputError, PermissionDenied
from buurtkaart.auth import rules

# Written from issue 8, independently of the table in rules.py:
# viewer sees the team profile; editor edits actors, signals, meetings (and the
# other team records) and imports; admin manages users, full export, erasure, backups.
LEAST_ROLE = {
    "read": "viewer", "export_public": "viewer", "export_team": "viewer",
    "edit_actors": "editor", "edit_links": "editor", "edit_contacts": "editor",
    "edit_signals": "editor", "edit_agenda": "editor", "edit_meetings": "editor",
    "edit_reflections": "editor", "edit_places": "editor", "import": "editor",
    "set_exact_location": "editor", "edit_map": "editor",
    "manage_map": "admin", "manage_users": "admin", "export_full": "admin",
    "forget": "admin", "backup": "admin", "restore": "admin",
}
RANK = {"viewer": 1, "editor": 2, "admin": 3}


def test_table_covers_exactly_the_documented_actions() -> None:
    assert set(rules.ACTIONS) == set(LEAST_ROLE)
    assert set(rules.RULES) == set(RANK) == set(rules.ROLES)


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
@pytest.mark.parametrize("action", sorted(LEAST_ROLE))
def test_every_role_against_every_action(role: str, action: str) -> None:
    expected = RANK[role] >= RANK[LEAST_ROLE[action]]
    assert rules.can(role, action) is expected
    if expected:
        rules.require(role, action, user="amina", map_name="Buurthuis")
    else:
        with pytest.raises(PermissionDenied) as info:
            rules.require(role, action, user="amina", map_name="Buurthuis")
        text = str(info.value)
        assert "\n" not in text
        assert "amina" in text and role in text and action in text
        assert LEAST_ROLE[action] in text and "Buurthuis" in text
        assert info.value.exit_code == 5


@pytest.mark.parametrize("role", [None, "", "owner", "ADMIN"])
def test_no_or_unknown_role_may_do_nothing(role: str | None) -> None:
    assert not any(rules.can(role, action) for action in LEAST_ROLE)
    with pytest.raises(PermissionDenied, match=r"no role|owner|ADMIN|''"):
        rules.require(role, "read", user="x")


def test_unknown_action_is_refused_for_admin() -> None:
    assert not rules.can("admin", "drop_database")
    with pytest.raises(PermissionDenied, match="unknown action 'drop_database'"):
        rules.require("admin", "drop_database", user="root")


def test_required_role_is_the_least_powerful() -> None:
    for action, role in LEAST_ROLE.items():
        assert rules.required_role(action) == role
    assert rules.required_role("nope") is None


def test_check_role() -> None:
    assert rules.check_role("editor") == "editor"
    with pytest.raises(InputError, match="unknown role 'boss'"):
        rules.check_role("boss")
