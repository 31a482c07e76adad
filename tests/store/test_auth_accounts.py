"""Local accounts: argon2 hashes in the store, memberships, and the CLI that manages them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from buurtkaart._errors import InputError, NotFoundError, StoreError
from buurtkaart.auth import accounts
from buurtkaart.cli import main
from buurtkaart.store import open_store


@pytest.fixture(autouse=True)
def _passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI reads passwords from the environment (never from argv)."""
    monkeypatch.setenv("BK_PW_ANN_PASSWORD", "ann-password")
    monkeypatch.setenv("BK_PW_EDDY_PASSWORD", "eddy-password")
    monkeypatch.setenv("BK_PW_MALLORY_PASS", "mallory-pass")
    monkeypatch.setenv("BK_PW_ANN_WACHTWOORD", "ann-wachtwoord")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(store URL, map id) with one map 'Buurthuis' and no members."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    the_map = store.create_map("setup", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
    store.close()
    yield url, the_map["id"]


@pytest.fixture
def store(db: tuple[str, str]) -> Iterator[Any]:
    opened = open_store(db[0])
    yield opened
    opened.close()


def _raw_rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_password_is_stored_as_argon2_never_in_clear(db: tuple[str, str], store: Any) -> None:
    accounts.add_user(store, "amina", "geheim-wachtwoord", map_id=db[1], role="editor")
    (stored,) = _raw_rows(db[0], "SELECT password_hash FROM users WHERE name = 'amina'")[0]
    assert stored.startswith("$argon2id$")
    assert "geheim" not in stored
    assert accounts.verify_password(store, "amina", "geheim-wachtwoord")
    assert not accounts.verify_password(store, "amina", "geheim-wachtwoorD")
    assert not accounts.verify_password(store, "nobody", "geheim-wachtwoord")
    assert accounts.role_of(store, "amina", db[1]) == "editor"


def test_roles_change_and_memberships_go(db: tuple[str, str], store: Any) -> None:
    accounts.add_user(store, "amina", "geheim-wachtwoord", map_id=db[1], role="viewer")
    accounts.set_role(store, "amina", db[1], "admin")
    assert accounts.members_of(store, db[1]) == {"amina": "admin"}
    accounts.remove_user(store, "amina", db[1])
    assert accounts.role_of(store, "amina", db[1]) is None
    assert accounts.verify_password(store, "amina", "geheim-wachtwoord")
    accounts.remove_user(store, "amina")
    assert not accounts.verify_password(store, "amina", "geheim-wachtwoord")
    with pytest.raises(NotFoundError, match="'zoe'"):
        accounts.set_role(store, "zoe", db[1], "viewer")


