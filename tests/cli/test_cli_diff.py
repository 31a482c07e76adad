"""``buurtkaart diff`` / ``agenda ics`` / ``meeting since|report`` through the real CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from buurtkaart.auth import accounts
from buurtkaart.cli import main
from buurtkaart.core.area import Area
from buurtkaart.places import read_places
from buurtkaart.store import open_store

MOLENBEEK = ("--lat", "50.8552", "--lon", "4.3387")


@pytest.mark.shared
def test_diff_json_on_brussels_matches_independent_sets(
        brussels_2012: Path, brussels_2013: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from support.diff_data import RADIUS, _independent_places

    code = main(["diff", str(brussels_2012), str(brussels_2013), *MOLENBEEK,
                 "--radius", str(int(RADIUS)), "--format", "json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    old = _independent_places(brussels_2012, 50.8552, 4.3387)
    new = _independent_places(brussels_2013, 50.8552, 4.3387)
    inside = set(old) | set(new)
    # Since issue 14, places redrawn under a new id leave "new"/"gone" for "redrawn".
    pairs = [e for e in data["changed"] + data["redrawn"] if e["match"] == "redrawn"]
    re_new = {e["osm_id"] for e in pairs}
    re_old = {e["old_osm_id"] for e in pairs + data["merged"]}
    assert ({e["osm_id"] for e in data["new"]} | re_new) & inside == set(new) - set(old)
    assert ({e["osm_id"] for e in data["gone"]} | re_old) & inside == set(old) - set(new)
    assert data["counts"]["new"] == len(data["new"]) >= len(set(new) - set(old) - re_new)
    first = data["new"][0]
    assert set(first) >= {"osm_id", "name", "category", "tags"}


def test_diff_table_and_drafts_on_geojson(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    def write(name: str, feats: list[dict[str, str]]) -> Path:
        fc = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": props,
             "geometry": {"type": "Point", "coordinates": [4.3387, 50.8552 + i * 0.001]}}
            for i, props in enumerate(feats)]}
        path = tmp_path / name
        path.write_text(json.dumps(fc))
        return path

    old = write("old.geojson", [{"name": "Bakkerij Jan", "shop": "bakery"},
                                {"name": "Café Oud", "amenity": "cafe"}])
    new = write("new.geojson", [{"name": "Bakkerij Jan", "shop": "bakery"},
                                {"name": "Bakkerij X", "shop": "bakery"}])
    assert main(["diff", str(old), str(new), *MOLENBEEK, "--radius", "500",
                 "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "1 new, 1 gone, 0 changed, 0 redrawn, 0 merged, 1 unchanged" in out
    assert "Bakkerij X" in out and "Café Oud" in out
    assert main(["diff", str(old), str(new), *MOLENBEEK, "--drafts", "--lang", "en"]) == 0
    titles = [s["title"] for s in json.loads(capsys.readouterr().out)]
    assert "New shop: Bakkerij X" in titles


def test_diff_extract_not_covering_the_area(demo_pbf: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["diff", str(demo_pbf), str(demo_pbf), *MOLENBEEK])
    assert code == 2
    err = capsys.readouterr().err
    assert "does not cover the map's area" in err and "Helsinki.osm.pbf" in err


@pytest.mark.shared
def test_diff_area_partly_outside_the_brussels_extract(
        brussels_2012: Path, brussels_2013: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 50.93 N is about 2 km north of the region's northern tip (about 50.914 N).
    code = main(["diff", str(brussels_2012), str(brussels_2013), "--lat", "50.93",
                 "--lon", "4.3800", "--radius", "3000"])
    assert code == 2
    err = capsys.readouterr().err
    assert "brussels-2012-01-01.osm.pbf does not cover the map's area" in err
    assert "no OSM data in its" in err and "north" in err


def test_diff_missing_file_and_bad_args(tmp_path: Path, demo_pbf: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(tmp_path / "nope.osm.pbf"), str(demo_pbf), *MOLENBEEK]) == 4
    assert "nope.osm.pbf does not exist" in capsys.readouterr().err
    assert main(["diff", str(demo_pbf), str(demo_pbf), "--lat", "60.17"]) == 2
    assert "--lat needs --lon" in capsys.readouterr().err


def test_diff_same_demo_file_by_address_is_all_unchanged(demo_pbf: Path) -> None:
    # A subprocess run of the installed entry point, offline geocoding on the extract.
    from buurtkaart.geocode import geocode

    address = "Mikonkatu 1, Helsinki"
    out = subprocess.run(
        [sys.executable, "-m", "buurtkaart", "diff", str(demo_pbf), str(demo_pbf),
         "--address", address, "--radius", "250"],
        capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    hit = geocode(address, osm_file=demo_pbf)
    expected = len(read_places(demo_pbf, Area.circle(hit.lat, hit.lon, 250)))
    assert data["counts"] == {"new": 0, "gone": 0, "changed": 0, "redrawn": 0, "merged": 0,
                              "unchanged": expected}
    assert expected > 0


def test_agenda_ics_and_meeting_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("BUURTKAART_USER", "an")
    today = dt.datetime.now(dt.UTC).date()
    with open_store(db) as store:
        m = store.create_map("an", name="Molenbeek", org_name="Buurtwerk", lat=50.8552,
                             lon=4.3387, area=Area.circle(50.8552, 4.3387, 500))
        store.add_agenda_item("an", m["id"], title="Markt", start="2026-01-07",
                              rrule="FREQ=WEEKLY;BYDAY=WE", place="Gemeenteplein")
        store.add_actor("an", m["id"], name="Moskee Al Amal", lat=50.8555, lon=4.339)
        accounts.add_user(store, "an", None, map_id=m["id"], role="editor")
    ics = tmp_path / "agenda.ics"
    assert main(["agenda", "ics", "--db", db, "--map", "Molenbeek", "-o", str(ics)]) == 0
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Markt"]

    assert main(["meeting", "since", "--db", db, "--map", "Molenbeek",
                 "--date", today.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "Nog geen vorige vergadering" in out and "Moskee Al Amal" in out

    pdf = tmp_path / "report.pdf"
    assert main(["meeting", "report", "--db", db, "--map", "Molenbeek", "-o", str(pdf),
                 "--lang", "en"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert main(["meeting", "report", "--db", db, "--map", "Nergens", "-o", str(pdf)]) == 2
    assert "unknown map 'Nergens'" in capsys.readouterr().err
    assert main(["meeting", "since", "--db", db, "--map", "Molenbeek",
                 "--date", "gisteren"]) == 2
    assert "--date 'gisteren' is not a YYYY-MM-DD date" in capsys.readouterr().err
