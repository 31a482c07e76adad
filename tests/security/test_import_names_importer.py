"""Attack: a long SQLite import by one colleague must not leave the others guessing.

A real second process imports a GeoJSON file (the real import path, one
transaction) into a real SQLite file and pauses inside its transaction (its
progress hook waits for a file, bounded). Meanwhile: the CLI's read-only
calls work; a colleague's save is refused within a few seconds (not the 30 s
busy timeout) with a message that names the importer, in nl/fr/en; after the
import every row is there and the marker is gone. A ``kill -9`` mid-import
leaves nothing imported and a stale marker that blocks no one.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from buurtkaart._errors import StoreError
from buurtkaart.app.common import error_text
from buurtkaart.store import importing, open_store
from buurtkaart.store.trust_schema import running_imports

ROWS = 520  # two chunks of 500: the hook pauses after the first
BOUND_S = 60


def _geojson(path: Path) -> Path:
    features = [{"type": "Feature", "geometry": {"type": "Point",
                                                 "coordinates": [4.34 + i * 1e-5, 50.85]},
                 "properties": {"name": f"Vereniging {i}", "kind": "organisation"}}
                for i in range(ROWS)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    return path


def _import(url: str, file: str, started: str, go: str) -> None:
    """The importer (a spawned process): import ``file`` as amina, pausing after chunk 1."""
    from buurtkaart.exchange import service

    def hold(done: int, total: int) -> None:
        if done < total and not Path(started).exists():
            Path(started).write_text("in transaction")
            deadline = time.monotonic() + BOUND_S
            while not Path(go).exists() and time.monotonic() < deadline:
                time.sleep(0.05)

    with open_store(url) as store:
        service.import_file(store, "Buurthuis", file, user="amina", progress=hold)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[str, str]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        the_map = store.create_map("an", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
        store.add_actor("an", the_map["id"], name="Bakkerij", kind="organisation",
                        lat=50.85, lon=4.34)
    return url, str(the_map["id"])


def _start(url: str, tmp_path: Path) -> tuple[mp.process.BaseProcess, Path]:
    started, go = tmp_path / "started", tmp_path / "go"
    proc = mp.get_context("spawn").Process(
        target=_import, args=(url, str(_geojson(tmp_path / "groot.geojson")), str(started),
                              str(go)))
    proc.start()
    deadline = time.monotonic() + BOUND_S
    while not started.exists():
        assert proc.is_alive() and time.monotonic() < deadline, "the importer never started"
        time.sleep(0.05)
    return proc, go


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BUURTKAART_SINGLE_USER": "1"}
    return subprocess.run([sys.executable, "-m", "buurtkaart", *args], capture_output=True,
                          text=True, timeout=BOUND_S, env=env, check=False)


def test_a_save_during_a_long_import_names_the_importer(setup: tuple[str, str],
                                                        tmp_path: Path) -> None:
    url, map_id = setup
    db = url.removeprefix("sqlite:///")
    proc, go = _start(url, tmp_path)
    try:
        listed = _cli("actor", "list", "--db", db, "--map", "Buurthuis", "--format", "json")
        assert listed.returncode == 0, listed.stderr
        assert [a["name"] for a in json.loads(listed.stdout)] == ["Bakkerij"]
        colleague = open_store(url)
        try:
            began = time.monotonic()
            with pytest.raises(StoreError) as refused:
                colleague.add_actor("bo", map_id, name="Kapper", lat=50.85, lon=4.34)
            waited = time.monotonic() - began
        finally:
            colleague.close()
    finally:
        go.write_text("go")
        proc.join(BOUND_S)
    assert proc.exitcode == 0
    err = refused.value
    assert err.busy_by == "amina" and err.busy_what == "file" and err.busy_since
    assert "amina is importing file" in str(err)
    assert waited < 15  # far below the 30 s busy timeout: the marker made it short
    texts = {lang: error_text(err, lang) for lang in ("nl", "fr", "en")}
    assert texts["nl"].startswith(f"amina importeert nu een bestand (sinds {err.busy_since})")
    assert "amina importe un fichier" in texts["fr"] and "amina is importing" in texts["en"]
    with open_store(url) as store:
        assert len(store.list_actors(map_id)) == ROWS + 1
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(running_imports)).all() == []  # the marker is gone
        store.add_actor("bo", map_id, name="Kapper", lat=50.85, lon=4.34)  # free again


def test_kill_9_mid_import_leaves_nothing_and_blocks_no_one(setup: tuple[str, str],
                                                            tmp_path: Path) -> None:
    url, map_id = setup
    proc, _go = _start(url, tmp_path)
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(BOUND_S)
    assert proc.exitcode == -signal.SIGKILL
    with open_store(url) as store:
        with store.engine.connect() as conn:
            [row] = conn.execute(sa.select(running_imports)).mappings().all()
        assert importing.is_stale(importing.Marker(**dict(row)))  # its pid is dead
        assert importing.current(store.engine) is None
        assert [a["name"] for a in store.list_actors(map_id)] == ["Bakkerij"]  # all or nothing
        store.add_actor("bo", map_id, name="Kapper", lat=50.85, lon=4.34)  # not refused
        with store.transaction(import_by="bo", what="places", map_id=map_id):
            pass  # the next import clears the stale marker
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(running_imports)).all() == []


def test_places_import_message_and_old_markers(setup: tuple[str, str]) -> None:
    url, map_id = setup
    with open_store(url) as store:
        with store.engine.begin() as conn:
            token = importing.begin(conn, "Amina", "places", map_id)
        marker = importing.current(store.engine)
        assert marker is not None and marker.token == token and marker.pid == os.getpid()
        assert importing.current(store.engine, own=token) is None  # the importer's own writes
        err = importing.busy_error(store.url, marker)
        assert error_text(err, "nl").startswith("Amina importeert nu plaatsen (sinds ")
        assert "Amina importe des lieux" in error_text(err, "fr")
        assert "Amina is importing places" in error_text(err, "en")
        old = importing.Marker(**{**marker.__dict__, "started_at": "2026-01-01T00:00:00+00:00"})
        assert importing.is_stale(old) and not importing.is_stale(marker)
        elsewhere = importing.Marker(**{**marker.__dict__, "host": "other-host", "pid": 1 << 22})
        assert not importing.is_stale(elsewhere)  # another host's pid cannot be checked
        importing.end(store.engine, token)
        assert importing.current(store.engine) is None
