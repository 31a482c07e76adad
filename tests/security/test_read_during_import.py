"""Attack: a long SQLite import must not lock colleagues out of reading.

While one process holds the write lock (a long import inside one
transaction), another process opens the store and lists the actors through
the CLI: WAL readers are never blocked and opening an up-to-date store takes
no write lock. A colleague's save gets a clear "busy" message, not a bare
"database is locked". Bounded: one subprocess, a 60 s timeout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from buurtkaart._errors import StoreError
from buurtkaart.store import engine, open_store


def test_reading_works_while_an_import_holds_the_write_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "store.db"
    store = open_store(str(db))
    the_map = store.create_map("an", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
    store.add_actor("an", the_map["id"], name="Bakkerij", kind="organisation",
                    lat=50.85, lon=4.34)
    env = {**os.environ, "BUURTKAART_SINGLE_USER": "1"}
    with store.transaction():  # the long import: many writes, the lock held throughout
        for n in range(2000):
            store.add_actor("an", the_map["id"], name=f"Import {n}", kind="organisation",
                            lat=50.85, lon=4.34)
        proc = subprocess.run(
            [sys.executable, "-m", "buurtkaart", "actor", "list", "--db", str(db),
             "--map", "Buurthuis", "--format", "json"],
            capture_output=True, text=True, timeout=60, env=env, check=False)
        monkeypatch.setattr(engine, "BUSY_TIMEOUT_S", 0.2)
        colleague = open_store(str(db))
        try:
            with pytest.raises(StoreError, match="busy: another program holds its write"):
                colleague.add_actor("bo", the_map["id"], name="Kapper", lat=50.85, lon=4.34)
        finally:
            colleague.close()
    assert proc.returncode == 0, proc.stderr
    names = [a["name"] for a in json.loads(proc.stdout)]
    assert names == ["Bakkerij"]  # the committed state; the import is not visible yet
    assert len(store.list_actors(the_map["id"])) == 2001
    store.close()
