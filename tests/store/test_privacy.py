"""Persons on the map: never in a public export, coarse by default, erasable without a trace."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from buurtkaart import privacy
from buurtkaart.auth import accounts
from buurtkaart.cli import main
from buurtkaart.store import open_store

FIXED = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)

#: Fictional persons: (name, notes, exact lat, lon, extra fields).
PERSONS: list[tuple[str, str, float, float, dict[str, Any]]] = [
    ("Josianne Vandermeulen", "onthaal op dinsdag, weet alles van de buurt",
     50.855917, 4.337412, {}),
    ("Imam Yusuf Benali", "opent de deuren van de moskee voor ons", 50.854391, 4.337101,
     {"privacy": "team", "roles": ["sleutelfiguur"]}),
    ("Buurman Karel Peeters", "klaagt over lawaai van het jeugdhuis", 50.856104, 4.340017,
     {"privacy": "private", "leaning": "opponent"}),
    ("Fatima Zahra El Idrissi", "wil vrijwilliger worden", 50.853377, 4.336608,
     {"privacy": "public", "formal": True}),  # mis-set privacy: still never public
    ("Mevrouw Anna Claes", "woont boven de bakker", 50.857001, 4.339993,
     {"location_precision": "exact", "location_reason": "ontmoetingsplek afgesproken"}),
]


def _fill(url: str) -> tuple[str, dict[str, str]]:
    """A map with public organisations and the persons above, linked and contacted."""
    from buurtkaart.auth.guard import GuardedStore

    store = open_store(url)
    try:
        guard = GuardedStore(store, "ann")
        the_map = guard.create_map("ann", name="Buurthuis", org_name="Vzw De Brug",
                                   lat=50.8552, lon=4.3387)
        map_id = the_map["id"]
        school = guard.add_actor("ann", map_id, name="Basisschool De Boom", privacy="public",
                                 lat=50.8561, lon=4.3395, roles=["partner"], formal=True)
        ids = {}
        for name, notes, lat, lon, extra in PERSONS:
            person = guard.add_actor("ann", map_id, name=name, kind="person", notes=notes,
                                     lat=lat, lon=lon, contact_person="Ann", **extra)
            guard.update_actor("ann", person["id"], {"notes": notes + " (bijgewerkt)"})
            guard.add_link("ann", map_id, person["id"], school["id"], "knows",
                           note=f"{name} kent de directie")
            guard.add_contact("ann", person["id"], "2026-11-10", "visit", "reached",
                              f"gesprek met {name}")
            ids[name] = person["id"]
        return map_id, ids
    finally:
        store.close()


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)] + [str(k) for k in value]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return [str(value)]


def _coords(geometry: Any) -> list[tuple[float, float]]:
    if isinstance(geometry, dict):
        return _coords(geometry.get("coordinates"))
    if isinstance(geometry, list) and len(geometry) >= 2 and all(
            isinstance(c, int | float) for c in geometry[:2]):
        return [(float(geometry[1]), float(geometry[0]))]
    if isinstance(geometry, list):
        return [c for g in geometry for c in _coords(g)]
    return []


def _assert_no_person(texts: list[str], points: list[tuple[float, float]]) -> None:
    blob = "\n".join(texts).casefold()
    for name, notes, lat, lon, _ in PERSONS:
        for secret in (name, notes, name.split()[-1], "gesprek met", "kent de directie"):
            assert secret.casefold() not in blob, f"{secret!r} leaked into a public export"
        for plat, plon in points:
            assert abs(plat - lat) > 1e-4 or abs(plon - lon) > 1e-4, (
                f"a public feature sits on {name}'s exact point")
        for digits in (f"{lat:.5f}", f"{lon:.5f}"):
            assert digits not in blob


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('privacy') / 'store.db'}"
    map_id, _ = _fill(url)
    return url, map_id


def test_public_geojson_scanned_in_every_field_of_every_feature(filled: tuple[str, str]) -> None:
    from buurtkaart.exchange.service import export_map

    store = open_store(filled[0])
    try:
        data = export_map(store, filled[1], "public", "geojson", relations=True, now=FIXED)
        team = export_map(store, filled[1], "team", "geojson", now=FIXED)
    finally:
        store.close()
    fc = json.loads(data)
    texts = _strings({k: v for k, v in fc.items() if k != "features"})
    points: list[tuple[float, float]] = []
    assert fc["features"], "the public export lost the public organisation too"
    for feature in fc["features"]:
        texts += _strings(feature.get("properties") or {})
        texts += _strings({k: v for k, v in feature.items() if k != "geometry"})
        points += _coords(feature.get("geometry"))
    _assert_no_person([*texts, data.decode("utf-8")], points)
    assert "Basisschool De Boom" in data.decode("utf-8")
    # the control: the team export does carry them (so the scan can find them)
    assert "Josianne Vandermeulen" in team.decode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "gpkg"])
def test_public_csv_and_gpkg_carry_no_person(filled: tuple[str, str], fmt: str,
                                             tmp_path: Path) -> None:
    from buurtkaart.exchange.service import export_map

    store = open_store(filled[0])
    try:
        data = export_map(store, filled[1], "public", fmt, now=FIXED)
    finally:
        store.close()
    texts = [data.decode("utf-8", errors="replace")]
    points: list[tuple[float, float]] = []
    if fmt == "gpkg":
        import pyogrio

        path = tmp_path / "public.gpkg"
        path.write_bytes(data)
        for layer, _ in pyogrio.list_layers(path):
            frame = pyogrio.read_dataframe(path, layer=layer)
            texts += [str(v) for v in frame.drop(columns="geometry", errors="ignore")
                      .to_numpy().ravel()]
            if "geometry" in frame:
                points += [(g.y, g.x) for g in frame.geometry if g is not None
                           and g.geom_type == "Point"]
    _assert_no_person(texts, points)


def _forget_all(url: str, ids: dict[str, str], map_id: str,
                capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(url)
    accounts.add_user(store, "ann", None, map_id=map_id, role="admin")
    accounts.add_user(store, "eddy", None, map_id=map_id, role="editor")
    store.close()
    first = next(iter(ids.values()))
    assert main(["forget", "--db", url, "--map", "Buurthuis", "--id", first,
                 "--user", "eddy"]) == 5
    assert "forget" in capsys.readouterr().err
    for actor_id in ids.values():
        assert main(["forget", "--db", url, "--map", "Buurthuis", "--id", actor_id,
                     "--user", "ann"]) == 0
    capsys.readouterr()


def _secrets() -> list[str]:
    return [s for name, notes, *_ in PERSONS for s in (name, notes)]


def test_forget_leaves_no_trace_in_the_sqlite_file(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    map_id, ids = _fill(url)
    raw = (tmp_path / "store.db").read_bytes() + _wal(tmp_path)
    assert b"Josianne Vandermeulen" in raw  # the control
    _forget_all(url, ids, map_id, capsys)
    raw = (tmp_path / "store.db").read_bytes() + _wal(tmp_path)
    for secret in _secrets():
        assert secret.encode("utf-8") not in raw, f"{secret!r} is still in the database file"
    conn = sqlite3.connect(tmp_path / "store.db")
    try:
        tombstones = conn.execute("SELECT user, at FROM events WHERE op = 'forget'").fetchall()
    finally:
        conn.close()
    assert len(tombstones) == len(PERSONS) and {u for u, _ in tombstones} == {"ann"}
    store = open_store(url)
    try:
        assert [a["name"] for a in store.list_actors(map_id)] == ["Basisschool De Boom"]
        assert store.list_links(map_id) == [] and store.list_contacts(map_id) == []
    finally:
        store.close()


def _wal(folder: Path) -> bytes:
    wal = folder / "store.db-wal"
    return wal.read_bytes() if wal.exists() else b""


@pytest.mark.pg
def test_forget_leaves_no_trace_in_postgresql(fresh_pg_url: str,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    map_id, ids = _fill(fresh_pg_url)
    assert any("Josianne Vandermeulen" in row for row in _all_rows(fresh_pg_url))
    _forget_all(fresh_pg_url, ids, map_id, capsys)
    rows = _all_rows(fresh_pg_url)
    for secret in _secrets():
        assert not any(secret in row for row in rows), f"{secret!r} is still in PostgreSQL"


def _all_rows(url: str) -> list[str]:
    """Every row of every table of the public schema, as text."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            tables = [r[0] for r in conn.execute(sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))]
            return [str(r[0]) for t in tables
                    for r in conn.execute(sa.text(f'SELECT t::text FROM "{t}" t'))]
    finally:
        engine.dispose()


