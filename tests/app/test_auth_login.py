"""The Streamlit login gate (AppTest): single-user mode, local accounts, OIDC button."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from buurtkaart.auth import accounts
from buurtkaart.store import open_store


def gate_app() -> None:
    import os

    import streamlit as st

    from buurtkaart.app import login
    from buurtkaart.store import open_store

    store = open_store(os.environ["BK_LOGIN_TEST_DB"])
    user = login.current_user(store, "nl")
    st.markdown(f"WELKOM {user}")
    st.markdown(f"ROL {login.guarded(store).role('Buurthuis')}")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    store.create_map("setup", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
    store.close()
    monkeypatch.setenv("BK_LOGIN_TEST_DB", url)
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    monkeypatch.delenv("BUURTKAART_USER", raising=False)
    return url


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error]
    parts += [w.value for w in at.sidebar.warning] + [c.value for c in at.sidebar.caption]
    return "\n".join(str(p) for p in parts)


def test_single_user_mode_says_so_and_allows_all(db: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "1")
    at = AppTest.from_function(gate_app, default_timeout=30).run()
    text = _texts(at)
    assert "Eén-gebruikersmodus" in text and "WELKOM lokale-gebruiker" in text
    assert "ROL admin" in text


def test_no_accounts_no_entry(db: str) -> None:
    at = AppTest.from_function(gate_app, default_timeout=30).run()
    text = _texts(at)
    assert "nog geen accounts" in text and "WELKOM" not in text


def test_local_account_login(db: str) -> None:
    store = open_store(db)
    map_id = store.get_map("Buurthuis")["id"]
    accounts.add_user(store, "amina", "amina-geheim", map_id=map_id, role="editor")
    store.close()
    at = AppTest.from_function(gate_app, default_timeout=30).run()
    assert "WELKOM" not in _texts(at)
    at.text_input(key="login_name").set_value("amina")
    at.text_input(key="login_password").set_value("fout-wachtwoord")
    at.button[0].click().run()
    assert "Onbekende gebruiker of fout wachtwoord" in _texts(at)
    assert "WELKOM" not in _texts(at)
    at.text_input(key="login_name").set_value("amina")
    at.text_input(key="login_password").set_value("amina-geheim")
    at.button[0].click().run()
    text = _texts(at)
    assert "WELKOM amina" in text and "ROL editor" in text and "Ingelogd als amina" in text


def test_oidc_configured_shows_the_login_button(db: str) -> None:
    at = AppTest.from_function(gate_app, default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback",
                          "cookie_secret": "x" * 32, "client_id": "id", "client_secret": "s",
                          "server_metadata_url": "https://idp.invalid/.well-known"}
    at.run()
    assert [b.label for b in at.button] == ["Inloggen met je organisatie-account"]
    assert "WELKOM" not in _texts(at)
