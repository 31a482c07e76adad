"""Backups: backup, change the map, restore; the full export equals the one before the change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from buurtkaart._errors import DataFileError, StoreError
from buurtkaart.cli import main
from buurtkaart.store import open_store
from buurtkaart.store.backup import backup, restore

FIXED = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def _fill(url: str) -> str:
    store = open_store(url)
    try:
        the_map = store.create_map("ann", name="Buurthuis", org_name="Vzw De Brug",
                                   lat=50.8552, lon=4.3387)
        school = store.add_actor("ann", the_map["id"], name="School De Boom",
                                 roles=["partner"], lat=50.856, lon=4.339, strength=2)
        imam = store.add_actor("ann", the_map["id"], name="Imam Yusuf", kind="person",
                               roles=["sleutelfiguur"], lat=50.8549, lon=4.3371)
        store.add_link("ann", the_map["id"], imam["id"], school["id"], "opens_doors")
        store.add_contact("ann", imam["id"], "2026-11-10", "visit", "agreement", "koffie")
        store.add_signal("ann", the_map["id"], date="2026-11-12", title="Nieuwe bakker")
        store.add_meeting("ann", the_map["id"], date="2026-11-20", title="Teamvergadering")
        return str(the_map["id"])
    finally:
        store.close()


def _full_export(url: str, map_id: str) -> bytes:
    from buurtkaart.exchange.service import export_map

    store = open_store(url)
    try:
        return export_map(store, map_id, "full", "geojson", now=FIXED)
    finally:
        store.close()


def _change(url: str, map_id: str) -> None:
    store = open_store(url)
    try:
        actors = store.list_actors(map_id)
        store.update_actor("eddy", actors[0]["id"], {"strength": 3, "notes": "na de backup"})
        store.add_actor("eddy", map_id, name="Nieuwe partner")
        store.delete_actor("eddy", actors[1]["id"])
    finally:
        store.close()


def test_backup_change_restore_gives_the_same_full_export(store_url: str,
                                                          tmp_path: Path) -> None:
    map_id = _fill(store_url)
    before = _full_export(store_url, map_id)
    path = backup(store_url, tmp_path / "buurt.backup")
    assert path.stat().st_size > 0
    _change(store_url, map_id)
    changed = _full_export(store_url, map_id)
    assert changed != before
    restore(path, store_url)
    assert _full_export(store_url, map_id) == before
    # the restored store is still writable and keeps counting versions
    store = open_store(store_url)
    try:
        actor = store.list_actors(map_id)[0]
        assert store.update_actor("ann", actor["id"], {"strength": 1})["version"] == (
            actor["version"] + 1)
    finally:
        store.close()


def test_sqlite_backup_while_a_writer_is_busy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    map_id = _fill(url)
    store = open_store(url)
    try:
        with store.transaction():
            store.add_actor("eddy", map_id, name="Niet gecommit")
            path = backup(url, tmp_path / "during.db")  # online: the open transaction
        names = [a["name"] for a in store.list_actors(map_id)]
    finally:
        store.close()
    assert "Niet gecommit" in names
    copy = open_store(f"sqlite:///{path}")
    try:
        assert "Niet gecommit" not in [a["name"] for a in copy.list_actors(map_id)]
        assert len(copy.list_actors(map_id)) == 2
    finally:
        copy.close()


def test_restore_refuses_a_wrong_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    _fill(url)
    junk = tmp_path / "junk.backup"
    junk.write_text("not a backup")
    with pytest.raises(DataFileError, match="not a SQLite file"):
        restore(junk, url)
    with pytest.raises(DataFileError, match="cannot read backup file"):
        restore(tmp_path / "missing.backup", url)
    with pytest.raises(DataFileError, match="not a pg_dump archive"):
        restore(junk, "postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(StoreError, match="does not exist"):
        backup(f"sqlite:///{tmp_path / 'nothing.db'}", tmp_path / "x.backup")
    assert not (tmp_path / "x.backup").exists()


def test_cli_backup_and_restore_are_admin_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from buurtkaart.auth import accounts

    url = f"sqlite:///{tmp_path / 'store.db'}"
    map_id = _fill(url)
    store = open_store(url)
    accounts.add_user(store, "ann", "ann-password", map_id=map_id, role="admin")
    accounts.add_user(store, "eddy", "eddy-password", map_id=map_id, role="editor")
    store.close()
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    out = tmp_path / "cli.backup"
    assert main(["backup", "--db", url, "-o", str(out), "--user", "eddy"]) == 5
    assert "backup" in capsys.readouterr().err and not out.exists()
    assert main(["backup", "--db", url, "-o", str(out), "--user", "ann"]) == 0
    before = _full_export(url, map_id)
    _change(url, map_id)
    assert main(["restore", str(out), "--db", url, "--user", "eddy"]) == 5
    assert _full_export(url, map_id) != before
    assert main(["restore", str(out), "--db", url, "--user", "ann"]) == 0
    assert _full_export(url, map_id) == before
    capsys.readouterr()




def test_pg_password_goes_in_the_environment_not_the_command_line() -> None:
    from buurtkaart.store.backup import libpq_url

    target, env = libpq_url("postgresql+psycopg://bk:s3cret@db.internal:5433/buurt"
                            "?sslmode=require")
    assert target == "postgresql://bk@db.internal:5433/buurt?sslmode=require"
    assert env["PGPASSWORD"] == "s3cret"


def test_a_store_in_its_own_schema_is_backed_up_and_restored_alone(pg_server: Any,
                                                                   tmp_path: Path) -> None:
    """Another store in the same database is neither dumped nor replaced by a restore."""
    from buurtkaart.store.backup import pg_schema

    mine, neighbour = pg_server.create_schema(), pg_server.create_schema()
    assert pg_schema(mine) is not None and pg_schema(mine) != pg_schema(neighbour)
    map_id, other_id = _fill(mine), _fill(neighbour)
    path = backup(mine, tmp_path / "mine.backup")
    _change(neighbour, other_id)
    theirs = _full_export(neighbour, other_id)
    _change(mine, map_id)
    restore(path, mine)
    assert _full_export(neighbour, other_id) == theirs  # untouched by my restore
    assert "Nieuwe partner" not in _full_export(mine, map_id).decode()


def test_the_schema_is_read_from_the_url_options() -> None:
    from buurtkaart.store.backup import pg_schema

    assert pg_schema("postgresql://u@h/db?options=-csearch_path%3Ds_1,public") == "s_1"
    assert pg_schema("postgresql://u@h/db?options=-c%20search_path%3Dbuurt") == "buurt"
    assert pg_schema("postgresql://u@h/db") is None
    assert pg_schema("postgresql://u@h/db?options=-csearch_path%3Dpublic") is None

