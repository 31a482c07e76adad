"""Import of a CSV with an address column instead of coordinates (real 2013 addresses).

The CSV is built at test time from the shared 2013 extract (named places with a
full address, plus hand rows for a range, an interpolated, an estimated, a
street-only and a square answer, and two misses). Each row is geocoded with the
offline index of that extract; the report gives each row's precision, flags the
street/square rows and skips the misses with their reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.address_csv import Row, address_csv, address_rows
from support.exchange_data import USER

from buurtkaart._errors import DataFileError
from buurtkaart.cli import main
from buurtkaart.core.address import GeocodeIndex, GeocodeResult, geocode_offline
from buurtkaart.core.geo import distance_m
from buurtkaart.exchange import service
from buurtkaart.store import Store, open_store

pytestmark = pytest.mark.shared


@pytest.fixture
def store(sqlite_url: str) -> Store:
    s = open_store(sqlite_url)
    s.create_map(USER, name="m", org_name="Org", lat=50.8552, lon=4.3387)
    return s


@pytest.fixture
def rows(brussels_2013: Path) -> list[Row]:
    return address_rows(brussels_2013)


@pytest.fixture
def csv_file(rows: list[Row], tmp_path: Path) -> Path:
    path = tmp_path / "adressen.csv"
    path.write_bytes(address_csv(rows))
    return path


def test_each_row_gets_its_precision_and_misses_their_reason(
        store: Store, rows: list[Row], csv_file: Path,
        geocode_index_2013: GeocodeIndex) -> None:
    def geocode(address: str) -> GeocodeResult:
        return geocode_offline(address, geocode_index_2013)

    report = service.import_file(store, "m", csv_file, USER, geocode=geocode)
    by_row = {loc.index: loc for loc in report.located}
    assert sorted(by_row) == list(range(1, len(rows) + 1))
    for number, row in enumerate(rows, start=1):
        loc = by_row[number]
        assert loc.address == row.address
        assert (loc.precision, loc.reason or "") == (row.precision, row.reason), row
        assert loc.check == (row.precision in ("street", "area")), row
    assert [loc.commune for loc in report.located if loc.index == 10] == [
        "Molenbeek-Saint-Jean - Sint-Jans-Molenbeek"]
    misses = [r for r in rows if not r.precision]
    assert report.imported == len(rows) - len(misses)
    assert [r.index for r in report.skipped] == [rows.index(r) + 1 for r in misses]
    reasons = {r.index: r.reason for r in report.skipped}
    assert "not_found" in reasons[12] and "closest streets" in reasons[12]
    assert "ambiguous" in reasons[13] and "Woluwe-Saint-Pierre" in reasons[13]
    actors = store.list_actors(store.get_map("m")["id"])
    assert len(actors) == report.imported
    for row in rows:
        if row.lat is None:
            continue
        (actor,) = [a for a in actors if a["notes"].endswith(row.address)
                    or row.address in a["notes"]][:1]
        assert distance_m(actor["lat"], actor["lon"], row.lat, row.lon) < 60, row
    flagged = {a["name"] for a in actors if "geocoded=street" in a["tags"]
               or "geocoded=area" in a["tags"]}
    assert flagged == {"Jeugdhuis Gent", "Markt Gemeenteplein"}
    assert not any(a["name"] in ("Vzw Nergens", "Kerkkoor") for a in actors)


def test_without_an_extract_the_rows_say_why(store: Store, csv_file: Path) -> None:
    with pytest.raises(DataFileError, match="no OSM extract given"):
        service.import_file(store, "m", csv_file, USER)
    assert store.list_actors(store.get_map("m")["id"]) == []


def test_a_csv_with_coordinates_never_loads_the_index(store: Store, umap_dir: Path,
                                                      tmp_path: Path) -> None:
    missing = tmp_path / "no-such-extract.osm.pbf"
    report = service.import_file(store, "m", umap_dir / "test_upload_data.csv", USER,
                                 geocode=service.offline_geocoder(missing))
    assert report.imported == 2 and report.located == []


def test_cli_prints_precision_per_row(sqlite_url: str, store: Store, csv_file: Path,
                                      rows: list[Row], brussels_2013: Path,
                                      geocode_index_2013: GeocodeIndex,
                                      capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert geocode_index_2013.streets  # built once: the CLI finds it in memory
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "1")
    code = main(["import", str(csv_file), "--db", sqlite_url, "--map", "m", "--dry-run",
                 "--user", USER, "--osm-file", str(brussels_2013)])
    out = capsys.readouterr().out
    assert code == 0
    assert f"would import {len(rows) - 2}, merged 0, skipped 2" in out
    lines = out.splitlines()
    for number, row in enumerate(rows, start=1):
        if row.precision:
            (line,) = [ln for ln in lines if ln.startswith(f"  geocoded #{number} ")]
            assert f": {row.precision} -> " in line and row.address in line
            assert ("CHECK the point" in line) == (row.precision in ("street", "area"))
    assert any(ln.startswith("  skipped #12: address not geocoded (not_found)") for ln in lines)
    assert any(ln.startswith("  skipped #13: address not geocoded (ambiguous)") for ln in lines)
    assert store.list_actors(store.get_map("m")["id"]) == []  # dry run