def test_coarsen_snaps_to_a_100_m_grid() -> None:
    lat, lon = privacy.coarsen(50.855217, 4.338712)
    # independent check: a cell is 100 m; the centre is at most ~71 m away
    dy = (lat - 50.855217) * 111_320
    dx = (lon - 4.338712) * 111_320 * 0.6304  # cos(50.855 deg)
    assert (dx * dx + dy * dy) ** 0.5 <= 100 / 2 ** 0.5 + 1
    assert privacy.coarsen(lat, lon) == (lat, lon)
    near = privacy.coarsen(50.855217 + 0.00001, 4.338712 + 0.00001)
    assert near == (lat, lon)


def test_overdue_reviews() -> None:
    actors = [
        {"id": "1", "name": "Oud", "kind": "person", "review_date": "2026-01-01"},
        {"id": "2", "name": "Vandaag", "kind": "person", "review_date": "2026-11-28"},
        {"id": "3", "name": "Later", "kind": "person", "review_date": "2027-03-01"},
        {"id": "4", "name": "Geen datum", "kind": "person", "review_date": None},
        {"id": "5", "name": "School", "kind": "organisation", "review_date": "2025-01-01"},
    ]
    rows = privacy.overdue_reviews(actors, today=dt.date(2026, 11, 28))
    assert [(r["name"], r["days_overdue"]) for r in rows] == [
        ("Geen datum", None), ("Oud", 331), ("Vandaag", 0)]  # a person without date is due
    every = privacy.overdue_reviews(actors, today=dt.date(2026, 11, 28), persons_only=False)
    assert [r["name"] for r in every] == ["Geen datum", "School", "Oud", "Vandaag"]


