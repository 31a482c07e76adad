"""The printed meeting report: a real PDF with pages, the expected text and a map."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2
import pytest
from PIL import Image

from buurtkaart.core.area import Area
from buurtkaart.meeting.collect import gather
from buurtkaart.places import read_places
from buurtkaart.store import open_store
from buurtkaart.views.mapimage import STYLE_COLORS
from buurtkaart.views.meeting_report import meeting_pdf

CENTER = (50.8552, 4.3387)
TODAY = dt.datetime.now(dt.UTC).date()
TOMORROW = TODAY + dt.timedelta(days=1)


def _text(pdf: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def _first_page_png(pdf: bytes, out: Path) -> Image.Image:
    doc = pypdfium2.PdfDocument(pdf)
    image = doc[0].render(scale=1.5).to_pil().convert("RGB")
    image.save(out)
    return image


def _has_colour(image: Image.Image, rgb: tuple[int, int, int], tol: int = 30) -> int:
    small = image.resize((image.width // 2, image.height // 2), Image.Resampling.NEAREST)
    data: Any = small.get_flattened_data()
    return sum(1 for px in data if all(abs(a - b) <= tol for a, b in zip(px, rgb, strict=True)))


def _fill(store: Any, mid: str) -> None:
    """Actors, agenda, scores and a meeting that the report must show."""
    store.add_actor("an", mid, name="Stille Partner", last_contact="2025-01-10",
                    contact_person="an", lat=CENTER[0] + 0.001, lon=CENTER[1])
    store.add_agenda_item("an", mid, title="Markt op het Gemeenteplein",
                          start=(TODAY - dt.timedelta(days=TODAY.weekday())).isoformat(),
                          rrule="FREQ=WEEKLY", place="Gemeenteplein")
    for day, score in (("2026-01-15", 2), (TOMORROW.isoformat(), 3)):
        store.add_reflection("an", mid, date=day, domain="organisatie", factor="visie",
                             score=score, dimension="cultuur")


@pytest.mark.shared
def test_report_on_brussels_changes(tmp_path: Path, brussels_2012: Path,
                                    brussels_2013: Path) -> None:
    area = Area.circle(*CENTER, 1000)
    old, new = read_places(brussels_2012, area), read_places(brussels_2013, area)
    added = sorted({p.name for p in new if p.name} - {p.name for p in old if p.name})
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        m = store.create_map("an", name="Molenbeek Gemeenteplein", org_name="Buurtwerk",
                             lat=CENTER[0], lon=CENTER[1], area=area)
        store.import_places("an", m["id"], old, source="2012", area=area)
        store.add_meeting("an", m["id"], date=TODAY.isoformat(), title="Vorige")
        store.import_places("an", m["id"], new, source="2013", area=area)
        _fill(store, m["id"])
        store.add_meeting("an", m["id"], date=TOMORROW.isoformat(), title="Teamoverleg",
                          attendees=["An", "Bo"], decisions=["Moskee uitnodigen"],
                          actions=[{"text": "Bel de moskee", "owner": "Bo",
                                    "due": "2026-12-15"}])
        view = gather(store, m["id"], TOMORROW)
        meeting = store.list_meetings(m["id"])[-1]
    pdf = meeting_pdf(view, meeting, osm_file=brussels_2013)
    (tmp_path / "report.pdf").write_bytes(pdf)
    pages, text = _text(pdf)
    assert pages >= 2
    flat = " ".join(text.split())
    for expected in ("Teamvergadering", "Molenbeek Gemeenteplein", "Sinds de vorige vergadering",
                     "Nieuwe OSM-plekken", "Opvolging", "Stille Partner", "Buurtagenda",
                     "Markt op het Gemeenteplein", "Domeinreflectie",
                     "Organisatie – Visie (Cultuur): 2 → 3", "Bel de moskee – Bo",
                     "Moskee uitnodigen", "© OpenStreetMap contributors"):
        assert expected in flat, expected
    assert added and sum(name in flat for name in added) >= len(added) // 2
    image = _first_page_png(pdf, tmp_path / "page1.png")
    assert image.getextrema() != ((255, 255), (255, 255), (255, 255))
    assert _has_colour(image, STYLE_COLORS["new"]) > 20, "no new place marked on the map"
    assert _has_colour(image, STYLE_COLORS["gone"]) > 5, "no gone place marked on the map"


def test_report_first_meeting_without_shared_data(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        m = store.create_map("an", name="Buurt Noord", org_name="", lat=CENTER[0],
                             lon=CENTER[1], area=Area.circle(*CENTER, 300))
        _fill(store, m["id"])
        view = gather(store, m["id"], TODAY, lang="fr")
    pdf = meeting_pdf(view, lang="fr")
    pages, text = _text(pdf)
    flat = " ".join(text.split())
    assert pages >= 1
    assert "Pas encore de réunion précédente" in flat
    assert "Nouveaux acteurs (1)" in flat and "Stille Partner" in flat
    assert "Réunion d'équipe" in flat and "© OpenStreetMap contributors" in flat
    image = _first_page_png(pdf, tmp_path / "page1.png")
    assert _has_colour(image, STYLE_COLORS["new"]) > 20  # the new actor is marked
