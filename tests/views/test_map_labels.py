"""Street labels of the map data and of the printed map (placement without overlaps)."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from buurtkaart.core.area import Area
from buurtkaart.sources.basemap import offline_basemap_geojson
from buurtkaart.views import labels as lb
from buurtkaart.views import map_layers as ml
from buurtkaart.views.mapimage import printed_labels, render_map_png
from buurtkaart.views.mapview import map_data

CENTER = (50.8552, 4.3387)
BILINGUAL = {"kind": "minor", "name": "Place Communale - Gemeenteplaats",
             "name_nl": "Gemeenteplaats", "name_fr": "Place Communale", "line": [[4.33, 50.85],
                                                                                 [4.34, 50.85]]}


def test_label_text_follows_the_language() -> None:
    assert ml.label_text(BILINGUAL, "nl") == "Gemeenteplaats"
    assert ml.label_text(BILINGUAL, "fr") == "Place Communale"
    assert ml.label_text(BILINGUAL, "en") == "Place Communale - Gemeenteplaats"
    only = {"kind": "square", "name": "Place Voltaire - Voltaireplein", "name_nl": "",
            "name_fr": ""}
    assert ml.label_text(only, "nl") == ml.label_text(only, "fr") == only["name"]


def test_label_rows_are_escaped_and_flat() -> None:
    xss = {**BILINGUAL, "name_nl": "<b>x</b>"}
    park = {"kind": "green", "name": "Fonderiepark", "name_nl": "", "name_fr": "",
            "point": [4.33, 50.86]}
    rows = ml.label_rows({"labels": [xss, park, {"kind": "bogus", "name": "x", "point": [1, 2]}]},
                         "nl")
    assert rows is not None and rows["minZoom"] == 16
    assert rows["rows"] == [[1, "&lt;b&gt;x&lt;/b&gt;", [4.33, 50.85, 4.34, 50.85]],
                            [4, "Fonderiepark", [4.33, 50.86]]]
    assert rows["kinds"][1] == "minor" and rows["kinds"][4] == "green"
    assert ml.label_rows(None, "nl") is None and ml.label_rows({"labels": []}, "fr") is None


def test_map_data_sends_labels_apart_in_one_language() -> None:
    basemap = {"type": "FeatureCollection", "features": [], "labels": [BILINGUAL]}
    data = map_data(org=None, places=[], actors=[], lang="fr", offline_basemap=basemap)
    assert "labels" not in data["basemap"]
    assert data["labels"]["rows"][0][1] == "Place Communale"
    assert data["text"]["street_names"] == "Noms de rue"
    assert map_data(org=None, places=[], actors=[])["labels"] is None


def test_placement_keeps_boxes_apart() -> None:
    def measure(text: str, kind: str) -> tuple[float, float]:
        return 7.0 * len(text), 14.0

    items = [("minor", "Schoolstraat", [(0.0, 0.0), (300.0, 0.0)]),
             ("major", "Steenweg op Gent", [(0.0, 4.0), (300.0, 4.0)]),
             ("minor", "Kromme Straat", [(0.0, 100.0), (20.0, 100.0), (20.0, 140.0)]),
             ("square", "Gemeenteplaats", [(150.0, 300.0)])]
    placed = lb.place_labels(items, measure)
    assert [p.text for p in placed] == ["Steenweg op Gent", "Gemeenteplaats"]
    assert placed[1].angle == 0.0
    assert lb.line_anchor([(200.0, 0.0), (0.0, 0.0)], 50) == (100.0, 0.0, 0.0)  # upright
    assert lb.place_labels(items, measure, frame=(100.0, 100.0)) == []


@pytest.fixture(scope="module")
def molenbeek_basemap(brussels_2013: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BUURTKAART_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        return offline_basemap_geojson(brussels_2013, Area.circle(*CENTER, 1000).bbox)


@pytest.mark.parametrize(("lang", "street", "other"), [
    ("nl", "Steenweg op Gent", "Chaussée de Gand"), ("fr", "Chaussée de Gand", "Steenweg op Gent")])
def test_printed_map_names_streets(molenbeek_basemap: dict, lang: str, street: str,
                                   other: str) -> None:
    bbox = Area.circle(*CENTER, 1000).bbox
    placed = printed_labels(bbox, molenbeek_basemap, lang)
    texts = [p.text for p in placed]
    assert len(texts) > 40 and street in texts and other not in texts
    assert any(p.kind == "water" for p in placed)  # the canal
    assert len(texts) == len(set(texts)) or max(texts.count(t) for t in texts) <= 3
    for a, b in itertools.combinations(placed, 2):
        assert not lb.overlaps(a.box, b.box), (a.text, b.text)
    for p in placed:
        assert 0 <= p.x <= 1400 and 0 <= p.y <= 1000 and -90 <= p.angle <= 90


def test_printed_labels_change_the_image(molenbeek_basemap: dict, tmp_path: Path) -> None:
    bbox = Area.circle(*CENTER, 1000).bbox
    bare = {k: v for k, v in molenbeek_basemap.items() if k != "labels"}
    with_names = Image.open(io.BytesIO(render_map_png(bbox, [], molenbeek_basemap, lang="nl")))
    without = Image.open(io.BytesIO(render_map_png(bbox, [], bare, lang="nl")))
    with_names.save(tmp_path / "named.png")
    diff = ImageChops.difference(with_names.convert("RGB"), without.convert("RGB"))
    changed = sum(1 for px in diff.convert("L").point(lambda v: 255 if v > 60 else 0)
                  .get_flattened_data() if px)
    assert changed > 20_000, changed  # dark text over the streets
