"""Charts people can read: whole-number count axes, signals as points, the coverage gap."""

from __future__ import annotations

from typing import Any

from support.insights_data import TODAY, constructed_map

from buurtkaart.app.reflection import scores_chart
from buurtkaart.app.screens.buurt import timeline_chart
from buurtkaart.insights import build_report, charts
from buurtkaart.insights.coverage import gap_order, split_groups


def _encodings(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every encoding block of a (possibly layered / concatenated) Vega-Lite spec."""
    out = [spec["encoding"]] if "encoding" in spec else []
    for key in ("layer", "vconcat", "hconcat"):
        for part in spec.get(key, []):
            out += _encodings(part)
    return out


def _count_axes(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [enc[ch]["axis"] for enc in _encodings(spec) for ch in ("x", "y")
            if ch in enc and enc[ch].get("field") == "count"]


def _row(cat: str, places: int, with_tie: int) -> dict[str, Any]:
    return {"category": cat, "label": {"nl": cat, "fr": cat, "en": cat}, "places": places,
            "actors": with_tie, "with_tie": with_tie, "active_regular": 0,
            "no_ties": places > 0 and with_tie == 0}


def test_count_axes_tick_whole_numbers() -> None:
    report = build_report(constructed_map(), today=TODAY)
    for chart in (*charts.coverage_charts(report, "nl"), charts.distance_chart(report, "nl"),
                  charts.counts_chart(report, "by_role", "nl")):
        axes = _count_axes(chart.to_dict())
        assert axes, "no count axis found"
        assert all(a["tickMinStep"] == 1 and a["format"] == "d" for a in axes), axes


def test_one_signal_is_a_point_on_its_day() -> None:
    spec = timeline_chart([{"date": "2026-11-03", "type": "closure", "title": "Bakkerij dicht"}],
                          "fr").to_dict()
    assert spec["mark"]["type"] == "circle"  # not a bar over the whole month
    assert spec["encoding"]["x"]["field"] == "date" and "timeUnit" not in spec["encoding"]["x"]
    assert spec["encoding"]["x"]["axis"]["format"] == "%d/%m/%Y"
    rows = next(iter(spec["datasets"].values()))
    assert rows == [{"date": "2026-11-03", "type": "Fermeture", "title": "Bakkerij dicht",
                     "day": "03/11/2026"}]


def test_reflection_scores_tick_one_to_four() -> None:
    spec = scores_chart([{"date": "2026-10-01", "domain": "organisatie", "factor": "visie",
                          "score": 3}], "nl").to_dict()
    assert spec["encoding"]["y"]["axis"]["values"] == [1, 2, 3, 4]


def test_coverage_gap_stays_visible_next_to_shops_and_horeca() -> None:
    rows = [_row("shop", 300, 4), _row("horeca", 180, 2), _row("mosque", 13, 0),
            _row("school", 9, 3), _row("library", 2, 0)]
    assert [r["category"] for r in gap_order(rows)] == [
        "mosque", "library", "horeca", "shop", "school"]
    groups = split_groups(rows)
    assert [r["category"] for r in groups["institutions"]] == ["mosque", "library", "school"]
    assert [r["category"] for r in groups["commerce"]] == ["horeca", "shop"]
    report = {"coverage": {"categories": rows}}
    parts = [c.to_dict() for c in charts.coverage_charts(report, "en")]
    assert len(parts) == 2  # institutions and commerce, each on its own scale
    first = parts[0]
    assert first["layer"][1]["mark"]["type"] == "text"  # counts as labels
    assert first["layer"][0]["encoding"]["y"]["sort"][:2] == ["mosque", "library"]
