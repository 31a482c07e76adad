"""Store and backup files hold personal data: created readable by their owner only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from buurtkaart.store import open_store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_wal_and_backup_files_are_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)  # a usual umask: files would be world-readable
    try:
        db = tmp_path / "store.db"
        store = open_store(str(db))
        store.create_map("an", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
        backup = store.backup(tmp_path / "backups" / "store-backup.db")
        restored = tmp_path / "restored.db"
        store.close()
        other = open_store(str(restored))
        other.restore(backup)
        other.close()
    finally:
        os.umask(old)
    for path in (db, db.with_name("store.db-wal"), backup, restored):
        if path.exists():
            assert _mode(path) == 0o600, (path, oct(_mode(path)))
    assert _mode(db) == 0o600 and _mode(backup) == 0o600
