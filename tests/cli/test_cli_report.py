"""``buurtkaart report`` on a real store holding the hand-derived map of test_insights."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.insights_data import fill_store

from buurtkaart.cli import main


@pytest.fixture(autouse=True)
def _acting_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_USER", "tester")
    monkeypatch.delenv("BUURTKAART_SINGLE_USER", raising=False)


def test_report_refused_for_a_non_member(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    fill_store(db)
    code, out, err = run(capsys, "--db", db, "--map", "molenbeek", "--user", "mallory",
                         "--walk-minutes", "none")
    assert code == 5 and out == "" and "mallory" in err


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_answers(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    ids = fill_store(store_url)
    code, out, _ = run(capsys, "--db", store_url, "--map", "molenbeek", "--today", "2026-11-28",
                       "--walk-minutes", "none")
    assert code == 0
    report: dict[str, Any] = json.loads(out)
    assert report["island_score"]["score"] == 42
    assert report["coverage"]["untied"] == ["worship_muslim", "public_space"]
    assert [b["id"] for b in report["bridges"]["items"]] == [ids["K"]]
    assert report["bridges"]["items"][0]["only_path_to"] == ["Ouder 1", "Ouder 2", "Ouder 3"]
    assert [i["id"] for i in report["neglected"]["items"]] == [ids["C"], ids["B"]]
    assert report["distance"]["strong_within_m"] == 300
    assert report["counts"]["total"] == 9
    assert report["walking_areas"]["features"] == []


def test_markdown_memo(sqlite_url: str, capsys: pytest.CaptureFixture[str],
                       tmp_path: Path) -> None:
    fill_store(sqlite_url)
    target = tmp_path / "memo.md"
    code, out, _ = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--format", "md",
                       "--today", "2026-11-28", "--walk-minutes", "none", "-o", str(target))
    assert code == 0 and out == ""
    memo = target.read_text(encoding="utf-8")
    assert "Eilandscore 42/100" in memo
    assert "Fatima is onze enige brug naar Ouder 1, Ouder 2 en Ouder 3." in memo
    assert "Al onze 2 sterke banden liggen binnen 300 m." in memo
    code, out, _ = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--format", "md",
                       "--lang", "en", "--walk-minutes", "none", "--today", "2026-11-28")
    assert "Fatima is our only bridge to Ouder 1, Ouder 2 and Ouder 3." in out


def test_empty_map_message(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    fill_store(sqlite_url)
    code, out, _ = run(capsys, "--db", sqlite_url, "--map", "leeg", "--format", "md",
                       "--walk-minutes", "none")
    assert code == 0
    assert "Deze kaart heeft nog geen actoren" in out


def test_errors(sqlite_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fill_store(sqlite_url)
    code, _, err = run(capsys, "--db", sqlite_url, "--map", "nergens")
    assert code == 2 and "nergens" in err
    code, _, err = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--walk-minutes", "5,x")
    assert code == 2 and "'x'" in err
    code, _, err = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--today", "gisteren")
    assert code == 2 and "gisteren" in err
    code, _, err = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--speed", "-3")
    assert code == 2 and "--speed -3" in err
    missing = tmp_path / "missing.osm.pbf"
    code, _, err = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--osm-file",
                       str(missing))
    assert code == 4 and "missing.osm.pbf" in err


@pytest.mark.shared
def test_walking_areas_on_brussels(sqlite_url: str, capsys: pytest.CaptureFixture[str],
                                   brussels_2013: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    ids = fill_store(sqlite_url)
    code, out, _ = run(capsys, "--db", sqlite_url, "--map", "molenbeek", "--osm-file",
                       str(brussels_2013), "--today", "2026-11-28")
    assert code == 0
    fc = json.loads(out)["walking_areas"]
    assert fc["error"] is None
    assert [f["properties"]["minutes"] for f in fc["features"]] == [5, 10, 15]
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in fc["features"])
    inside = [set(f["properties"]["actor_ids_within"]) for f in fc["features"]]
    assert inside[0] <= inside[1] <= inside[2]
    # Buurthuis lies 900 m north as the crow flies: beyond 10 min at 4.5 km/h + 30 m buffer
    assert ids["D"] not in inside[1]
