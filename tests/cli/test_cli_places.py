"""The ``places`` / ``geocode`` CLI contract: output shape and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from buurtkaart.cli import main
from buurtkaart.settings import PROJECT_ROOT

DEMO = ["--lat", "60.1690", "--lon", "24.9450"]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Geocoding indexes and live caches go to a temporary folder, not data/cache."""
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    assert info.value.code == 2
    return capsys.readouterr().err


def test_geojson_to_stdout(capsys: pytest.CaptureFixture[str], demo_pbf: Path) -> None:
    code, out, err = run(capsys, "places", *DEMO, "--radius", "300", "--osm-file", str(demo_pbf))
    assert code == 0
    fc = json.loads(out)
    assert fc["type"] == "FeatureCollection" and "crs" not in fc and fc["features"]
    for feat in fc["features"]:
        lon, lat = feat["geometry"]["coordinates"]
        assert 24.9 < lon < 25.0 and 60.1 < lat < 60.2
        props = feat["properties"]
        assert set(props) >= {"osm_id", "name", "name_nl", "name_fr", "category",
                              "category_label", "distance_m", "tags", "source"}
        assert isinstance(props["tags"], dict)
        if props["osm_id"].startswith("node/"):  # polygons touching the circle may reach out
            assert props["distance_m"] <= 300.5
    assert f"{len(fc['features'])} places" in err


def test_csv_to_file_in_french(capsys: pytest.CaptureFixture[str], demo_pbf: Path,
                               tmp_path: Path) -> None:
    out_file = tmp_path / "places.csv"
    code, out, _ = run(capsys, "places", *DEMO, "--radius", "300", "--osm-file",
                       str(demo_pbf), "--format", "csv", "--lang", "fr", "-o", str(out_file))
    assert code == 0 and out == ""
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    assert rows and {"osm_id", "category_label", "lat", "lon", "tags"} <= set(rows[0])
    labels = {r["category"]: r["category_label"] for r in rows}
    if "school" in labels:
        assert labels["school"] == "École"
    assert all(isinstance(json.loads(r["tags"]), dict) for r in rows)


def test_zero_places_is_not_an_error(capsys: pytest.CaptureFixture[str],
                                     demo_pbf: Path) -> None:
    code, out, err = run(capsys, "places", "--lat", "10", "--lon", "10", "--osm-file",
                         str(demo_pbf))
    assert code == 0
    assert json.loads(out) == {"type": "FeatureCollection", "features": []}
    assert "no places" in err


@pytest.mark.shared
def test_address_and_area(capsys: pytest.CaptureFixture[str], brussels_2013: Path,
                          boundaries: Path) -> None:
    code, out, _ = run(capsys, "places", "--address", "Gemeenteplaats, 1080 Molenbeek",
                       "--radius", "400", "--osm-file", str(brussels_2013))
    assert code == 0 and any(f["properties"]["category"] == "worship_muslim"
                             for f in json.loads(out)["features"])
    code, out, _ = run(capsys, "places", "--lat", "50.8552", "--lon", "4.3387", "--area",
                       "Molenbeek-Saint-Jean", "--areas", str(boundaries),
                       "--osm-file", str(brussels_2013))
    assert code == 0 and len(json.loads(out)["features"]) > 100


@pytest.mark.shared
def test_geocode_prints_lat_lon_precision_label(capsys: pytest.CaptureFixture[str],
                                                brussels_2013: Path) -> None:
    code, out, _ = run(capsys, "geocode", "Steenweg op Gent", "--osm-file", str(brussels_2013))
    lat, lon, precision, label = out.rstrip("\n").split("\t")
    assert code == 0 and precision == "street" and "Chaussée de Gand" in label
    assert 50.8 < float(lat) < 50.9 and 4.2 < float(lon) < 4.4
    code, out, _ = run(capsys, "geocode", "Gemeenteplaats", "--osm-file", str(brussels_2013),
                       "--json")
    assert json.loads(out)["precision"] == "area"  # a square


@pytest.mark.parametrize(("argv", "needle"), [
    (["places", "--lat", "95", "--lon", "4.3"], "latitude 95"),
    (["places", "--lat", "50", "--lon", "-200"], "longitude -200"),
    (["places", "--lat", "50", "--lon", "4", "--radius", "-10"], "radius -10"),
    (["places", "--lat", "50", "--lon", "4", "--radius", "9000000"], "radius 9000000"),
    (["places", "--lat", "50"], "--lat and --lon"),
    (["places", "--lat", "50", "--lon", "4", "--area", "X"], "--areas FILE"),
])
def test_bad_values_exit_2(capsys: pytest.CaptureFixture[str], demo_pbf: Path,
                           argv: list[str], needle: str) -> None:
    code, out, err = run(capsys, *argv, "--osm-file", str(demo_pbf))
    assert code == 2 and out == ""
    assert needle in err and err.count("\n") == 1


