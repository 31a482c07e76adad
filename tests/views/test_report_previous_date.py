"""The printed report names the previous meeting's day, the same day the page shows.

A meeting written up the day after it took place has a ``created_at`` after
its date; the "since" time is then the next UTC midnight, which used to be
printed (one day off, in Brussels even at 01:00) instead of the meeting's day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pypdfium2
import sqlalchemy as sa

from buurtkaart.i18n import format_date, t
from buurtkaart.meeting.collect import gather
from buurtkaart.store import open_store
from buurtkaart.views.meeting_report import meeting_pdf


def _text(pdf: bytes) -> str:
    doc = pypdfium2.PdfDocument(pdf)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def test_previous_meeting_day_in_the_pdf_is_the_pages_day(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "store.db")) as store:
        m = store.create_map("an", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
        prev = store.add_meeting("an", m["id"], date="2026-11-17", title="Vorige")
        with store.transaction() as conn:  # the notes were typed in the next morning
            conn.execute(sa.text("UPDATE meetings SET created_at = :c WHERE id = :i"),
                         {"c": "2026-11-18T08:30:00.000000+00:00", "i": prev["id"]})
        view = gather(store, m["id"], dt.date(2026, 12, 1))
    assert view.previous is not None
    page_day = format_date(str(view.previous["date"])[:10])
    assert page_day == "17/11/2026"
    text = _text(meeting_pdf(view, None, with_map=False))
    assert t("pdf.since_date", "nl", d=page_day) in text
    assert "18/11/2026" not in text
