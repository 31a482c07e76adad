"""Printed meeting report: a PDF made offline with fpdf2 and a Pillow map image.

Contents: the buurt map with the changes marked, the list of changes since the
previous meeting, follow-ups, the upcoming agenda, the domain reflection summary,
the meeting's decisions and actions, and the OSM attribution on every page.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fpdf import FPDF

from buurtkaart._errors import DataFileError
from buurtkaart.core import vocab
from buurtkaart.meeting.agenda import Occurrence
from buurtkaart.meeting.reflection import Movement
from buurtkaart.meeting.since import SECTIONS, FollowUp, SinceReport
from buurtkaart.views.mapimage import ATTRIBUTION, FONT_DIR

_T: dict[str, tuple[str, str, str]] = {
    "title": ("Teamvergadering", "Réunion d'équipe", "Team meeting"),
    "since": ("Sinds de vorige vergadering", "Depuis la dernière réunion",
              "Since the last meeting"),
    "since_date": ("Vorige vergadering: {d}", "Réunion précédente : {d}",
                   "Previous meeting: {d}"),
    "no_changes": ("Geen wijzigingen.", "Aucun changement.", "No changes."),
    "follow": ("Opvolging", "Suivi", "Follow-ups"),
    "no_contact": ("Geen contact sinds {d}", "Pas de contact depuis {d}", "No contact since {d}"),
    "never": ("Nog nooit contact", "Jamais de contact", "Never contacted"),
    "review": ("Herbekijken sinds {d}", "À revoir depuis le {d}", "Review due since {d}"),
    "none": ("Niets.", "Rien.", "Nothing."),
    "agenda": ("Buurtagenda", "Agenda du quartier", "Neighbourhood agenda"),
    "reflection": ("Domeinreflectie", "Réflexion par domaine", "Domain reflection"),
    "moved": ("Wat bewoog sinds vorige keer", "Ce qui a bougé depuis la dernière fois",
              "What moved since last time"),
    "latest": ("Laatste scores (1–4)", "Derniers scores (1–4)", "Latest scores (1–4)"),
    "meeting": ("Vergadering", "Réunion", "Meeting"),
    "attendees": ("Aanwezig", "Présents", "Attendees"),
    "decisions": ("Beslissingen", "Décisions", "Decisions"),
    "actions": ("Acties", "Actions", "Actions"),
    "due": ("tegen {d}", "pour le {d}", "due {d}"),
    "page": ("Pagina {n}", "Page {n}", "Page {n}"),
    "map": ("Kaart van de buurt", "Carte du quartier", "Map of the neighbourhood"),
}


def tr(key: str, lang: str, **kw: Any) -> str:
    """Return the report text ``key`` in ``lang``, formatted with ``kw``."""
    return vocab.label(_T, key, lang).format(**kw)


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


class _PDF(FPDF):
    lang = "nl"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"{ATTRIBUTION} · buurtkaart · "
                        f"{tr('page', self.lang, n=self.page_no())}", align="C")


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
    pdf.set_title(f"{tr('title', lang)} – {data.map_name} – {data.date.isoformat()}")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 9, f"{tr('title', lang)} {data.date.isoformat()}",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(0, 6, " – ".join(x for x in (data.map_name, data.org_name) if x),
                   new_x="LMARGIN", new_y="NEXT")
    if data.map_png:
        _heading(pdf, tr("map", lang))
        pdf.image(io.BytesIO(data.map_png), w=pdf.epw)
    _changes(pdf, data)
    _follow_ups(pdf, data)
    _agenda(pdf, data)
    _reflection(pdf, data)
    if data.meeting:
        _meeting(pdf, data.meeting, lang)
    return bytes(pdf.output())


def _changes(pdf: FPDF, data: ReportData) -> None:
    lang = data.lang
    _heading(pdf, tr("since", lang), 14)
    if data.since.first_meeting:
        _line(pdf, data.since.message())
    else:
        _line(pdf, tr("since_date", lang, d=str(data.since.since)[:10]))
    groups = data.since.by_section()
    if not groups:
        _line(pdf, tr("no_changes", lang))
    marks = {"new": "+", "changed": "~", "gone": "−"}
    for section, items in groups.items():
        _heading(pdf, f"{vocab.label(SECTIONS, section, lang)} ({len(items)})", 11)
        for item in items:
            who = f" [{item.user}]" if item.user and item.user != "osm" else ""
            detail = f": {item.detail}" if item.detail else ""
            _line(pdf, f"{marks.get(item.style, '·')} {item.title}{detail}{who}", indent=3)


def _follow_ups(pdf: FPDF, data: ReportData) -> None:
    lang = data.lang
    _heading(pdf, f"{tr('follow', lang)} ({len(data.follow_ups)})", 14)
    if not data.follow_ups:
        _line(pdf, tr("none", lang))
    for f in data.follow_ups:
        if f.reason == "review":
            why = tr("review", lang, d=f.last)
        else:
            why = tr("no_contact", lang, d=f.last) if f.last else tr("never", lang)
        person = f" ({f.contact_person})" if f.contact_person else ""
        _line(pdf, f"• {f.name}{person}: {why}", indent=3)


def _agenda(pdf: FPDF, data: ReportData) -> None:
    lang = data.lang
    _heading(pdf, tr("agenda", lang), 14)
    if not data.agenda:
        _line(pdf, tr("none", lang))
    for occ in data.agenda:
        when = occ.when.strftime("%Y-%m-%d %H:%M") if isinstance(occ.when, dt.datetime) \
            else occ.when.isoformat()
        place = f" – {occ.item['place']}" if occ.item.get("place") else ""
        _line(pdf, f"• {when}: {occ.item['title']}{place}", indent=3)


def _reflection(pdf: FPDF, data: ReportData) -> None:
    lang = data.lang
    _heading(pdf, tr("reflection", lang), 14)
    if not data.latest and not data.movements:
        _line(pdf, tr("none", lang))
        return
    if data.movements:
        _heading(pdf, tr("moved", lang), 11)
        for m in data.movements:
            arrow = "▲" if m.delta > 0 else "▼"
            _line(pdf, f"{arrow} {m.label(lang)}", indent=3)
    if data.latest:
        _heading(pdf, tr("latest", lang), 11)
        for (domain, factor, dim), (day, score) in sorted(data.latest.items(),
                                                          key=lambda kv: str(kv[0])):
            d = f" ({vocab.label(vocab.DIMENSIONS, dim, lang)})" if dim else ""
            name = vocab.label(vocab.FACTORS.get(domain, {}), factor, lang)
            _line(pdf, f"{vocab.label(vocab.DOMAINS, domain, lang)} – {name}{d}: "
                       f"{score:g} ({day})", indent=3)


def _meeting(pdf: FPDF, meeting: Mapping[str, Any], lang: str) -> None:
    _heading(pdf, f"{tr('meeting', lang)}: {meeting.get('title') or ''} "
                  f"{meeting.get('date') or ''}".strip(), 14)
    if meeting.get("attendees"):
        _line(pdf, f"{tr('attendees', lang)}: {', '.join(map(str, meeting['attendees']))}")
    if meeting.get("notes"):
        _line(pdf, str(meeting["notes"]))
    if meeting.get("decisions"):
        _heading(pdf, tr("decisions", lang), 11)
        for d in meeting["decisions"]:
            _line(pdf, f"• {d}", indent=3)
    if meeting.get("actions"):
        _heading(pdf, tr("actions", lang), 11)
        for a in meeting["actions"]:
            due = f" ({tr('due', lang, d=a.get('due'))})" if a.get("due") else ""
            owner = f" – {a.get('owner')}" if a.get("owner") else ""
            _line(pdf, f"• {a.get('text', '')}{owner}{due}", indent=3)
