"""Attack: a session that outlives a password change, removal or role change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from buurtkaart.auth import accounts, sessions
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.cli import main
from buurtkaart.store import Store, open_store


def _gate() -> None:
    import os

    import streamlit as st

    from buurtkaart.app import login
    from buurtkaart.store import open_store

    user = login.current_user(open_store(os.environ["BK_SESSION_DB"]), "nl")
    st.markdown(f"WELKOM {user}")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, str]]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    the_map = store.create_map("setup", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
    accounts.add_user(store, "amina", "amina-geheim", map_id=the_map["id"], role="editor")
    monkeypatch.setenv("BK_SESSION_DB", url)
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    monkeypatch.delenv("BUURTKAART_USER", raising=False)
    yield store, the_map["id"]
    store.close()


def _logged_in() -> AppTest:
    at = AppTest.from_function(_gate, default_timeout=30).run()
    at.text_input(key="login_name").set_value("amina")
    at.text_input(key="login_password").set_value("amina-geheim")
    at.button[0].click().run()
    assert any("WELKOM amina" in m.value for m in at.markdown)
    return at


def test_a_password_change_ends_open_sessions(db: tuple[Store, str]) -> None:
    store, _ = db
    at = _logged_in()
    at.run()
    assert any("WELKOM amina" in m.value for m in at.markdown)  # still valid
    accounts.add_user(store, "amina", "nieuw-geheim")  # the password changes elsewhere
    at.run()
    assert not any("WELKOM" in m.value for m in at.markdown)
    assert at.text_input(key="login_password")
    assert any("beëindigd" in i.value for i in at.info)


@pytest.mark.parametrize("change", ["role", "removal", "disable"])
def test_role_change_and_removal_end_sessions(db: tuple[Store, str], change: str) -> None:
    store, map_id = db
    at = _logged_in()
    if change == "role":
        accounts.set_role(store, "amina", map_id, "viewer")
    elif change == "removal":
        accounts.remove_user(store, "amina", map_id)
    else:
        accounts.remove_user(store, "amina")
    at.run()
    assert not any("WELKOM" in m.value for m in at.markdown)


def test_session_versions_count_changes(db: tuple[Store, str]) -> None:
    store, map_id = db
    first = sessions.version(store, "amina")
    accounts.add_user(store, "amina", None, map_id=map_id, role="editor")  # no change
    assert sessions.version(store, "amina") == first
    accounts.add_user(store, "amina", "nieuw-geheim")
    assert sessions.version(store, "amina") == (first or 0) + 1
    accounts.remove_user(store, "amina")
    assert sessions.version(store, "amina") is None  # disabled: no session holds


def test_creating_a_map_does_not_re_enable_a_disabled_account(db: tuple[Store, str]) -> None:
    store, map_id = db
    accounts.remove_user(store, "amina")
    GuardedStore(store, "amina").create_map("amina", name="Eigen", org_name="X", lat=50.8,
                                            lon=4.3)
    assert accounts.get_user(store, "amina")["disabled"]  # type: ignore[index]
    assert accounts.role_of(store, "amina", store.get_map("Eigen")["id"]) is None
    accounts.set_role(store, "amina", map_id, "viewer")  # set-role re-enables, on purpose
    assert not accounts.get_user(store, "amina")["disabled"]  # type: ignore[index]


def test_the_cli_never_takes_a_password_from_argv(db: tuple[Store, str],
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = db
    url = store.engine.url.render_as_string(hide_password=False)
    base = ["user", "add", "bob", "--db", url, "--map", "Buurthuis", "--role", "viewer",
            "--user", "amina"]  # the map has no admin yet: bootstrap
    assert main([*base, "--password", "bob-geheim-1"]) == 2
    assert "process list" in capsys.readouterr().err
    monkeypatch.setenv("BOB_PW", "bob-geheim-2")
    assert main([*base, "--password-env", "BOB_PW"]) == 0
    assert accounts.verify_password(store, "bob", "bob-geheim-2")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("bob-geheim-3\n"))
    assert main([*base, "--password-stdin"]) == 0
    assert accounts.verify_password(store, "bob", "bob-geheim-3")
