"""The PostgreSQL fixture skips without server binaries, and fails in CI mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
def test_probe(pg_server):
    pass
"""


@pytest.mark.parametrize(("require", "outcome"), [("0", "1 skipped"), ("1", "1 error")])
def test_missing_binaries(tmp_path: Path, require: str, outcome: str) -> None:
    (tmp_path / "test_probe.py").write_text(PROBE)
    tests_dir = Path(__file__).resolve().parents[1]
    env = {**os.environ, "BUURTKAART_PG_BIN": str(tmp_path / "no-bin"),
           "BUURTKAART_REQUIRE_POSTGRES": require,
           "PYTHONPATH": os.pathsep.join([str(tests_dir), str(tests_dir.parent)])}
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "support.fixtures_store",
                          "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                          str(tmp_path / "test_probe.py")],
                         capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert outcome in out.stdout, out.stdout + out.stderr
    if require == "1":
        assert "BUURTKAART_REQUIRE_POSTGRES=1" in out.stdout
