"""Attack: read the database password off any page, as any role (AppTest, PostgreSQL).

The app runs on a PostgreSQL store whose URL carries a password (the test
server trusts loopback, so the password is accepted and ignored). Every
element of every page, as the login screen, a viewer, an editor and an
admin, is searched for it.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from support.fixtures_app import APP_SCRIPT, switch_to
from support.fixtures_store import PgServer

from buurtkaart.app.frame import PAGES
from buurtkaart.auth import accounts
from buurtkaart.demo import ensure_demo_store
from buurtkaart.store import open_store
from buurtkaart.store.engine import display_name

PASSWORD = "S3cretDbPass!x7"
ROLES = {"vera": "viewer", "eddy": "editor", "anna": "admin"}


@pytest.fixture(scope="module")
def secret_url(pg_server: PgServer) -> str:
    url = pg_server.create_schema()
    quoted = urllib.parse.quote(PASSWORD, safe="")
    secret = url.replace("postgres@", f"postgres:{quoted}@", 1)
    map_id = ensure_demo_store(secret)
    store = open_store(secret)
    for name, role in ROLES.items():
        accounts.add_user(store, name, f"{name}-wachtwoord", map_id=map_id, role=role)
    store.close()
    return secret


@pytest.fixture
def app_env(secret_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("BUURTKAART_DB", secret_url)
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BUURTKAART_USER", raising=False)
    yield secret_url


def _all_text(at: AppTest) -> str:
    """Every element's protobuf (labels, values, tables, captions, errors) as text."""
    out: list[str] = []
    stack: list[Any] = [at._tree]
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        stack.extend(getattr(node, "children", {}).values())
    return "\n".join(out)


def _leaks(text: str) -> bool:
    forms = {PASSWORD, urllib.parse.quote(PASSWORD, safe=""), PASSWORD.replace("!", "\\!")}
    return any(f in text for f in forms)


def test_display_name_shows_backend_and_database_only() -> None:
    shown = display_name(f"postgresql://bk:{PASSWORD}@db.example:5432/buurt?sslmode=require")
    assert shown == "postgresql · buurt"
    assert display_name("sqlite:////srv/data/buurt.db") == "sqlite · buurt.db"


def test_the_login_page_shows_no_password(app_env: str) -> None:
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=90).run()
    text = _all_text(at)
    assert at.text_input(key="login_password") and not _leaks(text)


@pytest.mark.parametrize("user", sorted(ROLES))
def test_no_page_shows_the_password_to_any_role(app_env: str, user: str) -> None:
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=90)
    at.session_state["user"] = user
    at.session_state["_auth_ok"] = user
    at.run()
    seen = [_all_text(at)]
    for _, _, url, _ in PAGES[1:]:
        switch_to(at, url)
        at.run()
        seen.append(_all_text(at))
    text = "\n".join(seen)
    assert "postgres" in text.lower() or "opslag" in text  # the pages did render
    assert not _leaks(text), user
    if ROLES[user] == "admin":
        assert "postgresql · stores" in text  # Instellingen names the store, safely


def test_the_scan_catches_the_url_as_it_was_shown_before(secret_url: str) -> None:
    """The scan is not blind: the raw setting (what Instellingen printed) is a leak."""
    assert _leaks(secret_url)
    assert not _leaks(display_name(secret_url))