@pytest.mark.parametrize(("name", "password", "match"), [
    ("", "lang-genoeg", "user name"), ("a\nb", "lang-genoeg", "control"),
    ("x" * 65, "lang-genoeg", "1 to 64"), ("amina", "kort", "too short"),
])
def test_bad_names_and_passwords(store: Any, name: str, password: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        accounts.add_user(store, name, password)


def test_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    with pytest.raises(StoreError, match="no table 'users'"):
        accounts.has_users(engine)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_user_lifecycle_obeys_roles(db: tuple[str, str], store: Any,
                                        capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    url = db[0]
    monkeypatch.delenv("BUURTKAART_USER", raising=False)
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    # bootstrap: the map has no admin, whoever holds the store sets the first one
    code, out, _ = _cli(capsys, "user", "add", "ann", "--db", url, "--map", "Buurthuis",
                        "--role", "admin", "--password-env", "BK_PW_ANN_PASSWORD", "--user", "ann")
    assert code == 0 and "ann" in out
    code, _, _ = _cli(capsys, "user", "add", "eddy", "--db", url, "--map", "Buurthuis",
                      "--role", "editor", "--password-env", "BK_PW_EDDY_PASSWORD", "--user", "ann")
    assert code == 0
    # an editor may not manage users: exit 5, one line
    code, _, err = _cli(capsys, "user", "add", "mallory", "--db", url, "--map", "Buurthuis",
                        "--role", "admin", "--password-env", "BK_PW_MALLORY_PASS", "--user", "eddy")
    assert code == 5
    assert err.count("\n") == 1 and "eddy" in err and "manage_users" in err
    assert accounts.role_of(store, "mallory", db[1]) is None
    # nor promote himself, nor act without a name
    monkeypatch.setenv("BUURTKAART_USER", "eddy")
    code, _, err = _cli(capsys, "user", "set-role", "eddy", "--db", url, "--map", "Buurthuis",
                        "--role", "admin")
    assert code == 5 and accounts.role_of(store, "eddy", db[1]) == "editor"
    monkeypatch.delenv("BUURTKAART_USER")
    code, _, err = _cli(capsys, "user", "remove", "ann", "--db", url, "--map", "Buurthuis")
    assert code == 5 and "no acting user" in err
    # the admin lists, changes and removes
    code, out, _ = _cli(capsys, "user", "list", "--db", url, "--map", "Buurthuis",
                        "--format", "json", "--user", "eddy")
    assert code == 0
    assert json.loads(out) == [{"user": "ann", "role": "admin"},
                               {"user": "eddy", "role": "editor"}]
    assert _cli(capsys, "user", "set-role", "eddy", "--db", url, "--map", "Buurthuis",
                "--role", "viewer", "--user", "ann")[0] == 0
    assert accounts.role_of(store, "eddy", db[1]) == "viewer"
    assert _cli(capsys, "user", "remove", "eddy", "--db", url, "--map", "Buurthuis",
                "--user", "ann")[0] == 0
    assert accounts.members_of(store, db[1]) == {"ann": "admin"}


def test_cli_prompts_for_the_password(db: tuple[str, str], store: Any,
                                      capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["prompted-secret", "prompted-secret"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _, _ = _cli(capsys, "user", "add", "ann", "--db", db[0], "--map", "Buurthuis",
                      "--role", "admin", "--user", "ann")
    assert code == 0
    assert accounts.verify_password(store, "ann", "prompted-secret")
    answers = iter(["one-password", "another-password"])
    code, _, err = _cli(capsys, "user", "add", "bob", "--db", db[0], "--map", "Buurthuis",
                        "--role", "viewer", "--user", "ann")
    assert code == 2 and "differ" in err


def test_cli_unknown_map_and_role(db: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(capsys, "user", "add", "ann", "--db", db[0], "--map", "Nergens",
                        "--role", "admin", "--password-env", "BK_PW_ANN_PASSWORD", "--user", "ann")
    assert code == 2 and "'Nergens'" in err
    with pytest.raises(SystemExit) as info:
        main(["user", "add", "ann", "--db", db[0], "--map", "Buurthuis", "--role", "god"])
    assert info.value.code == 2


def test_cli_oidc_only_account_has_no_password(db: tuple[str, str], store: Any,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _cli(capsys, "user", "add", "amina@example.org", "--db", db[0], "--map",
                      "Buurthuis", "--role", "editor", "--no-password", "--user", "ann")
    assert code == 0
    assert accounts.role_of(store, "amina@example.org", db[1]) == "editor"
    assert not accounts.has_users(store)  # no local login exists
    assert not accounts.verify_password(store, "amina@example.org", "")


def test_account_changes_leave_events_without_hashes(db: tuple[str, str], store: Any) -> None:
    url, map_id = db
    accounts.add_user(store, "amina", "geheim-wachtwoord", map_id=map_id, role="viewer",
                      by="ann")
    accounts.set_role(store, "amina", map_id, "admin", by="ann")
    accounts.set_role(store, "amina", map_id, "admin", by="ann")  # no change, no event
    accounts.add_user(store, "amina", "nieuw-wachtwoord-1", by="amina")
    accounts.remove_user(store, "amina", map_id, by="bert")
    accounts.remove_user(store, "amina", by="bert")
    history = accounts.account_history(store, "amina")
    steps = [(e["entity"], e["op"], e["user"]) for e in history]
    assert steps == [("user", "insert", "ann"), ("membership", "insert", "ann"),
                     ("membership", "update", "ann"), ("user", "update", "amina"),
                     ("membership", "delete", "bert"), ("user", "update", "bert")]
    promoted = history[2]
    assert (promoted["before"]["role"], promoted["after"]["role"]) == ("viewer", "admin")
    assert promoted["after"]["map_id"] == map_id and promoted["map_id"] is None
    assert history[3]["after"]["password_changed"] is True
    assert history[-1]["after"]["disabled"] is True
    dumped = json.dumps(_raw_rows(url, "SELECT before, after FROM events"))
    assert "argon2" not in dumped and "password_hash" not in dumped
    assert "wachtwoord" not in dumped
    assert store.changes_since(map_id, "1970-01-01")[0]["entity"] == "map"  # map history intact


def test_cli_user_history_says_who_made_amina_admin(db: tuple[str, str],
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = db
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    base = ["--db", url, "--map", "Buurthuis"]
    assert main(["user", "add", "ann", *base, "--role", "admin", "--password-env",
                 "BK_PW_ANN_WACHTWOORD", "--user", "ann"]) == 0
    assert main(["user", "add", "amina", *base, "--role", "editor", "--no-password",
                 "--user", "ann"]) == 0
    assert main(["user", "set-role", "amina", *base, "--role", "admin", "--user", "ann"]) == 0
    capsys.readouterr()
    assert main(["user", "history", "amina", "--db", url, "--user", "ann",
                 "--format", "json"]) == 0
    events = json.loads(capsys.readouterr().out)
    made_admin = [e for e in events if e["entity"] == "membership"
                  and (e["after"] or {}).get("role") == "admin"]
    assert [(e["user"], e["before"]["role"]) for e in made_admin] == [("ann", "editor")]
    assert main(["user", "history", "amina", "--db", url, "--user", "ann"]) == 0
    table = capsys.readouterr().out
    assert "ann\tmembership\tupdate\trole editor -> admin" in table
    assert "account created" in table
    assert main(["user", "history", "amina", "--db", url, "--user", "nobody"]) == 0
    assert capsys.readouterr().out == ""  # an outsider sees none of it
