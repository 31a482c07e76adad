"""Attack: guessing passwords. Delays grow, then a lockout holds in the database.

The throttle is checked in the store's database (not in the session), so a
new session, another process or another replica sees the same lockout. Time
is passed in (``now``): no test sleeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from buurtkaart.auth import accounts, throttle
from buurtkaart.store import Store, open_store
from buurtkaart.store.schema import events

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.usefixtures("cheap_argon2")  # the throttle is tested, not argon2


@pytest.fixture
def amina(store: Store) -> Store:
    the_map = store.create_map("setup", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
    accounts.add_user(store, "amina", "amina-geheim", map_id=the_map["id"], role="editor")
    return store


def _fail_until_locked(store: Store, client: str | None) -> dt.datetime:
    """Fail MAX_FAILURES times, each after the delay asked; return the time of the last try."""
    now = T0
    for n in range(throttle.MAX_FAILURES):
        result = throttle.login(store, "amina", f"gok-{n}", client=client, now=now)
        assert not result.ok
        now += dt.timedelta(seconds=result.wait_s + 0.5)
    return now - dt.timedelta(seconds=throttle.LOCKOUT_S + 0.5)


def test_after_n_failures_the_right_password_is_refused_for_the_lockout(
        amina: Store) -> None:
    last = _fail_until_locked(amina, client="203.0.113.7")
    during = last + dt.timedelta(seconds=throttle.LOCKOUT_S - 5)
    refused = throttle.login(amina, "amina", "amina-geheim", client="198.51.100.1", now=during)
    assert not refused.ok and refused.locked and 0 < refused.wait_s <= 5
    after = last + dt.timedelta(seconds=throttle.LOCKOUT_S + 1)
    assert throttle.login(amina, "amina", "amina-geheim", client="198.51.100.1", now=after).ok


def test_delays_grow_between_failures(amina: Store) -> None:
    waits = []
    now = T0
    for n in range(throttle.MAX_FAILURES - 1):
        result = throttle.login(amina, "amina", f"gok-{n}", now=now)
        waits.append(result.wait_s)
        if result.wait_s > 0:  # the right password is refused while waiting
            assert not throttle.login(amina, "amina", "amina-geheim", now=now).ok
        now += dt.timedelta(seconds=result.wait_s + 0.1)
    assert waits == sorted(waits) and waits[0] == 0 and waits[-1] > waits[1] > 0


def test_one_client_guessing_many_accounts_is_slowed_then_locked(
        amina: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throttle, "CLIENT_FREE", 3)  # scaled down: each try costs argon2
    monkeypatch.setattr(throttle, "CLIENT_LOCK_FAILURES", 8)
    now, result = T0, None
    for n in range(throttle.CLIENT_LOCK_FAILURES):  # a different account every try
        result = throttle.login(amina, f"user{n}", "gok", client="203.0.113.9", now=now)
        assert not result.ok
        if not result.locked:
            now += dt.timedelta(seconds=result.wait_s + 0.1)
    assert result is not None and result.locked
    assert not throttle.login(amina, "amina", "amina-geheim", client="203.0.113.9",
                              now=now).ok
    assert throttle.login(amina, "amina", "amina-geheim", client="198.51.100.2", now=now).ok


def test_logins_are_in_the_audit_log_without_password(amina: Store) -> None:
    throttle.login(amina, "amina", "fout-wachtwoord", client="203.0.113.7", now=T0)
    throttle.login(amina, "amina", "amina-geheim", client="203.0.113.7", now=T0)
    with amina.engine.connect() as conn:
        rows = conn.execute(sa.select(events.c.op, events.c.user, events.c.after)
                            .where(events.c.entity == "login").order_by(events.c.seq)).all()
    assert [(r.op, r.user) for r in rows] == [("failure", "amina"), ("success", "amina")]
    assert rows[0].after["client"] == "203.0.113.7"
    assert "fout-wachtwoord" not in str(rows) and "amina-geheim" not in str(rows)


def test_the_lockout_holds_in_another_process_store(amina: Store) -> None:
    _fail_until_locked(amina, client=None)
    other = open_store(amina.engine.url.render_as_string(hide_password=False))
    try:
        wait, locked = throttle.wait_for(other, throttle.keys("amina", None),
                                         T0 + dt.timedelta(minutes=1))
    finally:
        other.close()
    assert locked and wait > 0


def _gate() -> None:
    import os

    import streamlit as st

    from buurtkaart.app import login
    from buurtkaart.store import open_store

    user = login.current_user(open_store(os.environ["BK_BRUTE_DB"]), os.environ["BK_LANG"])
    st.markdown(f"WELKOM {user}")


@pytest.fixture
def gate_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    the_map = store.create_map("setup", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
    accounts.add_user(store, "amina", "amina-geheim", map_id=the_map["id"], role="editor")
    monkeypatch.setenv("BK_BRUTE_DB", url)
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    monkeypatch.delenv("BUURTKAART_USER", raising=False)
    yield store
    store.close()


@pytest.mark.parametrize(("lang", "words"), [("nl", "geblokkeerd"), ("fr", "bloquée"),
                                             ("en", "locked")])
def test_the_login_form_shows_the_lockout(gate_db: Store, lang: str, words: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BK_LANG", lang)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=60)
    for n in range(throttle.MAX_FAILURES):  # earlier tries, from other sessions
        throttle.login(gate_db, "amina", f"gok-{n}", now=now)
        now += dt.timedelta(seconds=throttle.delay_after(n + 1) + 0.1)
    at = AppTest.from_function(_gate, default_timeout=30).run()
    at.text_input(key="login_name").set_value("amina")
    at.text_input(key="login_password").set_value("amina-geheim")
    at.button[0].click().run()
    assert any(words in e.value for e in at.error), [e.value for e in at.error]
    assert not any("WELKOM" in m.value for m in at.markdown)
