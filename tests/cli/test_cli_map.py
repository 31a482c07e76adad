"""``buurtkaart map create|update|import|archive|delete``: one command per change, each an event."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from buurtkaart.cli import main
from buurtkaart.core.area import Area
from buurtkaart.demo import DEMO_CENTER
from buurtkaart.places import read_places
from buurtkaart.store import open_store

LAT, LON = DEMO_CENTER


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BUURTKAART_USER", "ann")
    return str(tmp_path / "maps.db")


def test_create_with_osm_file_and_radius_imports_the_places_in_one_command(
        db: str, demo_pbf: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "map", "create", "--db", db, "--name", "Esplanadi",
                          "--lat", str(LAT), "--lon", str(LON), "--osm-file", str(demo_pbf),
                          "--radius", "400")
    assert code == 0, err
    found = re.fullmatch(r"id=(\S+) version=1\nimport=(\S+) places=(\d+)\n", out)
    assert found, out
    expected = read_places(demo_pbf, area=Area.circle(LAT, LON, 400))
    assert int(found.group(3)) == len(expected) > 20
    store = open_store(db)
    the_map = store.get_map("Esplanadi")
    assert the_map["area"]["radius_m"] == 400
    (imp,) = store.list_imports(the_map["id"])
    assert imp["id"] == found.group(2) and imp["source"] == f"file:{demo_pbf.name}"


def test_create_with_an_area_needs_an_extract(db: str, capsys: pytest.CaptureFixture[str]
                                              ) -> None:
    code, _, err = _run(capsys, "map", "create", "--db", db, "--name", "X", "--lat", "60.1",
                        "--lon", "24.9", "--radius", "300")
    assert code == 2 and "--osm-file" in err
    assert open_store(db).list_maps() == []


def test_update_moves_the_point_and_import_makes_a_new_import(
        db: str, demo_pbf: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "map", "create", "--db", db, "--name", "E", "--lat", str(LAT),
                "--lon", str(LON), "--address", "Pohjoisesplanadi 1", "--osm-file",
                str(demo_pbf), "--radius", "300")[0] == 0
    code, out, err = _run(capsys, "map", "update", "--db", db, "--map", "E",
                          "--lat", str(LAT + 0.002), "--lon", str(LON), "--radius", "500",
                          "--org-name", "Buurthuis Kaarti")
    assert code == 0, err
    assert out.endswith("version=2\n")
    store = open_store(db)
    the_map = store.get_map("E")
    assert the_map["lat"] == pytest.approx(LAT + 0.002)
    assert the_map["address"] == f"{LAT + 0.002:.6f}, {LON:.6f}"  # not the old address
    assert the_map["area"]["radius_m"] == 500 and the_map["org_name"] == "Buurthuis Kaarti"
    code, out, err = _run(capsys, "map", "import", "--db", db, "--map", "E",
                          "--osm-file", str(demo_pbf))
    assert code == 0, err
    imports = store.list_imports(the_map["id"])
    assert len(imports) == 2
    assert imports[0]["area"]["radius_m"] == 500 and imports[1]["area"]["radius_m"] == 300
    assert f"places={imports[0]['place_count']}" in out
    ops = [e["op"] for e in store.history(the_map["id"])]
    assert ops == ["insert", "update"]
    code, _, err = _run(capsys, "map", "update", "--db", db, "--map", "E")
    assert code == 2 and "nothing to change" in err


def test_archive_and_delete_need_an_admin_and_a_confirmation(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "map", "create", "--db", db, "--name", "Weg", "--lat", "50.85",
                "--lon", "4.34")[0] == 0
    assert _run(capsys, "user", "add", "bob", "--db", db, "--map", "Weg", "--role", "editor",
                "--no-password")[0] == 0
    code, _, err = _run(capsys, "map", "archive", "--db", db, "--map", "Weg", "--user", "bob")
    assert code == 5 and "manage_map" in err
    assert _run(capsys, "map", "archive", "--db", db, "--map", "Weg")[0] == 0
    code, out, _ = _run(capsys, "map", "list", "--db", db)
    assert "Weg" not in out
    code, out, _ = _run(capsys, "map", "list", "--db", db, "--archived")
    assert "Weg" in out
    assert _run(capsys, "map", "archive", "--db", db, "--map", "Weg", "--undo")[0] == 0
    code, _, err = _run(capsys, "map", "delete", "--db", db, "--map", "Weg")
    assert code == 2 and "removes" in err and "--confirm 'Weg'" in err
    assert open_store(db).get_map("Weg")
    code, out, err = _run(capsys, "map", "delete", "--db", db, "--map", "Weg",
                          "--confirm", "Weg")
    assert code == 0, err
    assert out.startswith("deleted=") and "members=2" in out
    assert open_store(db).list_maps(include_archived=True) == []


@pytest.mark.shared
def test_create_on_brussels_with_a_walking_area(db: str, brussels_2013: Path,
                                                molenbeek: tuple[float, float],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    lat, lon = molenbeek
    code, out, err = _run(capsys, "map", "create", "--db", db, "--name", "Molenbeek",
                          "--lat", str(lat), "--lon", str(lon), "--osm-file",
                          str(brussels_2013), "--walk", "5")
    assert code == 0, err
    count = int(re.search(r"places=(\d+)", out).group(1))  # type: ignore[union-attr]
    the_map = open_store(db).get_map("Molenbeek")
    assert the_map["area"]["kind"] == "walk"
    expected = read_places(brussels_2013, area=Area.from_dict(the_map["area"]))
    assert count == len(expected) > 5
