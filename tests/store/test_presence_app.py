"""The live map in the app (AppTest on a real store): presence, co-editors, single-user mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest
from support.fixtures_app import APP_SCRIPT

from buurtkaart.app import live
from buurtkaart.app.common import md_escape
from buurtkaart.auth import accounts
from buurtkaart.i18n import t
from buurtkaart.store import open_store

APP = str(APP_SCRIPT)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    m = store.create_map("amina", name="Buurthuis", org_name="Vzw De Brug", lat=50.855,
                         lon=4.338)
    actor = store.add_actor("amina", m["id"], name="Moskee Al-Khalil", roles=["partner"],
                            lat=50.856, lon=4.339)
    for name in ("amina", "youssef"):
        accounts.add_user(store, name, None, map_id=m["id"], role="editor")
    monkeypatch.setenv("BUURTKAART_DB", url)
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BUURTKAART_BASEMAP", "none")
    try:
        yield {"store": store, "map": m["id"], "actor": actor["id"]}
    finally:
        store.close()


def _rows(store: Any, table: str) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(sa.text(f"SELECT * FROM {table}")).all())


def _session(user: str | None, selected: Any = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if user:
        at.session_state["user"] = user
        at.session_state["_auth_ok"] = user
    if selected:
        at.session_state["selected"] = selected
    return at


def _texts(at: AppTest) -> str:
    parts: list[Any] = [*at.markdown, *at.caption, *at.warning, *at.subheader, *at.sidebar.markdown,
                        *at.sidebar.caption]
    return "\n".join(str(p.value) for p in parts)


def test_single_user_mode_writes_no_presence(db: dict[str, Any],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "1")
    at = _session(None, selected=("actor", db["actor"]))
    at.run()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Moskee Al" in _texts(at)  # the page and the actor panel were drawn
    assert _rows(db["store"], "presence") == [] and _rows(db["store"], "seen_marks") == []
    assert t("live.here_title", "nl") not in _texts(at)


def test_presence_and_co_editors_between_two_sessions(db: dict[str, Any],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    youssef = _session("youssef", selected=("actor", db["actor"]))
    youssef.run()
    assert not youssef.exception, [e.value for e in youssef.exception]
    beats = _rows(db["store"], "presence")
    assert [(r.user_name, r.page, r.entity_id) for r in beats] == [
        ("youssef", "kaart", db["actor"])]
    amina = _session("amina", selected=("actor", db["actor"]))
    amina.run()
    assert not amina.exception, [e.value for e in amina.exception]
    text = _texts(amina)
    assert "**YO** youssef · Kaart" in text
    assert t("live.co_editing_one", "nl", name="youssef") in text
    assert len(_rows(db["store"], "presence")) == 2
    amina.run()  # a rerun within BEAT_S writes no new heartbeat
    assert max(r.beat_at for r in _rows(db["store"], "presence")
               if r.user_name == "amina") == next(
        r.beat_at for r in _rows(db["store"], "presence") if r.user_name == "amina")


def test_beat_is_throttled_to_one_write_per_interval() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.calls: list[tuple[Any, ...]] = []

        def heartbeat(self, *args: Any) -> None:
            self.calls.append(args)

        def leave_map(self, *args: Any) -> None:
            self.calls.append(("leave", *args))

    rec = Recorder()
    state: dict[str, Any] = {"session": "s1", "beat": None, "beat_at": -1e9}
    writes = [live.beat(rec, state, "m1", "actoren", now=float(s))  # type: ignore[arg-type]
              for s in range(0, 60)]  # a tick every second for a minute
    assert sum(writes) == 6 and len(rec.calls) == 6


def test_toast_texts_name_who_changed_what() -> None:
    rows = [{"entity": "actor", "entity_id": "a1", "op": "update", "user": "Amina",
             "label": "Moskee Al-Khalil", "seq": 1},
            {"entity": "link", "entity_id": "l1", "op": "insert", "user": "Amina",
             "label": "", "seq": 2}]
    mosque = md_escape("Moskee Al-Khalil")  # a toast is Markdown
    assert live.toasts(rows, "nl") == [f"Amina heeft {mosque} bijgewerkt",
                                       "Amina heeft een relatie toegevoegd"]
    assert live.toasts(rows, "fr")[0] == f"Amina a mis à jour {mosque}"
    many = [{**rows[0], "entity_id": f"a{i}", "label": f"Actor {i}"} for i in range(6)]
    out = live.toasts(many, "en")
    assert len(out) == live.MAX_TOASTS and out[-1] == "and 4 more changes"
    assert live.initials("Amina El Idrissi") == "AE" and live.initials("youssef") == "YO"


def test_since_i_last_looked_lists_changes_by_others(db: dict[str, Any],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    store = db["store"]
    store.mark_seen("amina", db["map"])
    store.update_actor("youssef", db["actor"], {"strength": 3})
    store.update_actor("amina", db["actor"], {"notes": "eigen werk"})  # her own: not listed
    amina = _session("amina")
    amina.run()
    assert not amina.exception, [e.value for e in amina.exception]
    labels = [e.label for e in amina.sidebar.expander]
    assert t("live.seen.title", "nl", n=1) in labels
    assert any("youssef" in str(m.value) and t("live.op.update", "nl") in str(m.value)
               for m in amina.sidebar.markdown)
    changes = store.changes_since_seen("amina", db["map"])
    assert live.since_highlight(changes) == {"new": [], "changed": [db["actor"]], "gone": []}
    amina.sidebar.button(key="live_seen").click().run()
    assert t("live.seen.title", "nl", n=0) in [e.label for e in amina.sidebar.expander]
