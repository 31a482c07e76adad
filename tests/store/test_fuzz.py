"""Fuzzing with Hypothesis: geocoder input, importers and CLI arguments never crash.

"Never crash" means: a result, or a :class:`BuurtkaartError` (a clear one-line
message with an exit code), or argparse's usage exit — never another exception.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.core.address import PRECISIONS, GeocodeIndex, geocode_offline, parse_address

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

STREETS = ["Chaussée de Gand - Steenweg op Gent", "Place Communale - Gemeenteplaats",
           "Rue Haute - Hoogstraat", "Rue de l'Église - Kerkstraat"]


@pytest.fixture(scope="module")
def index() -> GeocodeIndex:
    idx = GeocodeIndex(source="fuzz")
    for i, street in enumerate(STREETS):
        idx.add_street(street, 50.85 + i / 1000, 4.33 + i / 1000)
        idx.add_number(street, str(10 + i), 50.85 + i / 1000, 4.331 + i / 1000, "1080")
    return idx


address_text = st.one_of(
    st.text(max_size=120),
    st.builds(lambda s, n, p, c: f"{s} {n}, {p} {c}", st.sampled_from([*STREETS, "", "X"]),
              st.one_of(st.integers(-5, 100_000).map(str), st.text(max_size=6)),
              st.integers(0, 99_999).map(str), st.text(max_size=20)),
)


@FUZZ
@given(text=address_text)
def test_geocoder_input_never_crashes(index: GeocodeIndex, text: str) -> None:
    try:
        parse_address(text)
        hit = geocode_offline(text, index)
    except BuurtkaartError as err:
        assert str(err) and "\n" not in str(err).strip()
        return
    assert math.isfinite(hit.lat) and math.isfinite(hit.lon)
    assert hit.precision in PRECISIONS


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20)

coordinate = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-1000, 1000),
                       st.text(max_size=8), st.none())


def _feature(geometry_type: Any, coords: Any, props: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": geometry_type, "coordinates": coords},
            "properties": props}


geojson_docs = st.builds(
    lambda feats, extra: {"type": "FeatureCollection", "features": feats, **extra},
    st.lists(st.builds(
        _feature,
        st.sampled_from(["Point", "LineString", "Polygon", "MultiPoint", "Bogus", None]),
        st.one_of(st.lists(coordinate, max_size=3), json_values,
                  st.lists(st.lists(coordinate, min_size=2, max_size=2), max_size=5)),
        st.one_of(st.dictionaries(st.sampled_from(
            ["name", "kind", "roles", "strength", "privacy", "amenity", "notes", "lat", "lon",
             "formal", "status", "tags", "_umap_options", "description"]), json_values,
            max_size=6), json_values)),
        max_size=5),
    st.dictionaries(st.sampled_from(["crs", "name", "_umap_options", "layers"]), json_values,
                    max_size=2))

csv_docs = st.builds(
    lambda header, rows: "\n".join([",".join(header)] + [",".join(r) for r in rows]),
    st.lists(st.sampled_from(["name", "lat", "lon", "Latitude", "geo_Longitude", "role",
                              "kind", "notes", "=cmd", "naam"]), min_size=1, max_size=6),
    st.lists(st.lists(st.one_of(st.text(alphabet=st.characters(blacklist_characters=",\n\r"),
                                        max_size=10),
                                st.floats(-200, 200).map(str)), max_size=6), max_size=6))


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    from buurtkaart.store import open_store

    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'store.db'}")
    the_map = store.create_map("fuzz", name="Fuzz", org_name="Fuzz", lat=50.855, lon=4.338)
    yield store, the_map["id"]
    store.close()


def _import(target: tuple[Any, str], data: bytes, name: str) -> None:
    from buurtkaart.exchange.service import import_bytes

    store, map_id = target
    before = len(store.list_actors(map_id))
    try:
        report = import_bytes(store, map_id, data, name, "fuzz")
    except BuurtkaartError as err:
        assert str(err) and "\n" not in str(err).strip()
        assert len(store.list_actors(map_id)) == before, "a failed import left actors"
        return
    for actor in store.list_actors(map_id):
        for key in ("lat", "lon"):
            value = actor[key]
            assert value is None or math.isfinite(value)
        if actor["lat"] is not None:
            assert -90 <= actor["lat"] <= 90 and -180 <= actor["lon"] <= 180
    assert report is not None


@FUZZ
@given(doc=geojson_docs)
def test_geojson_import_never_crashes(target: tuple[Any, str], doc: dict[str, Any]) -> None:
    _import(target, json.dumps(doc, allow_nan=True).encode("utf-8"), "fuzz.geojson")


@FUZZ
@given(text=csv_docs, encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_csv_import_never_crashes(target: tuple[Any, str], text: str, encoding: str) -> None:
    _import(target, text.encode(encoding, errors="replace"), "fuzz.csv")


@FUZZ
@given(data=st.binary(max_size=300), name=st.sampled_from(
    ["x.geojson", "x.csv", "x.umap", "x.json", "x", "overpass.json"]))
def test_random_bytes_import_never_crashes(target: tuple[Any, str], data: bytes,
                                           name: str) -> None:
    _import(target, data, name)


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from buurtkaart.auth import accounts
    from buurtkaart.store import open_store

    path = tmp_path_factory.mktemp("cli") / "cli.db"
    store = open_store(str(path))
    the_map = store.create_map("ann", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
    accounts.add_user(store, "ann", None, map_id=the_map["id"], role="admin")
    store.close()
    return path


WORDS = ["places", "geocode", "map", "actor", "changes", "history", "export", "import", "diff",
         "agenda", "meeting", "report", "user", "backup", "restore", "forget", "add", "remove",
         "set-role", "list", "show", "update", "create", "--db", "--map", "--user", "--role",
         "--password", "--id", "--name", "--lat", "--lon", "--radius", "--format", "--set",
         "--profile", "-o", "--since", "--if-version", "--help", "admin", "viewer", "json",
         "public", "full", "0", "-1", "50.85", "4.33", "nan", "1e999", "", "=1+1", "x=y",
         "Buurthuis", "2026-13-45"]


free_words = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=8)
value = st.one_of(st.sampled_from(WORDS), st.text(max_size=12))
#: Nearly valid commands on the fuzz store (map 'Buurthuis' exists): values are random.
shaped = st.one_of(
    st.builds(lambda n, r, la, lo: ["actor", "add", "--map", "Buurthuis", "--name", n,
                                    "--role", r, "--lat", la, "--lon", lo, "--user", "ann"],
              value, value, value, value),
    st.builds(lambda i, f: ["actor", "update", "--map", "Buurthuis", "--id", i, "--set", f,
                            "--user", "ann"], value, value),
    st.builds(lambda n, r, p: ["user", "add", n, "--map", "Buurthuis", "--role", r,
                               "--password", p, "--user", "ann"], value, value, value),
    st.builds(lambda p, f: ["export", "--map", "Buurthuis", "--profile", p, "--format", f,
                            "-o", "out.x", "--user", "ann"], value, value),
    st.builds(lambda i: ["forget", "--map", "Buurthuis", "--id", i, "--user", "ann"], value),
    st.builds(lambda t: ["changes", "--map", "Buurthuis", "--since", t], value),
)


@FUZZ
@given(argv=st.one_of(free_words, shaped))
def test_cli_argument_parsing_never_crashes(argv: list[str], cli_store: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from buurtkaart.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BUURTKAART_DB", str(cli_store))
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BUURTKAART_OVERPASS_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("BUURTKAART_NOMINATIM_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("BUURTKAART_HTTP_TIMEOUT", "1")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "fuzz-password")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(""))
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse: usage error (2) or --help (0)
        assert stop.code in (0, 2)
        capsys.readouterr()
        return
    capsys.readouterr()
    assert isinstance(code, int) and 0 <= code < 128
