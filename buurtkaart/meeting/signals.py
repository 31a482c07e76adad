"""Signals of the environment analysis: draft signals from an OSM diff, validation, periods.

A signal is a dated observation (store record ``signal``): ``date, type, title,
description, lat, lon, area, source, tags, status``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from buurtkaart._errors import InputError
from buurtkaart.core import vocab
from buurtkaart.core.text import display_name
from buurtkaart.i18n import label_or_key, t
from buurtkaart.meeting.sentences import kind_label, sentence

if TYPE_CHECKING:
    from buurtkaart.core.place import Place
    from buurtkaart.meeting.diff import DiffResult

SIGNAL_STATUSES = ("draft", "accepted", "ignored")

#: Category prefixes with their own words (catalog ``osm_signal.new.<p>`` and
#: ``osm_signal.noun.<p>``); first match wins, the rest are "place".
NOUN_PREFIXES: tuple[str, ...] = ("shop", "worship", "school")


def _lang(lang: str) -> str:
    return lang if lang in vocab.LANGS else "nl"


def _noun(category: str, lang: str) -> tuple[str, str]:
    """Return (new phrase, noun); the generic "place" words carry the category label."""
    for prefix in NOUN_PREFIXES:
        if category.startswith(prefix) or prefix in category:
            return t(f"osm_signal.new.{prefix}", lang), t(f"osm_signal.noun.{prefix}", lang)
    phrase = t("osm_signal.new.place", lang)
    label = label_or_key(category, lang)
    return f"{phrase} ({label})", label


def _name(place: Place, lang: str) -> str:
    return str(display_name(place.name, nl=place.name_nl, fr=place.name_fr,
                            fallback=f"({t('osm_signal.unnamed', lang)})"))


def _base(place: Place, today: str) -> dict[str, Any]:
    return {"date": today, "lat": place.lat, "lon": place.lon, "area": None,
            "source": "osm-diff", "status": "draft", "osm_id": place.osm_id,
            "tags": [x for x in (place.category, place.osm_id) if x]}


def draft_signals(diff: DiffResult, lang: str = "nl",
                  today: dt.date | None = None) -> list[dict[str, Any]]:
    """Turn an OSM diff into draft signals, e.g. ``"Nieuwe winkel: Bakkerij X"``.

    Parameters
    ----------
    diff : DiffResult
        Result of :func:`~buurtkaart.meeting.diff.diff_places`.
    lang : str
        ``nl``, ``fr`` or ``en``.
    today : date, optional
        Date of the signals (default: today, UTC).

    Returns
    -------
    list of dict
        Signal records without ``id``/``map_id``, ``status="draft"``, with an
        extra ``osm_id`` and ``change`` (``new``/``gone``/``changed``).
    """
    lang = _lang(lang)
    day = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    out: list[dict[str, Any]] = []
    for place in diff.new:
        phrase, _ = _noun(place.category, lang)
        out.append({**_base(place, day), "type": "new_place", "change": "new",
                    "title": f"{phrase}: {_name(place, lang)}",
                    "description": _summary(place, lang)})
    for place in diff.gone:
        _, noun = _noun(place.category, lang)
        out.append({**_base(place, day), "type": "closure", "change": "gone",
                    "title": f"{t('osm_signal.closure', lang)} ({noun}): {_name(place, lang)}",
                    "description": _summary(place, lang)})
    for change in diff.changed:  # redrawn pairs without other changes are no news
        out.append({**_base(change.new, day), "type": "other", "change": "changed",
                    "title": f"{t('osm_signal.changed', lang)}: {_name(change.new, lang)}",
                    "description": sentence(change, lang)})
    return out


def _summary(place: Place, lang: str) -> str:
    """Return what the place is and where, in words: ``"kroeg, Rue Haute 12"``."""
    street, number = place.tags.get("addr:street"), place.tags.get("addr:housenumber")
    where = " ".join(v for v in (street, number) if v) if street else ""
    return ", ".join(v for v in (kind_label(place, lang), where) if v)


def validate_signal(signal: dict[str, Any]) -> dict[str, Any]:
    """Check a signal dict before it is stored; return a cleaned copy.

    Raises
    ------
    InputError
        When the date, type, status or coordinates are not usable.
    """
    out = dict(signal)
    try:
        dt.date.fromisoformat(str(out.get("date", ""))[:10])
    except ValueError as e:
        msg = f"signal date {out.get('date')!r} is not a YYYY-MM-DD date"
        raise InputError(msg) from e
    if out.get("type") not in vocab.SIGNAL_TYPES:
        msg = (f"signal type {out.get('type')!r} is unknown; expected one of "
               f"{', '.join(vocab.SIGNAL_TYPES)}")
        raise InputError(msg)
    if not str(out.get("title") or "").strip():
        msg = "signal title is empty"
        raise InputError(msg)
    out.setdefault("status", "draft")
    if out["status"] not in SIGNAL_STATUSES:
        msg = f"signal status {out['status']!r} is not one of {', '.join(SIGNAL_STATUSES)}"
        raise InputError(msg)
    lat, lon = out.get("lat"), out.get("lon")
    if (lat is None) != (lon is None) or (
            lat is not None and lon is not None
            and not (-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180)):
        msg = f"signal location ({lat}, {lon}) is not a valid lat/lon pair"
        raise InputError(msg)
    return out


S = TypeVar("S", bound=Mapping[str, Any])


def in_period(signals: Iterable[S], start: dt.date | None, end: dt.date | None) -> list[S]:
    """Return the signals dated within ``[start, end]`` (either bound may be None)."""
    out = []
    for sig in signals:
        day = dt.date.fromisoformat(str(sig["date"])[:10])
        if (start is None or day >= start) and (end is None or day <= end):
            out.append(sig)
    return sorted(out, key=lambda s: str(s["date"]))
