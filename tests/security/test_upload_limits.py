"""Attack: one big upload that costs the server gigabytes before it is refused.

The readers count features while parsing and stop at the cap; the memory of
reading a 50 MB upload is measured as the peak RSS of a subprocess (bounded in
time by a timeout, not asserted on speed). NUL bytes and KML/GPX are refused
by name.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from buurtkaart._errors import DataFileError
from buurtkaart.exchange.readers import read_bytes

#: Peak memory (MB) allowed for reading a 50 MB upload, above the interpreter's own.
BOUND_MB = 300

_MEASURE = textwrap.dedent("""
    import resource, sys
    from buurtkaart._errors import DataFileError
    from buurtkaart.exchange.readers import read_bytes
    data = open(sys.argv[1], "rb").read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        read_bytes(data, sys.argv[2])
        outcome = "read"
    except DataFileError as e:
        outcome = "refused: " + str(e)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print((after - before) // 1024)
    print(outcome)
""")


def _measure(path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("BUURTKAART_MAX_UPLOAD_MB", "60")
    proc = subprocess.run([sys.executable, "-c", _MEASURE, str(path), name],
                          capture_output=True, text=True, timeout=300, check=True)
    grown, outcome = proc.stdout.strip().splitlines()[:2]
    return int(grown), outcome


def test_millions_of_empty_features_are_refused_early(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bomb.geojson"
    feature = '{"type":"Feature"},'
    count = 50 * 2**20 // len(feature)
    path.write_text('{"type":"FeatureCollection","features":[' + feature * (count - 1)
                    + '{"type":"Feature"}]}', encoding="ascii")
    grown, outcome = _measure(path, "bomb.geojson", monkeypatch)
    assert outcome.startswith("refused") and "BUURTKAART_MAX_FEATURES" in outcome
    assert grown < BOUND_MB, f"reading a 50 MB upload grew the process by {grown} MB"


def test_a_huge_csv_is_refused_while_reading(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bomb.csv"
    row = "50.85,4.34,x\n"
    path.write_text("lat,lon,name\n" + row * (50 * 2**20 // len(row)), encoding="ascii")
    grown, outcome = _measure(path, "bomb.csv", monkeypatch)
    assert outcome.startswith("refused") and "rows" in outcome
    assert grown < BOUND_MB


def test_nul_bytes_are_refused_with_file_and_line() -> None:
    data = b"name,lat,lon\nBakkerij,50.85,4.34\nSchool\x00,50.86,4.35\n"
    with pytest.raises(DataFileError, match=r"plaatsen\.csv: line 3 holds a NUL byte"):
        read_bytes(data, "plaatsen.csv")


@pytest.mark.parametrize(("name", "body"), [
    ("route.gpx", '<?xml version="1.0"?><gpx version="1.1"><wpt lat="50.8" lon="4.3"/></gpx>'),
    ("kaart.kml", '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"></kml>'),
    ("export.txt", '<kml><Placemark><name>x</name></Placemark></kml>'),
])
def test_kml_and_gpx_are_an_unsupported_format(name: str, body: str) -> None:
    with pytest.raises(DataFileError, match="unsupported format"):
        read_bytes(body.encode(), name)


def test_a_normal_file_still_reads() -> None:
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f"p{i}"},
         "geometry": {"type": "Point", "coordinates": [4.34, 50.85]}} for i in range(50)]}
    assert len(read_bytes(json.dumps(doc).encode(), "ok.geojson").features) == 50