def test_default_review_date_clamps_to_month_end() -> None:
    assert privacy.default_review_date(dt.date(2026, 11, 28)) == dt.date(2027, 11, 28)
    assert privacy.default_review_date(dt.date(2027, 1, 31), months=1) == dt.date(2027, 2, 28)
    assert privacy.default_review_date(dt.date(2028, 1, 31), months=1) == dt.date(2028, 2, 29)


def test_the_policy_applies_the_person_rules() -> None:
    from buurtkaart.store.policy import REASON_TAG, actor_rules

    out = actor_rules({"kind": "person", "lat": 50.855217, "lon": 4.338712,
                       "location_precision": "exact"}, today=dt.date(2026, 11, 28))
    assert out["privacy"] == "team" and out["location_precision"] == "coarse"
    assert (out["lat"], out["lon"]) == privacy.coarsen(50.855217, 4.338712)
    assert out["review_date"] == "2027-11-28"
    kept = actor_rules({"kind": "person", "lat": 50.855217, "lon": 4.338712,
                        "location_precision": "exact"}, reason="afgesproken")
    assert (kept["lat"], kept["lon"]) == (50.855217, 4.338712)
    assert kept["tags"] == [f"{REASON_TAG}afgesproken"]
    org = {"kind": "organisation", "lat": 50.1, "lon": 4.1}
    assert actor_rules(org) == {**org, "privacy": "public", "location_precision": "exact"}


def test_an_actor_becoming_a_person_gets_the_person_rules() -> None:
    from buurtkaart.store.policy import actor_rules

    before = {"kind": "organisation", "privacy": "public", "location_precision": "exact",
              "lat": 50.855217, "lon": 4.338712, "review_date": None}
    after = actor_rules({**before, "kind": "person"}, changes={"kind": "person"},
                        current=before, today=dt.date(2026, 11, 28))
    assert (after["privacy"], after["location_precision"]) == ("team", "coarse")
    assert (after["lat"], after["lon"]) == privacy.coarsen(50.855217, 4.338712)
    assert after["review_date"] == "2027-11-28"
    chosen = actor_rules({**before, "kind": "person"}, changes={"kind": "person",
                                                                "privacy": "public"},
                         current=before)
    assert chosen["privacy"] == "public"
