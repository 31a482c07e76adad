"""Printed meeting report: a PDF made offline with fpdf2 and a Pillow map image.

Contents: the buurt map with the changes marked and the kinds of places (icons), the
list of changes since the previous meeting (each place with its category icon, an SVG
drawn as vector by fpdf2; an unnamed place as "Publieke ruimte (zonder naam)"),
follow-ups, the upcoming agenda, the domain reflection summary, the meeting's
decisions and actions, and the OSM attribution on every page.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fpdf import FPDF

from buurtkaart._errors import DataFileError
from buurtkaart.core.categories import categories
from buurtkaart.i18n import colon, format_date, label, label_or_key, t
from buurtkaart.meeting.agenda import Occurrence
from buurtkaart.meeting.reflection import Movement
from buurtkaart.meeting.since import FollowUp, SinceReport
from buurtkaart.views.follow_up import follow_up_reason
from buurtkaart.views.icons import icon_svg
from buurtkaart.views.mapimage import ATTRIBUTION, FONT_DIR


@dataclass
class ReportData:
    """Everything the printed report shows."""

    map_name: str
    date: dt.date
    since: SinceReport
    lang: str = "nl"
    org_name: str = ""
    follow_ups: list[FollowUp] = field(default_factory=list)
    agenda: list[Occurrence] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)
    latest: dict[tuple[str, str, str | None], tuple[str, float]] = field(default_factory=dict)
    meeting: Mapping[str, Any] | None = None
    map_png: bytes | None = None
    #: ``(category key, label, count)`` of the places on the map (the icon legend).
    categories: list[tuple[str, str, int]] = field(default_factory=list)
    #: Place id -> category key, for the icon in front of a changed place.
    item_categories: dict[str, str] = field(default_factory=dict)
    #: Day of the previous meeting as the page shows it (not the UTC ``since`` time).
    previous_date: str | None = None


class _PDF(FPDF):
    lang = "nl"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"{ATTRIBUTION} · buurtkaart · "
                        f"{t('pdf.page', self.lang, n=self.page_no())}", align="C")


def _new_pdf(lang: str) -> _PDF:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not regular.exists() or not bold.exists():
        msg = (f"font {regular} is missing: install the Debian package fonts-dejavu-core "
               "to print the meeting report")
        raise DataFileError(msg)
    pdf = _PDF(format="A4")
    pdf.lang = lang
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(15, 15, 15)
    return pdf


def _heading(pdf: FPDF, text: str, size: int = 13) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", size)
    pdf.set_text_color(20, 40, 90)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "", 10)


def _line(pdf: FPDF, text: str, indent: float = 0) -> None:
    pdf.set_font("DejaVu", "", 10)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")


def build_report_pdf(data: ReportData) -> bytes:
    """Return the meeting report as PDF bytes (A4, DejaVu Sans, no network).

    Raises
    ------
    DataFileError
        When the DejaVu fonts are not installed.
    """
    lang = data.lang
    pdf = _new_pdf(lang)
    pdf.set_title(f"{t('pdf.title', lang)} – {data.map_name} – {format_date(data.date, lang)}")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 9, f"{t('pdf.title', lang)} {format_date(data.date, lang)}",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(0, 6, " – ".join(x for x in (data.map_name, data.org_name) if x),
                   new_x="LMARGIN", new_y="NEXT")
    if data.map_png:
        _heading(pdf, t("pdf.map", lang))
        pdf.image(io.BytesIO(data.map_png), w=pdf.epw)
        _category_legend(pdf, data)
    _changes(pdf, data)
    _follow_ups(pdf, data)
    _agenda(pdf, data)
    _reflection(pdf, data)
    if data.meeting:
        _meeting(pdf, data.meeting, lang)
    return bytes(pdf.output())


def _changes(pdf: FPDF, data: ReportData) -> None:
    lang = data.lang
    _heading(pdf, t("pdf.since", lang), 14)
    if data.since.first_meeting:
        _line(pdf, data.since.message())
    else:
        day = data.previous_date or str(data.since.since)[:10]
        _line(pdf, t("pdf.since_date", lang, d=format_date(day, lang)))
    groups = data.since.by_section()
    if not groups:
        _line(pdf, t("pdf.no_changes", lang))
    marks = {"new": "+", "changed": "~", "gone": "−"}
    for section, items in groups.items():
        _heading(pdf, f"{t(f'since.section.{section}', lang)} ({len(items)})", 11)
        for item in items:
            who = f" [{item.user}]" if item.user and item.user != "osm" else ""
            title, detail = item.title, item.detail
            if detail and title == detail:  # an unnamed place: the title fell back to its kind
                title, detail = t("pdf.unnamed", lang, cat=detail), ""
            detail = f"{colon(lang)}{detail}" if detail else ""
            category = _item_category(item, data)
            if category:
                if pdf.get_y() + 6 > pdf.page_break_trigger:  # icon and text on one page
                    pdf.add_page()
                _icon(pdf, category, pdf.l_margin + 3)
            indent = 8.0 if category else 3.0
            _line(pdf, f"{marks.get(item.style, '·')} {title}{detail}{who}", indent=indent)


ICON_MM = 4.0


def _item_category(item: Any, data: ReportData) -> str | None:
    """Return the category of a changed place: by its id, else (gone places) by its label."""
    found = data.item_categories.get(str(item.entity_id or ""))
    if found or not item.section.startswith("osm_"):
        return found
    by_label = {label_or_key(key, data.lang): key for key in categories()}
    return by_label.get(item.detail)


def _icon(pdf: FPDF, category: str, x: float) -> None:
    """Draw the SVG icon of ``category`` at ``x`` on the current line (vector, no emoji)."""
    svg = icon_svg(category, size=24).encode("utf-8")
    pdf.image(io.BytesIO(svg), x=x, y=pdf.get_y() + 0.5, w=ICON_MM, h=ICON_MM)


def _category_legend(pdf: FPDF, data: ReportData) -> None:
    """One line per kind of place on the map: its icon, name and count."""
    if not data.categories:
        return
    _heading(pdf, t("pdf.categories", data.lang), 11)
    col_w = pdf.epw / 3
    for i, (key, name, count) in enumerate(data.categories):
        if i % 3 == 0 and i:
            pdf.ln(5.5)
        x = pdf.l_margin + (i % 3) * col_w
        _icon(pdf, key, x)
        pdf.set_xy(x + ICON_MM + 1.5, pdf.get_y())
        pdf.cell(col_w - ICON_MM - 2, 5, f"{name} ({count})")
    pdf.ln(7)


def _follow_ups(pdf: FPDF, data: ReportData) -> None:
    lang = data.lang
    _heading(pdf, f"{t('pdf.follow', lang)} ({len(data.follow_ups)})", 14)
    if not data.follow_ups:
        _line(pdf, t("pdf.none", lang))
    for f in data.follow_ups:
        why = follow_up_reason(f, lang)
        person = f" ({f.contact_person})" if f.contact_person else ""
        _line(pdf, f"• {f.name}{person}{colon(lang)}{why}", indent=3)


def _agenda(pdf: FPDF, data: ReportData) -> None:
    lang = data.lang
    _heading(pdf, t("pdf.agenda", lang), 14)
    if not data.agenda:
        _line(pdf, t("pdf.none", lang))
    for occ in data.agenda:
        when = format_date(occ.when, lang)
        place = f" – {occ.item['place']}" if occ.item.get("place") else ""
        _line(pdf, f"• {when}: {occ.item['title']}{place}", indent=3)


def _reflection(pdf: FPDF, data: ReportData) -> None:
    lang = data.lang
    _heading(pdf, t("pdf.reflection", lang), 14)
    if not data.latest and not data.movements:
        _line(pdf, t("pdf.none", lang))
        return
    if data.movements:
        _heading(pdf, t("pdf.moved", lang), 11)
        for m in data.movements:
            arrow = "▲" if m.delta > 0 else "▼"
            _line(pdf, f"{arrow} {m.label(lang)}", indent=3)
    if data.latest:
        _heading(pdf, t("pdf.latest", lang), 11)
        for (domain, factor, dim), (day, score) in sorted(data.latest.items(),
                                                          key=lambda kv: str(kv[0])):
            d = f" ({label('dimension', dim, lang)})" if dim else ""
            name = t(f"factor.{domain}.{factor}", lang)
            _line(pdf, f"{label('domain', domain, lang)} – {name}{d}: "
                       f"{score:g} ({format_date(day, lang)})", indent=3)


def _meeting(pdf: FPDF, meeting: Mapping[str, Any], lang: str) -> None:
    _heading(pdf, f"{t('pdf.meeting', lang)}: {meeting.get('title') or ''} "
                  f"{format_date(meeting.get('date'), lang)}".strip(), 14)
    if meeting.get("attendees"):
        _line(pdf, f"{t('pdf.attendees', lang)}: {', '.join(map(str, meeting['attendees']))}")
    if meeting.get("notes"):
        _line(pdf, str(meeting["notes"]))
    if meeting.get("decisions"):
        _heading(pdf, t("pdf.decisions", lang), 11)
        for d in meeting["decisions"]:
            _line(pdf, f"• {d}", indent=3)
    if meeting.get("actions"):
        _heading(pdf, t("pdf.actions", lang), 11)
        for a in meeting["actions"]:
            due = (f" ({t('pdf.due', lang, d=format_date(a.get('due'), lang))})"
                   if a.get("due") else "")
            owner = f" – {a.get('owner')}" if a.get("owner") else ""
            _line(pdf, f"• {a.get('text', '')}{owner}{due}", indent=3)
