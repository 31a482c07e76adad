""""Vergeet deze persoon": the person's data is gone from every byte of the store."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from buurtkaart.store import Store, open_store

NAME = "Josianne Vandenbroucke-QX7"
NOTE = "woont boven de bakker, gsm 0470-99-88-77"
CONTACT_NOTE = "Josianne-QX7 belde terug"
LAT, LON = 50.8551234, 4.3384321


def _setup(store: Store) -> dict[str, Any]:
    m = store.create_map("ann", name="Vergeten", org_name="O", lat=50.85, lon=4.34)
    person = store.add_actor("ann", m["id"], name=NAME, kind="person", notes=NOTE,
                             contact_person="Sara", lat=LAT, lon=LON,
                             location_precision="exact", location_reason="afgesproken",
                             roles=["vrijwilliger"])
    store.update_actor("bob", person["id"], {"notes": NOTE + " (2)", "strength": 2})
    other = store.add_actor("ann", m["id"], name="Bakkerij De Zon")
    link = store.add_link("ann", m["id"], person["id"], other["id"], "works_at",
                          note=f"{NAME} helpt er")
    old = store.add_contact("ann", person["id"], "2026-10-01", "visit", "reached", CONTACT_NOTE)
    store.add_contact("bob", person["id"], "2026-11-01", "phone", "no_answer", CONTACT_NOTE)
    return {"map": m, "person": person, "other": other, "link": link, "contact": old}


def _secrets() -> list[bytes]:
    return [NAME.encode(), b"QX7", b"0470-99-88-77", str(LAT).encode(), str(LON).encode(),
            struct.pack("<d", LAT), struct.pack(">d", LAT)]


def _check_forgotten(store: Store, ctx: dict[str, Any]) -> None:
    person_id = ctx["person"]["id"]
    assert [a["name"] for a in store.list_actors(ctx["map"]["id"])] == ["Bakkerij De Zon"]
    assert store.list_links(ctx["map"]["id"]) == []
    assert store.list_contacts(ctx["map"]["id"]) == []
    hist = store.history(person_id)
    assert hist[-1]["op"] == "forget" and hist[-1]["user"] == "admin"
    assert hist[-1]["before"] is None and hist[-1]["after"] is None
    for ev in hist[:-1]:
        for rec in (ev["before"], ev["after"]):
            assert rec is None or (rec["redacted"] and "name" not in rec)
    assert all("note" not in (e["before"] or {}) for e in store.history(ctx["link"]["id"]))


def test_forget_sqlite_bytes(tmp_path: Path) -> None:
    path = tmp_path / "forget.db"
    with open_store(str(path)) as store:
        ctx = _setup(store)
        store.vacuum()
        raw = path.read_bytes()
        assert all(s in raw for s in _secrets()[:5])  # the search does find them
        store.forget_actor("admin", ctx["person"]["id"])  # vacuums the file
        _check_forgotten(store, ctx)
        raw = path.read_bytes() + _wal(path)
        assert [s for s in _secrets() if s in raw] == []
    raw = path.read_bytes() + _wal(path)
    assert [s for s in _secrets() if s in raw] == []
    assert b"Bakkerij De Zon" in raw


def _wal(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return wal.read_bytes() if wal.exists() else b""


@pytest.mark.pg
def test_forget_postgres_tables(pg_server: Any) -> None:
    url = pg_server.create_schema()
    with open_store(url) as store:
        ctx = _setup(store)
        assert NAME in _dump(store)
        store.forget_actor("admin", ctx["person"]["id"])
        _check_forgotten(store, ctx)
        dump = _dump(store)
    for secret in (NAME, "QX7", "0470-99-88-77", str(LAT), str(LON)):
        assert secret not in dump
    assert "Bakkerij De Zon" in dump


def _dump(store: Store) -> str:
    """Every row of every table in the store's schema, as text."""
    parts = []
    with store.engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            rows = conn.exec_driver_sql(f'SELECT t::text FROM "{table}" t').scalars().all()
            parts.extend(rows)
    return "\n".join(parts)
