"""One wording of a follow-up's reason, the same on the meeting page and in the PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from buurtkaart.meeting.since import FollowUp, SinceReport
from buurtkaart.views.follow_up import REASON_KINDS, follow_up_reason, reason_kind
from buurtkaart.views.meeting_pdf import ReportData, build_report_pdf

FOLLOWS = [
    FollowUp("a1", "Moskee Al Khalil", "no_answer", "2026-11-20", "Sara", "in_conversation", 3),
    FollowUp("a2", "Buurthuis", "review", "2026-10-01", ""),
    FollowUp("a3", "Bakkerij", "review", None, ""),
    FollowUp("a4", "Sportclub", "no_contact", "2026-06-15", "Tom"),
    FollowUp("a5", "School", "no_contact", None, ""),
]


def test_every_reason_has_its_own_sentence() -> None:
    assert [reason_kind(f) for f in FOLLOWS] == list(REASON_KINDS)


@pytest.mark.parametrize(("lang", "expected"), [
    ("nl", ["status ‘In gesprek’, maar 3 pogingen op rij zonder antwoord (laatste: 20/11/2026)",
            "herbekijken sinds 01/10/2026", "herbekijken: nog geen datum",
            "geen contact sinds 15/06/2026", "nog nooit contact"]),
    ("en", ["review due since", "review due: no date yet", "never contacted"]),
])
def test_the_reasons_in_words(lang: str, expected: list[str]) -> None:
    said = " | ".join(follow_up_reason(f, lang) for f in FOLLOWS)
    assert "None" not in said
    for part in expected:
        assert part in said


def test_the_pdf_prints_the_same_reasons() -> None:
    data = ReportData(map_name="Kaart", date=dt.date(2026, 12, 1), since=SinceReport(None),
                      org_name="Huis", follow_ups=FOLLOWS)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(build_report_pdf(data))).pages)
    flat = " ".join(text.split())
    for f in FOLLOWS:
        assert " ".join(follow_up_reason(f, "nl").split()) in flat


def test_french_lines_put_a_no_break_space_before_the_colon() -> None:
    from buurtkaart.app.screens.teamvergadering import item_line
    from buurtkaart.i18n import colon
    from buurtkaart.meeting.since import Item

    assert colon("fr") == "\u00a0: " and colon("nl") == colon("en") == ": "
    item = Item("actors", "new", "Elak", "Personne-relais", "sara", "2026-12-01T10:00:00")
    assert "**Elak**\u00a0: Personne\\-relais" in item_line(item, "fr")
    assert "**Elak**: Personne\\-relais" in item_line(item, "nl")
