"""Opening stores: URLs, migrations on both backends, and every bad-input case."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from buurtkaart._errors import StoreError
from buurtkaart.store import Store, head_revision, open_store
from buurtkaart.store.engine import create_engines, migrate, parse_url
from buurtkaart.store.schema import metadata


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_plain_path_and_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "buurt.db"
    with open_store(str(path)) as store:
        store.create_map("ann", name="M", org_name="O", lat=50.0, lon=4.0)
    monkeypatch.setenv("BUURTKAART_DB", f"sqlite:///{path}")
    with open_store() as store:
        assert store.get_map("M")["org_name"] == "O"
        assert store.dialect == "sqlite"
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_sqlite_connections_have_pragmas(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_fresh_store_matches_schema_module(store_url: str) -> None:
    with open_store(store_url) as store:
        assert _revision(store) == head_revision()
        with store.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                "include_object": lambda obj, name, *_: name not in {"geom", "spatial_ref_sys"}
                and not str(name).endswith("_geom")})
            assert compare_metadata(ctx, metadata) == []


def test_upgrade_from_first_revision_keeps_data(store_url: str) -> None:
    engines = create_engines(parse_url(store_url))
    migrate(engines, "0001")
    old = Store(engines)
    with old.transaction() as conn:  # a map row of the first schema (no later columns)
        conn.execute(sa.text(
            "INSERT INTO maps (id, name, org_name, lat, lon, lang, created_by, created_at, "
            "updated_by, updated_at, version) VALUES ('m1', 'Oud', 'O', 50.85, 4.34, 'nl', "
            "'ann', '2026-01-01', 'ann', '2026-01-01', 1)"))
    m = {"id": "m1"}
    a = old.add_actor("ann", m["id"], name="Bakker", lat=50.8552, lon=4.3387)
    assert _revision(old) == "0001"
    old.close()
    with open_store(store_url) as store:
        assert _revision(store) == head_revision() != "0001"
        assert store.get_actor(a["id"])["name"] == "Bakker"
        assert store.get_map("m1")["archived_at"] is None
        assert [e["op"] for e in store.history(a["id"])] == ["insert"]
        assert "users" in sa.inspect(store.engine).get_table_names()
        if store.dialect == "postgresql":
            with store.engine.connect() as conn:
                wkt = conn.exec_driver_sql("SELECT ST_AsText(geom) FROM actors").scalar()
                assert wkt == "POINT(4.3387 50.8552)"


@pytest.mark.pg
def test_postgis_point_and_spatial_index(pg_url: str) -> None:
    with open_store(pg_url) as store:
        m = store.create_map("ann", name="PostGIS", org_name="O", lat=50.85, lon=4.34)
        near = store.add_actor("ann", m["id"], name="near", lat=50.8553, lon=4.3388)
        store.add_actor("ann", m["id"], name="far", lat=50.90, lon=4.40)
        with store.engine.connect() as conn:
            found = conn.exec_driver_sql(
                "SELECT id FROM actors WHERE map_id = %(m)s AND ST_DWithin(geom::geography, "
                "ST_SetSRID(ST_MakePoint(4.3387, 50.8552), 4326)::geography, 100)",
                {"m": m["id"]}).scalars().all()
            assert found == [near["id"]]
            idx = conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_actors_geom'").scalar()
            assert idx is not None and "gist" in idx.lower()
            kind = conn.exec_driver_sql(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = 'actors'::regclass AND attname = 'geom'").scalar()
            assert kind == "geometry(Point,4326)"


def test_text_file_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("boodschappenlijst\n")
    with pytest.raises(StoreError, match=r"notes\.db is not a buurtkaart store"):
        open_store(str(path))
    assert path.read_text() == "boodschappenlijst\n"


def test_other_sqlite_database_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.execute("INSERT INTO recipes VALUES ('stoofvlees')")
    con.commit()
    con.close()
    digest = _sha(path)
    with pytest.raises(StoreError, match=r"not a buurtkaart store.*recipes"):
        open_store(f"sqlite:///{path}")
    assert _sha(path) == digest


@pytest.mark.pg
def test_other_postgres_database_is_not_a_store(fresh_pg_url: str) -> None:
    engine = sa.create_engine(parse_url(fresh_pg_url))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE invoices (n int)")
        conn.exec_driver_sql("INSERT INTO invoices VALUES (7)")
    with pytest.raises(StoreError, match=r"not a buurtkaart store.*invoices"):
        open_store(fresh_pg_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT n FROM invoices").scalar() == 7
    engine.dispose()


def test_newer_schema_is_refused_and_kept(store_url: str) -> None:
    with open_store(store_url) as store:
        m = store.create_map("ann", name="Toekomst", org_name="O", lat=50.0, lon=4.0)
        with store.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(StoreError, match=r"'9999_future', newer than this buurtkaart knows"):
        open_store(store_url)
    engines = create_engines(parse_url(store_url))
    with engines.write.begin() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() \
            == "9999_future"
        conn.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{head_revision()}'")
    engines.dispose()
    with open_store(store_url) as store:
        assert store.get_map(m["id"])["name"] == "Toekomst"


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    with open_store(str(path)) as store:
        store.create_map("ann", name="Alleen lezen", org_name="O", lat=50.0, lon=4.0)
    path.chmod(0o444)
    digest = _sha(path)
    code = ("import sys\nfrom buurtkaart.store import open_store\n"
            "from buurtkaart._errors import StoreError\n"
            "try:\n    open_store(sys.argv[1])\n"
            "except StoreError as e:\n    print(e); sys.exit(9)\n")
    cmd = [sys.executable, "-c", code, str(path)]
    setpriv = shutil.which("setpriv")
    if Path("/proc/self").exists() and setpriv and _is_root():
        caps = "-dac_override,-dac_read_search"
        cmd = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", *cmd]
    elif _is_root():
        pytest.skip("root without setpriv ignores file permissions")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert out.returncode == 9, out.stderr
    assert "ro.db is read-only" in out.stdout
    assert _sha(path) == digest


def _is_root() -> bool:
    import os

    return os.geteuid() == 0


def test_unreachable_postgres(unused_port: int) -> None:
    url = f"postgresql://nobody@127.0.0.1:{unused_port}/buurt"
    with pytest.raises(StoreError, match=rf"cannot connect to PostgreSQL.*{unused_port}"):
        open_store(url)


def test_bad_urls(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unsupported store URL 'mysql://x/y'"):
        open_store("mysql://x/y")
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "missing" / "buurt.db"))
    with pytest.raises(StoreError, match="it is a folder"):
        open_store(str(tmp_path))


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
