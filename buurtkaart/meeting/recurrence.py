"""Recurrence in words: "elke eerste zaterdag van de maand" <-> ``FREQ=MONTHLY;BYDAY=1SA``.

The agenda stores an RFC 5545 RRULE; people pick a :class:`Recurrence` in words.
:func:`to_rrule` builds the rule, :func:`from_rrule` reads back the rules this
module writes (others return None), and :func:`describe` says a recurrence in
nl, fr or en from the catalog (keys ``rec.*``, weekday names ``weekday.*``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from buurtkaart._errors import InputError
from buurtkaart.i18n import t, tn

#: RFC 5545 weekday codes, Monday first (``date.weekday()`` order).
WEEKDAYS: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: Kinds of recurrence a person can pick, in menu order.
KINDS: tuple[str, ...] = ("none", "daily", "weekly", "monthly_nth", "monthly_day", "yearly")
#: Positions of a weekday in the month: first to fourth, and the last (-1).
NTHS: tuple[int, ...] = (1, 2, 3, 4, -1)

_BYDAY = re.compile(r"^(-?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


@dataclass(frozen=True)
class Recurrence:
    """A repeat rule in the terms people use.

    ``kind`` is one of :data:`KINDS`; ``weekdays`` are RFC codes (weekly, and the
    one weekday of ``monthly_nth``); ``nth`` is 1-4 or -1 (last); ``monthday`` 1-31;
    ``interval`` repeats every N days/weeks/months/years.
    """

    kind: str = "none"
    interval: int = 1
    weekdays: tuple[str, ...] = ()
    nth: int | None = None
    monthday: int | None = None


def default_for(kind: str, start: dt.date) -> Recurrence:
    """Return the recurrence of ``kind`` that matches the start day (e.g. its weekday)."""
    day = WEEKDAYS[start.weekday()]
    if kind == "weekly":
        return Recurrence("weekly", weekdays=(day,))
    if kind == "monthly_nth":
        nth = (start.day - 1) // 7 + 1
        return Recurrence("monthly_nth", weekdays=(day,), nth=-1 if nth == 5 else nth)
    if kind == "monthly_day":
        return Recurrence("monthly_day", monthday=start.day)
    if kind in KINDS:
        return Recurrence(kind)
    msg = f"unknown recurrence kind {kind!r}; expected one of {', '.join(KINDS)}"
    raise InputError(msg)


def _check(rec: Recurrence) -> None:
    if rec.kind not in KINDS:
        msg = f"unknown recurrence kind {rec.kind!r}; expected one of {', '.join(KINDS)}"
        raise InputError(msg)
    if rec.interval < 1:
        msg = f"the interval must be 1 or more, got {rec.interval}"
        raise InputError(msg)
    bad = [d for d in rec.weekdays if d not in WEEKDAYS]
    if bad:
        msg = f"unknown weekday {bad[0]!r}; expected one of {', '.join(WEEKDAYS)}"
        raise InputError(msg)
    if rec.kind == "weekly" and not rec.weekdays:
        raise InputError("a weekly recurrence needs at least one weekday")
    if rec.kind == "monthly_nth" and (rec.nth not in NTHS or len(rec.weekdays) != 1):
        raise InputError("a monthly recurrence by weekday needs one weekday and a position "
                         "(1-4, or -1 for the last)")
    if rec.kind == "monthly_day" and not (rec.monthday and 1 <= rec.monthday <= 31):
        raise InputError("a monthly recurrence by date needs a day from 1 to 31")


def to_rrule(rec: Recurrence) -> str | None:
    """Return the RRULE of ``rec`` (None for ``none``).

    Raises
    ------
    InputError
        When the recurrence is incomplete (e.g. weekly without a weekday).
    """
    _check(rec)
    if rec.kind == "none":
        return None
    freq = {"daily": "DAILY", "weekly": "WEEKLY", "monthly_nth": "MONTHLY",
            "monthly_day": "MONTHLY", "yearly": "YEARLY"}[rec.kind]
    parts = [f"FREQ={freq}"]
    if rec.interval > 1:
        parts.append(f"INTERVAL={rec.interval}")
    if rec.kind == "weekly":
        ordered = sorted(set(rec.weekdays), key=WEEKDAYS.index)
        parts.append("BYDAY=" + ",".join(ordered))
    elif rec.kind == "monthly_nth":
        parts.append(f"BYDAY={rec.nth}{rec.weekdays[0]}")
    elif rec.kind == "monthly_day":
        parts.append(f"BYMONTHDAY={rec.monthday}")
    return ";".join(parts)


def _fields(rule: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in rule.strip().removeprefix("RRULE:").split(";"):
        if "=" in part:
            key, value = part.split("=", 1)
            out[key.strip().upper()] = value.strip().upper()
    return out


def from_rrule(rule: str | None) -> Recurrence | None:
    """Return the :class:`Recurrence` of a rule, or None when words cannot say it.

    ``None`` or an empty rule is ``Recurrence("none")``.
    """
    if not rule or not rule.strip():
        return Recurrence("none")
    f = _fields(rule)
    known = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY"}
    if set(f) - known or not f.get("INTERVAL", "1").isdigit():
        return None
    interval = int(f.get("INTERVAL", "1"))
    days = [m for m in (_BYDAY.match(d) for d in f.get("BYDAY", "").split(",") if d) if m]
    if len(days) != len([d for d in f.get("BYDAY", "").split(",") if d]):
        return None
    freq = f.get("FREQ")
    if freq in {"DAILY", "YEARLY"} and not days and "BYMONTHDAY" not in f:
        return Recurrence("daily" if freq == "DAILY" else "yearly", interval)
    if freq == "WEEKLY" and days and not any(m.group(1) for m in days) \
            and "BYMONTHDAY" not in f:
        return Recurrence("weekly", interval, tuple(m.group(2) for m in days))
    if freq == "MONTHLY" and len(days) == 1 and days[0].group(1) and "BYMONTHDAY" not in f:
        nth = int(days[0].group(1))
        return Recurrence("monthly_nth", interval, (days[0].group(2),), nth=nth) \
            if nth in NTHS else None
    if freq == "MONTHLY" and not days and f.get("BYMONTHDAY", "").isdigit():
        return Recurrence("monthly_day", interval, monthday=int(f["BYMONTHDAY"]))
    return None


def weekday_name(code: str, lang: str = "nl") -> str:
    """Return the name of an RFC weekday code (``SA`` -> ``zaterdag``)."""
    return t(f"weekday.{code.lower()}", lang)


def nth_word(nth: int | None, lang: str = "nl") -> str:
    """Return ``eerste`` .. ``vierde`` or ``laatste`` (-1) for a position in the month."""
    return t("rec.nth.last" if nth == -1 else f"rec.nth.{nth}", lang)


def _weekdays(codes: tuple[str, ...], lang: str) -> str:
    names = [weekday_name(c, lang) for c in sorted(set(codes), key=WEEKDAYS.index)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t('common.and', lang)} {names[-1]}"


def describe(rec: Recurrence, lang: str = "nl") -> str:
    """Return the recurrence in words, e.g. ``elke eerste zaterdag van de maand``."""
    _check(rec)
    n = rec.interval
    if rec.kind == "none":
        return tn("rec.none", lang, n)
    if rec.kind == "daily":
        return tn("rec.daily", lang, n)
    if rec.kind == "yearly":
        return tn("rec.yearly", lang, n)
    if rec.kind == "weekly":
        return tn("rec.weekly", lang, n, days=_weekdays(rec.weekdays, lang))
    if rec.kind == "monthly_nth":
        return tn("rec.monthly_nth", lang, n, nth=nth_word(rec.nth, lang),
                  day=weekday_name(rec.weekdays[0], lang))
    return tn("rec.monthly_day", lang, n, day=monthday(int(rec.monthday or 1), lang))


def monthday(day: int, lang: str = "nl") -> str:
    """Return a day of the month in words: ``de 15e``, ``1er``, ``the 2nd``."""
    suffix = ""
    if lang == "en":
        suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    elif lang == "fr" and day == 1:
        suffix = "er"
    return t("rec.monthday", lang, d=day, suffix=suffix)


def describe_rrule(rule: str | None, lang: str = "nl") -> str:
    """Return a stored rule in words; a rule words cannot say is returned as it is."""
    rec = from_rrule(rule)
    if rec is None:
        return str(rule)
    try:
        return describe(rec, lang)
    except InputError:
        return str(rule)
