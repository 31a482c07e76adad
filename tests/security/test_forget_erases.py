"""Attack: "forget this person" while a reader holds the store; restore an old backup.

The SQLite files are scanned byte for byte for the forgotten name: a forget
that cannot compact them says so (StoreError, CLI exit non-zero) and leaves a
pending erasure, completed once the reader is gone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from buurtkaart._errors import StoreError
from buurtkaart.cli import main
from buurtkaart.store import Store, erase, open_store

NAME = "Zyxwanda Qorthuys"
NOTES = "woont boven de bakkerij, belt liefst na 18u"


def _on_disk(db: Path, text: str) -> bool:
    blob = b"".join(p.read_bytes() for p in (db, db.with_name(db.name + "-wal")) if p.exists())
    return text.encode() in blob


@pytest.fixture
def person(tmp_path: Path) -> Iterator[tuple[Store, Path, str, str]]:
    db = tmp_path / "store.db"
    store = open_store(f"sqlite:///{db}")
    the_map = store.create_map("admin", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
    actor = store.add_actor("admin", the_map["id"], name=NAME, kind="person", notes=NOTES,
                            lat=50.85, lon=4.34)
    store.add_contact("admin", actor["id"], "2026-11-30", "phone", "reached",
                      note=f"{NAME} komt naar het buurtfeest")
    store.vacuum()
    assert _on_disk(db, NAME) and _on_disk(db, NOTES)
    yield store, db, the_map["id"], actor["id"]
    store.close()


def test_forget_with_a_blocking_reader_says_so_then_completes(
        person: tuple[Store, Path, str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    store, db, _, actor_id = person
    monkeypatch.setattr(erase, "PAUSE_S", 0.05)
    reader = sqlite3.connect(db)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM actors").fetchone() == (1,)  # holds a snapshot
    try:
        with pytest.raises(StoreError, match="NOT yet erased"):
            store.forget_actor("admin", actor_id)
        assert [p["actor_id"] for p in erase.pending(store._engines)] == [actor_id]
    finally:
        reader.rollback()
        reader.close()
    again = open_store(f"sqlite:///{db}")  # the next open completes the pending erasure
    try:
        assert erase.pending(again._engines) == []
    finally:
        again.close()
    assert not _on_disk(db, NAME) and not _on_disk(db, NOTES)


def test_the_cli_forget_exits_non_zero_while_blocked(
        person: tuple[Store, Path, str, str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, db, _, actor_id = person
    monkeypatch.setattr(erase, "PAUSE_S", 0.05)
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "1")
    reader = sqlite3.connect(db)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM actors").fetchone()
    try:
        code = main(["forget", "--db", str(db), "--map", "Buurthuis", "--id", actor_id])
    finally:
        reader.rollback()
        reader.close()
    err = capsys.readouterr().err
    assert code != 0 and "NOT yet erased" in err and "another process" in err
    assert main(["forget", "--db", str(db), "--map", "Buurthuis", "--id", actor_id]) != 0
    assert not _on_disk(db, NAME)  # the store was free: the pending erasure ran at open


def test_forget_shows_other_records_naming_the_person(
        person: tuple[Store, Path, str, str]) -> None:
    store, db, map_id, actor_id = person
    other = store.add_actor("admin", map_id, name="Moskee Al Amal", kind="organisation",
                            notes=f"contact via {NAME.upper()}", lat=50.85, lon=4.34)
    hits = store.forget_actor("admin", actor_id)
    assert hits == [{"entity": "actor", "id": other["id"], "field": "notes"}]
    assert not _on_disk(db, NOTES)


def test_restore_of_an_older_backup_does_not_bring_the_person_back(
        person: tuple[Store, Path, str, str], tmp_path: Path) -> None:
    store, db, map_id, actor_id = person
    old = store.backup(tmp_path / "before.db")
    store.forget_actor("admin", actor_id)
    assert store.restore(old) == [actor_id]
    assert [a["id"] for a in store.list_actors(map_id)] == []
    assert [e["op"] for e in store.history(actor_id)][-1] == "forget"
    assert not _on_disk(db, NAME)
    assert store.restore(old) == [actor_id]  # the tombstone survived the first restore
    assert store.restore(old, bring_back_forgotten=True) == [actor_id]
    assert [a["name"] for a in store.list_actors(map_id)] == [NAME]


def test_cli_restore_reports_the_forgotten(person: tuple[Store, Path, str, str],
                                           tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    store, db, _, actor_id = person
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "1")
    old = store.backup(tmp_path / "before.db")
    store.forget_actor("admin", actor_id)
    store.close()
    assert main(["restore", str(old), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "erased again" in out and actor_id in out and NAME not in out
