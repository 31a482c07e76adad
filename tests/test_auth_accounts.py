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
                        "--role", "admin", "--password", "ann-password", "--user", "ann")
    assert code == 0 and "ann" in out
    code, _, _ = _cli(capsys, "user", "add", "eddy", "--db", url, "--map", "Buurthuis",
                      "--role", "editor", "--password", "eddy-password", "--user", "ann")
    assert code == 0
    # an editor may not manage users: exit 5, one line
    code, _, err = _cli(capsys, "user", "add", "mallory", "--db", url, "--map", "Buurthuis",
                        "--role", "admin", "--password", "mallory-pass", "--user", "eddy")
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
                        "--role", "admin", "--password", "ann-password", "--user", "ann")
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
