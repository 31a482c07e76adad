"""``buurtkaart map|actor|changes|history``: output, JSON shape and exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from buurtkaart.cli import main
from buurtkaart.store import open_store
from buurtkaart.store.records import FIELDS

ACTOR_KEYS = {"id", *(f.name for f in FIELDS["actor"]), "created_by", "created_at",
              "updated_by", "updated_at", "version"}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BUURTKAART_USER", "ann")
    path = str(tmp_path / "cli.db")
    assert main(["map", "create", "--db", path, "--name", "Buurt", "--lat", "50.8552",
                 "--lon", "4.3387"]) == 0
    # The creator (ann) is the map's admin; bob edits as a team member.
    assert main(["user", "add", "bob", "--db", path, "--map", "Buurt", "--role", "editor",
                 "--no-password"]) == 0
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _written(out: str) -> tuple[str, int]:
    found = re.fullmatch(r"id=(\S+) version=(\d+)\n", out)
    assert found, out
    return found.group(1), int(found.group(2))


def _add(capsys: pytest.CaptureFixture[str], db: str, *extra: str) -> str:
    code, out, err = _run(capsys, "actor", "add", "--db", db, "--map", "Buurt", *extra)
    assert code == 0, err
    actor_id, version = _written(out)
    assert version == 1
    return actor_id


def test_map_create_prints_id_and_version(db: str, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    capsys.readouterr()
    code, out, _ = _run(capsys, "map", "create", "--db", db, "--name", "Twee", "--lat", "50",
                        "--lon", "4", "--user", "bob")
    map_id, version = _written(out)
    assert code == 0 and version == 1
    with open_store(db) as store:
        assert store.get_map("Twee")["id"] == map_id
        assert store.get_map("Twee")["created_by"] == "bob"
    code, _, err = _run(capsys, "map", "create", "--db", db, "--name", "Twee", "--lat", "50",
                        "--lon", "4")
    assert code == 2 and "'Twee' already exists" in err


def test_map_create_from_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BUURTKAART_USER", "ann")
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [4.3387, 50.8552]},
         "properties": {"amenity": "townhall", "addr:street": "Place Communale - Gemeenteplein",
                        "addr:housenumber": "1", "addr:postcode": "1080"}}]}
    osm = tmp_path / "addr.geojson"
    osm.write_text(json.dumps(fc), encoding="utf-8")
    db = str(tmp_path / "a.db")
    code, _, err = _run(capsys, "map", "create", "--db", db, "--name", "Molenbeek",
                          "--address", "Gemeenteplein 1, 1080 Molenbeek", "--osm-file", str(osm))
    assert code == 0, err
    with open_store(db) as store:
        m = store.get_map("Molenbeek")
    assert (m["lat"], m["lon"]) == (50.8552, 4.3387)
    assert m["address"] == "Gemeenteplein 1, 1080 Molenbeek"
    code, _, err = _run(capsys, "map", "create", "--db", db, "--name", "X")
    assert code == 2 and "--lat" in err


def test_actor_add_show_list_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    actor_id = _add(capsys, db, "--name", "Moskee", "--role", "sleutelfiguur",
                    "--role", "brugfiguur,partner", "--kind", "organisation",
                    "--lat", "50.856", "--lon", "4.337", "--osm-id", "way/45",
                    "--set", "notes=imam opent deuren")
    code, out, _ = _run(capsys, "actor", "show", "--db", db, "--map", "Buurt", "--id",
                        actor_id, "--format", "json")
    shown = json.loads(out)
    assert code == 0 and set(shown) == ACTOR_KEYS
    assert shown["roles"] == ["sleutelfiguur", "brugfiguur", "partner"]
    assert (shown["lat"], shown["osm_id"], shown["version"]) == (50.856, "way/45", 1)
    assert shown["notes"] == "imam opent deuren" and shown["created_by"] == "ann"
    code, out, _ = _run(capsys, "actor", "list", "--db", db, "--map", "Buurt", "--format",
                        "json")
    assert json.loads(out) == [shown]
    code, out, _ = _run(capsys, "actor", "list", "--db", db, "--map", "Buurt")
    lines = out.splitlines()
    assert lines[0].split("\t") == ["id", "name", "kind", "roles", "status", "strength",
                                    "version"]
    assert lines[1].split("\t")[:2] == [actor_id, "Moskee"]


def test_actor_update_and_conflict(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    actor_id = _add(capsys, db, "--name", "Buurthuis", "--role", "partner")
    base = ["actor", "update", "--db", db, "--map", "Buurt", "--id", actor_id]
    code, out, _ = _run(capsys, *base, "--set", "status=cooperating", "--set", "strength=2",
                        "--if-version", "1", "--user", "bob")
    assert code == 0 and _written(out) == (actor_id, 2)
    code, out, _ = _run(capsys, *base, "--set", "notes=merged", "--if-version", "1")
    assert code == 0 and _written(out) == (actor_id, 3)
    code, out, err = _run(capsys, *base, "--set", "strength=3", "--if-version", "1")
    assert code == 3 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "strength" in err and "theirs 2 vs yours 3" in err
    with open_store(db) as store:
        actor = store.get_actor(actor_id)
    assert (actor["status"], actor["strength"], actor["notes"], actor["version"]) == (
        "cooperating", 2, "merged", 3)


@pytest.mark.parametrize(("args", "named"), [
    (["--set", "colour=red"], "'colour'"),
    (["--set", "strength=9"], "'strength'"),
    (["--set", "status=married"], "married"),
    (["--set", "noequals"], "noequals"),
])
def test_update_bad_input_exits_2(db: str, capsys: pytest.CaptureFixture[str],
                                  args: list[str], named: str) -> None:
    actor_id = _add(capsys, db, "--name", "A", "--role", "partner")
    code, _, err = _run(capsys, "actor", "update", "--db", db, "--map", "Buurt", "--id",
                        actor_id, *args)
    assert code == 2 and named in err


@pytest.mark.parametrize(("argv", "named"), [
    (["actor", "add", "--map", "Buurt", "--name", "X", "--role", "imam"], "'imam'"),
    (["actor", "add", "--map", "Nergens", "--name", "X", "--role", "partner"], "'Nergens'"),
    (["actor", "add", "--map", "Buurt", "--name", "X", "--role", "partner", "--kind", "robot"],
     "'robot'"),
    (["actor", "show", "--map", "Buurt", "--id", "nope"], "'nope'"),
    (["actor", "update", "--map", "Buurt", "--id", "nope", "--set", "notes=x"], "'nope'"),
    (["history", "--map", "Buurt", "--id", "nope"], "'nope'"),
    (["changes", "--map", "Buurt", "--since", "gisteren"], "'gisteren'"),
])
def test_unknown_names_exit_2(db: str, capsys: pytest.CaptureFixture[str],
                              argv: list[str], named: str) -> None:
    code, _, err = _run(capsys, *argv, "--db", db)
    assert code == 2, err
    assert err.startswith("buurtkaart: error: ") and named in err


def test_missing_user_is_refused(db: str, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BUURTKAART_USER")
    code, _, err = _run(capsys, "actor", "add", "--db", db, "--map", "Buurt", "--name", "X",
                        "--role", "partner")
    assert code == 5 and "BUURTKAART_USER" in err


def test_non_member_is_refused_with_exit_5(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "actor", "add", "--db", db, "--map", "Buurt", "--name", "X",
                        "--role", "partner", "--user", "mallory")
    assert code == 5 and "mallory" in err
    with open_store(db) as store:
        assert store.list_actors(store.get_map("Buurt")["id"]) == []


def test_changes_and_history(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    actor_id = _add(capsys, db, "--name", "A", "--role", "partner")
    with open_store(db) as store:
        since = store.history(actor_id)[-1]["at"]
    _run(capsys, "actor", "update", "--db", db, "--map", "Buurt", "--id", actor_id,
         "--set", "strength=2", "--user", "bob")
    code, out, _ = _run(capsys, "changes", "--db", db, "--map", "Buurt", "--since", since,
                        "--format", "json")
    changes: list[dict[str, Any]] = json.loads(out)
    assert code == 0 and len(changes) == 1
    assert changes[0]["diff"] == {"strength": [0, 2]} and changes[0]["users"] == ["bob"]
    code, out, _ = _run(capsys, "changes", "--db", db, "--map", "Buurt", "--since", since)
    assert code == 0 and "\tbob\tstrength" in out
    code, out, _ = _run(capsys, "history", "--db", db, "--map", "Buurt", "--id", actor_id)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert "\tann\tinsert\t" in lines[1] and "strength: 0 -> 2" in lines[2]
    code, out, _ = _run(capsys, "history", "--db", db, "--map", "Buurt", "--id", actor_id,
                        "--format", "json")
    assert [e["op"] for e in json.loads(out)] == ["insert", "update"]


def test_real_process_exit_codes(db: str, tmp_path: Path) -> None:
    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "buurtkaart", *argv], capture_output=True,
                              text=True, timeout=120, env={"BUURTKAART_USER": "ann",
                                                           "PATH": "/usr/bin:/bin"})
    added = run("actor", "add", "--db", db, "--map", "Buurt", "--name", "P", "--role", "partner")
    actor_id, _ = _written(added.stdout)
    run("actor", "update", "--db", f"sqlite:///{db}", "--map", "Buurt", "--id", actor_id,
        "--set", "notes=een", "--if-version", "1")
    clash = run("actor", "update", "--db", db, "--map", "Buurt", "--id", actor_id,
                "--set", "notes=twee", "--if-version", "1")
    assert clash.returncode == 3 and "notes" in clash.stderr
    bad = run("actor", "add", "--db", db, "--map", "Buurt", "--name", "P", "--role", "imam")
    assert bad.returncode == 2 and "'imam'" in bad.stderr
    (tmp_path / "junk.db").write_text("not a database")
    junk = run("actor", "list", "--db", str(tmp_path / "junk.db"), "--map", "Buurt")
    assert junk.returncode == 9 and "not a buurtkaart store" in junk.stderr