@pytest.mark.parametrize("argv", [
    ["places"],
    ["places", "--address", "x", "--lat", "1", "--lon", "2"],
    ["places", "--lat", "1", "--lon", "2", "--radius", "5", "--area", "X"],
    ["places", "--lat", "abc", "--lon", "2"],
    ["places", "--lat", "1", "--lon", "2", "--format", "xml"],
    ["geocode"],
])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert "usage:" in usage_error(capsys, *argv)


def test_missing_and_bad_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "places", *DEMO, "--osm-file", str(tmp_path / "none.osm.pbf"))
    assert code == 4 and "none.osm.pbf" in err and err.count("\n") == 1
    junk = tmp_path / "junk.osm"
    junk.write_text("hello", encoding="utf-8")
    code, _, err = run(capsys, "places", *DEMO, "--osm-file", str(junk))
    assert code == 4 and "not OSM data" in err
    code, _, err = run(capsys, "geocode", "Rue Haute", "--osm-file", str(junk))
    assert code == 4 and "junk.osm" in err


@pytest.mark.shared
def test_unknown_area_and_address(capsys: pytest.CaptureFixture[str], brussels_2013: Path,
                                  boundaries: Path) -> None:
    code, _, err = run(capsys, "places", "--lat", "50.85", "--lon", "4.34", "--area",
                       "Molenbek", "--areas", str(boundaries), "--osm-file", str(brussels_2013))
    assert code not in (0, 2) and "Molenbek" in err and "Molenbeek-Saint-Jean" in err
    assert err.count("\n") == 1
    code, _, err = run(capsys, "geocode", "Rue du Zzyzx 3", "--osm-file", str(brussels_2013))
    assert code not in (0, 2) and "Zzyzx" in err and "closest streets" in err


def test_unwritable_output(capsys: pytest.CaptureFixture[str], demo_pbf: Path,
                           tmp_path: Path) -> None:
    code, _, err = run(capsys, "places", *DEMO, "--osm-file", str(demo_pbf),
                       "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert code == 4 and "dir.json" in err


def test_real_subprocess(demo_pbf: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "out.geojson"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "buurtkaart", "places", *DEMO, "--radius", "200",
         "--osm-file", str(demo_pbf), "-o", str(out_file)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out_file.read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    bad = subprocess.run(
        [sys.executable, "-m", "buurtkaart", "places", "--lat", "91", "--lon", "0",
         "--osm-file", str(demo_pbf)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False)
    assert bad.returncode == 2 and bad.stderr.strip().startswith("buurtkaart: error: latitude")


@pytest.mark.shared
def test_geocode_batch_lines_to_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                    brussels_2013: Path,
                                    geocode_index_2013: object) -> None:
    batch = tmp_path / "addresses.txt"
    batch.write_text("Rue Montoyer 17\n\nKerkstraat\nGemeenteplein, Molenbeek\nRue du Zzyzx 3\n",
                     encoding="utf-8")
    code, out, err = run(capsys, "geocode", "--batch", str(batch), "--osm-file",
                         str(brussels_2013))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["address"] for r in rows] == [
        "Rue Montoyer 17", "Kerkstraat", "Gemeenteplein, Molenbeek", "Rue du Zzyzx 3"]
    assert [r["precision"] for r in rows] == ["housenumber", "", "area", ""]
    assert 50.84 < float(rows[0]["lat"]) < 50.85 and rows[0]["reason"] == ""
    assert rows[1]["reason"].startswith("ambiguous: ") and "Berchem" in rows[1]["reason"]
    assert rows[3]["reason"].startswith("not_found: ") and rows[3]["lat"] == ""
    assert "4 addresses (area 1, housenumber 1, miss 2)" in err


@pytest.mark.shared
def test_geocode_batch_csv_column_to_json(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          brussels_2013: Path,
                                          geocode_index_2013: object) -> None:
    batch = tmp_path / "orgs.csv"
    batch.write_text("name,Adres\nVZW A,\"Kerkstraat, 1082\"\nVZW B,Chée de Gand 20\n",
                     encoding="utf-8")
    out_file = tmp_path / "out.json"
    code, _, _ = run(capsys, "geocode", "--batch", str(batch), "--osm-file",
                     str(brussels_2013), "--json", "-o", str(out_file))
    rows = json.loads(out_file.read_text(encoding="utf-8"))
    assert code == 0 and [r["precision"] for r in rows] == ["street", "street"]
    assert rows[0]["commune"].startswith("Berchem-Sainte-Agathe")
    assert "Chaussée de Gand" in rows[1]["label"]


def test_geocode_batch_bad_column_exits_2(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path, demo_pbf: Path) -> None:
    batch = tmp_path / "orgs.csv"
    batch.write_text("name,street\nA,x\n", encoding="utf-8")
    code, out, err = run(capsys, "geocode", "--batch", str(batch), "--osm-file", str(demo_pbf))
    assert code == 2 and out == "" and "no column 'address'" in err and "name, street" in err
    code, _, err = run(capsys, "geocode", "--batch", str(tmp_path / "absent.txt"))
    assert code == 4 and "cannot read batch file" in err
    assert "usage:" in usage_error(capsys, "geocode", "Rue Haute 1", "--batch", str(batch))
