"""Hypothesis fuzzing of the GeoJSON and CSV importers: import, or a clear error; never a crash."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtkaart._errors import DataFileError, InputError
from buurtkaart.exchange.mapping import to_candidates
from buurtkaart.exchange.plan import plan_import
from buurtkaart.exchange.readers import read_bytes

FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6),
                    st.text(max_size=5), st.none(), st.booleans())
position = st.lists(numbers, min_size=0, max_size=3)
coords = st.recursive(position, lambda inner: st.lists(inner, max_size=5), max_leaves=20)
geometry = st.one_of(
    st.none(), st.text(max_size=3),
    st.fixed_dictionaries({"type": st.sampled_from(
        ["Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
         "GeometryCollection", "Circle", ""]), "coordinates": coords}),
    st.fixed_dictionaries({"type": st.just("GeometryCollection"),
                           "geometries": st.lists(st.dictionaries(st.text(max_size=3), coords,
                                                                  max_size=2), max_size=2)}),
)
scalars = st.one_of(st.text(max_size=12), st.integers(), st.floats(), st.none(), st.booleans())
props = st.one_of(st.none(), st.text(max_size=3), st.dictionaries(
    st.sampled_from(["name", "kind", "roles", "description", "category", "osm_id", "x"]),
    st.one_of(scalars, st.lists(scalars, max_size=3)), max_size=5))
feature = st.one_of(
    st.fixed_dictionaries({"type": st.just("Feature"), "geometry": geometry,
                           "properties": props}),
    scalars,
)
document = st.one_of(
    st.fixed_dictionaries({"type": st.just("FeatureCollection"),
                           "features": st.lists(feature, max_size=6)}),
    st.fixed_dictionaries({"type": st.sampled_from(["Feature", "Point", "x"]),
                           "geometry": geometry, "properties": props}),
    st.dictionaries(st.text(max_size=4), scalars, max_size=3),
    st.lists(scalars, max_size=3),
)


def _run(data: bytes, name: str) -> None:
    try:
        result = read_bytes(data, name)
        plan = plan_import(result, [], set(), name, center=(50.85, 4.35))
    except (DataFileError, InputError) as err:
        assert str(err) and err.exit_code in (2, 4)
        return
    report = plan.report
    assert report.imported + report.merged + len(report.skipped) == report.total
    for rej in report.skipped:
        assert rej.index >= 1 and rej.reason


@FUZZ
@given(document)
def test_geojson_importer_never_crashes(doc: Any) -> None:
    _run(json.dumps(doc, allow_nan=True).encode("utf-8"), "fuzz.geojson")


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_as_geojson(data: bytes) -> None:
    _run(data, "fuzz.geojson")


cell = st.one_of(st.text(max_size=10), st.floats().map(str), st.integers().map(str),
                 st.sampled_from(["50,85", "4.35", "", "-", "1e400", "nan", " 50.8 "]))


@FUZZ
@given(st.sampled_from([",", ";", "\t"]),
       st.lists(st.sampled_from(["name", "lat", "Latitude", "geo_Longitude", "lng", "x",
                                 "naam", "note"]), min_size=1, max_size=5),
       st.lists(st.lists(cell, max_size=6), max_size=8),
       st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]))
def test_csv_importer_never_crashes(sep: str, header: list[str], rows: list[list[str]],
                                    encoding: str) -> None:
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    data = "\n".join(lines).encode(encoding, errors="replace")
    _run(data, "fuzz.csv")


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_as_csv(data: bytes) -> None:
    _run(data, "fuzz.csv")


def test_candidates_of_a_valid_point_keep_its_position() -> None:
    doc = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [4.35, 50.85]},
           "properties": {"name": "x"}}
    result = read_bytes(json.dumps(doc).encode(), "one.geojson")
    (cand,) = to_candidates(result)
    assert (cand.fields["lat"], cand.fields["lon"]) == (50.85, 4.35)
