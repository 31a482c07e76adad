"""Insights on a constructed map whose answers are derived by hand.

The map (organisation at Molenbeek's Place Communale):

============  ==============  ========  ===========  =====================================
actor         category         strength  status       other
============  ==============  ========  ===========  =====================================
School X      school (place)   2         cooperating  120 m north... see OFFSETS_M
Bib           library (place)  1         to_contact   never contacted
Jeugdhuis     youth_centre     3         cooperating  last contact 2026-03-15, log 04-01
Fatima        (person)         3         cooperating  sleutelfiguur, links to P1, P2, P3
Ouder 1-3     (persons)        0         to_contact   only linked to Fatima (P2-P3 too)
Buurthuis     (none)           0         to_contact   no links
Imam          worship_muslim   0         to_contact   no links
============  ==============  ========  ===========  =====================================

Places in the area: 3 mosques, 2 schools, 1 library, 1 youth centre, 2 public spaces.

By hand:
- categories with places and no tie: worship_muslim (3 places; the imam has strength 0)
  and public_space (2); school, library and youth_centre have a tie.
- island score: relevant = worship_muslim, school, library, youth_centre (public_space is
  excluded): with an active tie >= 2: school, youth_centre -> 2/4. Reached actors (active,
  strength >= 1): School X, Jeugdhuis, Fatima -> 3/9. Score = round(100 * (1/2 + 1/3) / 2) = 42.
- bridge: removing Fatima cuts Ouder 1, 2, 3 off the organisation; no one else cuts anyone.
  Her betweenness: the 14 node pairs {Ouder i} x {org, School X, Bib, Jeugdhuis} (12) and
  (Ouder 1, Ouder 2), (Ouder 1, Ouder 3) all pass only through her; over C(9, 2) = 36 pairs
  (10 nodes, normalised) -> 14/36.
- unreached: Buurthuis and Imam.
- neglected on 2026-11-28 after 6 months: Jeugdhuis (strength 3, last 2026-04-01, 7 months),
  then Bib (strength 1, never); Fatima (2026-11-01) and School X (2026-10-01) are recent.
- strong ties (3): Fatima at 120 m and Jeugdhuis at 260 m -> "within 300 m".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.insights_data import TODAY, constructed_map

from buurtkaart.insights import (
    MapData,
    build_report,
    coverage,
    island_score,
    neglected,
    network,
    render_markdown,
    safe_walking,
    untied_categories,
)


@pytest.fixture()
def data() -> MapData:
    return constructed_map()


def test_categories_without_ties(data: MapData) -> None:
    rows = coverage(data.places, data.actors)
    assert untied_categories(rows) == ["worship_muslim", "public_space"]
    by_cat = {r["category"]: r for r in rows}
    assert by_cat["worship_muslim"]["places"] == 3
    assert by_cat["worship_muslim"]["actors"] == 1  # the imam, no tie
    assert by_cat["school"]["places"] == 2
    assert by_cat["school"]["places_as_actor"] == 1
    assert by_cat["school"]["max_strength"] == 2
    assert by_cat["library"]["with_tie"] == 1
    assert by_cat["library"]["active_regular"] == 0


def test_coverage_sentence_names_the_mosques(data: MapData) -> None:
    report = build_report(data, today=TODAY)
    nl = report["coverage"]["sentence"]["nl"]
    assert nl == ("Moskee: 3 in de buurt, met geen enkele hebben we contact. "
                  "Ook geen band met 1 andere soort plek.")
    assert report["coverage"]["sentence"]["fr"].startswith("Mosquée : 3 dans le quartier")


def test_island_score(data: MapData) -> None:
    result = island_score(coverage(data.places, data.actors), data.actors)
    assert result["category_share"] == pytest.approx(2 / 4)
    assert result["reach_share"] == pytest.approx(3 / 9)
    assert result["score"] == 42
    assert sorted(result["categories_without"]) == ["library", "worship_muslim"]
    assert "42/100" in result["sentence"]["nl"]
    assert "eilandscore" in result["definition"]["nl"].lower()


def test_bridge_is_the_key_figure(data: MapData) -> None:
    result = network(data.actors, data.links, "Ons Huis")
    assert [b["id"] for b in result["bridges"]] == ["K"]
    fatima = result["bridges"][0]
    assert fatima["only_path_to"] == ["Ouder 1", "Ouder 2", "Ouder 3"]
    assert "only_path" in fatima["reasons"]
    assert fatima["betweenness"] == pytest.approx(14 / 36, abs=1e-4)
    assert {u["id"] for u in result["unreached"]} == {"D", "E"}
    assert result["sentence"]["nl"].startswith("Fatima is onze enige brug naar Ouder 1")


def test_neglected_ties(data: MapData) -> None:
    result = neglected(data.actors, TODAY, 6, data.contacts)
    assert [(i["id"], i["months_since"]) for i in result["items"]] == [("C", 7), ("B", None)]
    assert result["items"][0]["last_contact"] == "2026-04-01"  # from the contact log


def test_distance_of_strong_ties(data: MapData) -> None:
    report = build_report(data, today=TODAY)
    dist = report["distance"]
    assert dist["strong_within_m"] == 300
    assert dist["strong_max_m"] == pytest.approx(260, abs=0.5)
    ties = {t["id"]: t["distance_m"] for t in dist["ties"]}
    assert ties["K"] == pytest.approx(120, abs=0.5)
    assert "binnen 300 m" in dist["sentence"]["nl"]
    band = {b["band"]: b for b in dist["bands"]}
    assert band["100-300"]["3"] == 2 and band["100-300"]["2"] == 1
    assert band["300-500"]["1"] == 1


def test_counts(data: MapData) -> None:
    c = build_report(data, today=TODAY)["counts"]
    assert c["total"] == 9
    assert c["by_role"]["sleutelfiguur"] == 1
    assert c["by_role"]["doelpubliek"] == 3
    assert c["by_status"] == {"to_contact": 6, "cooperating": 3}
    assert c["by_strength"] == {"0": 5, "1": 1, "2": 1, "3": 2}
    assert c["by_kind"] == {"organisation": 5, "person": 4}


def test_report_has_the_documented_keys(data: MapData) -> None:
    report = build_report(data, today=TODAY)
    for key in ("island_score", "coverage", "neglected", "unanswered", "bridges",
                "walking_areas", "counts", "distance", "network", "sentences", "map", "schema"):
        assert key in report
    assert report["walking_areas"]["type"] == "FeatureCollection"
    assert report["empty"] is False
    for lang in ("nl", "fr", "en"):
        assert len(report["sentences"][lang]) == 7


def test_markdown_escapes_names(data: MapData) -> None:
    data.actors[3]["name"] = "Fatima | <b>*x*</b>"
    md = render_markdown(build_report(data, today=TODAY), "nl")
    assert "<b>" not in md and "\\|" in md and "\\*x\\*" in md
    assert md.startswith("# Inzichten: molenbeek")
    assert "| Moskee | 3 | 1 | 0 | 0 |" in md


def test_empty_map_gives_a_message(data: MapData) -> None:
    empty = MapData(data.map, [], [], [], data.places)
    report = build_report(empty, today=TODAY)
    assert report["empty"] is True
    assert "nog geen actoren" in report["message"]["nl"]
    assert report["island_score"]["score"] == 0  # places loaded, no tie anywhere
    assert report["bridges"]["items"] == []
    assert report["neglected"]["items"] == []
    md = render_markdown(report, "fr")
    assert "pas encore d'acteurs" in md


def test_map_with_nothing_at_all() -> None:
    report = build_report(MapData({"id": "x", "name": "leeg", "lat": None, "lon": None}),
                          today=TODAY)
    assert report["island_score"]["score"] is None
    assert "locatie" in report["distance"]["sentence"]["nl"]
    assert render_markdown(report, "en").startswith("# Insights: leeg")


def test_charts_are_valid_vega_lite(data: MapData) -> None:
    from buurtkaart.insights import charts

    for report, langs in ((build_report(data, today=TODAY), ("nl", "en")),
                          (build_report(MapData(data.map, [], [], [], []), today=TODAY), ("fr",))):
        for lang in langs:
            specs = [charts.island_chart(report, lang), *charts.coverage_charts(report, lang),
                     charts.distance_chart(report, lang), charts.network_chart(report, lang),
                     charts.counts_chart(report, "by_role", lang),
                     charts.counts_chart(report, "by_strength", lang)]
            for spec in specs:
                assert spec.to_dict()["$schema"].startswith("https://vega.github.io/")
    layout = charts.network_layout(build_report(data, today=TODAY))
    assert set(layout) == {"__organisation__", "A", "B", "C", "K", "P1", "P2", "P3", "D", "E"}


def test_walking_outside_the_extract_is_explained(data: MapData, demo_pbf: Path,
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path))
    areas, error = safe_walking(data, (5, 10), demo_pbf)  # Molenbeek is not in Helsinki
    assert areas == []
    assert error is not None and "Helsinki.osm.pbf" in error
    report = build_report(data, today=TODAY, walking=areas, walking_error=error)
    assert "no walkable street" in report["walking_areas"]["sentence"]["en"]
