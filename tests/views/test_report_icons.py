"""The printed report: street names on its map, SVG category icons, unnamed places named."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pypdf
import pytest
from support.emoji import emoji_in

from buurtkaart.core.area import Area
from buurtkaart.meeting.collect import gather
from buurtkaart.places import read_places
from buurtkaart.store import open_store
from buurtkaart.views.meeting_pdf import ReportData, build_report_pdf
from buurtkaart.views.meeting_report import meeting_pdf, view_categories

CENTER = (50.8552, 4.3387)
TODAY = dt.datetime.now(dt.UTC).date()
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def _icons(pdf: bytes) -> int:
    """Return the number of SVG drawings on the pages (fpdf2 draws an SVG as vector paths
    under its own mm -> pt transform, one per icon)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return sum(page.get_contents().get_data().count(b"2.8346 0 0 -2.8346 0 841.89 cm")
               for page in reader.pages)


@pytest.fixture(scope="module")
def brussels_map(brussels_2012: Path, brussels_2013: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A store with the 2012 then the 2013 places of Molenbeek and a meeting in between."""
    area = Area.circle(*CENTER, 1000)
    old, new = read_places(brussels_2012, area), read_places(brussels_2013, area)
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'store.db'}"
    with open_store(url) as store:
        m = store.create_map("an", name="Molenbeek", org_name="Buurtwerk", lat=CENTER[0],
                             lon=CENTER[1], area=area)
        store.import_places("an", m["id"], old, source="2012", area=area)
        store.add_meeting("an", m["id"], date=TODAY.isoformat(), title="Vorige")
        store.import_places("an", m["id"], new, source="2013", area=area)
        return url, str(m["id"])


@pytest.mark.shared
@pytest.mark.parametrize(("lang", "unnamed", "kinds"), [
    ("nl", "Publieke ruimte (zonder naam)", "Soorten plekken op de kaart"),
    ("fr", "Espace public (sans nom)", "Types de lieux sur la carte"),
    ("en", "Public space (unnamed)", "Kinds of places on the map")])
def test_report_names_unnamed_places_and_shows_icons(brussels_map: tuple[str, str],
                                                     brussels_2013: Path, lang: str,
                                                     unnamed: str, kinds: str) -> None:
    url, map_id = brussels_map
    with open_store(url) as store:
        view = gather(store, map_id, TODAY + dt.timedelta(days=1), lang=lang)
    pdf = meeting_pdf(view, lang=lang, osm_file=brussels_2013)
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / f"report_{lang}.pdf"
    out.write_bytes(pdf)
    flat = _text(pdf)
    assert unnamed in flat
    assert "Publieke ruimte: Publieke ruimte" not in flat
    assert "Espace public: Espace public" not in flat
    assert kinds in flat
    assert emoji_in(flat) == []
    legend, ids = view_categories(view, lang)
    assert len(legend) >= 10 and ids
    # the map image plus one SVG icon per legend row and per changed place with a category
    assert _icons(pdf) > len(legend)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(out),
                    str(ARTIFACTS / f"report_{lang}")], check=True)


def test_icons_are_vector_forms_without_a_map(tmp_path: Path) -> None:
    from buurtkaart.meeting.since import Item, SinceReport

    since = SinceReport("2026-01-01", [
        Item("osm_new", "new", "Publieke ruimte", "Publieke ruimte", "osm", "", "way/1"),
        Item("osm_new", "new", "Moskee Al Khalil", "Moskee", "osm", "", "node/2")])
    data = ReportData(map_name="Test", date=TODAY, since=since,
                      categories=[("public_space", "Publieke ruimte", 1),
                                  ("worship_muslim", "Moskee", 1)],
                      item_categories={"way/1": "public_space", "node/2": "worship_muslim"})
    pdf = build_report_pdf(data)
    flat = _text(pdf)
    assert "+ Publieke ruimte (zonder naam)" in flat and "+ Moskee Al Khalil: Moskee" in flat
    assert _icons(pdf) == 2  # one per changed place (the legend comes with the map image)
