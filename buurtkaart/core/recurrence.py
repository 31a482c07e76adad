"""Limits of a recurrence rule (RFC 5545 RRULE), checked on the rule's text alone.

An agenda item repeats at most daily: ``FREQ`` is daily, weekly, monthly or
yearly, and ``BYHOUR``/``BYMINUTE``/``BYSECOND`` hold at most one value (several
would repeat it within a day). The store's write path and the agenda domain
both call :func:`check_rule`, so no path stores a rule that would make every
meeting-page view expand millions of occurrences. Pure, no dependencies.
"""

from __future__ import annotations

from buurtkaart._errors import InputError

#: Recurrence frequencies accepted for a neighbourhood agenda.
ALLOWED_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
#: Rule parts that could repeat an item more than once a day: at most one value each.
SUB_DAILY_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
#: Longest rule text accepted.
MAX_RULE_LENGTH = 500


def strip_rule(rule: str) -> str:
    """Return the rule text without an ``RRULE:`` prefix and with single spaces."""
    text = " ".join(str(rule).split())
    return text[6:].strip() if text.upper().startswith("RRULE:") else text


def check_rule(rule: str) -> dict[str, str]:
    """Check an RRULE's frequency limits; return its parts (upper-cased).

    Raises
    ------
    InputError
        Naming the rule and the reason: empty, too long, no FREQ, a frequency
        other than daily/weekly/monthly/yearly, or several values in a sub-daily part.

    Examples
    --------
    >>> check_rule("FREQ=WEEKLY;BYDAY=WE")["FREQ"]
    'WEEKLY'
    """
    text = strip_rule(rule)
    if not text:
        msg = "RRULE is empty"
        raise InputError(msg)
    if len(text) > MAX_RULE_LENGTH:
        msg = f"invalid RRULE: longer than {MAX_RULE_LENGTH} characters"
        raise InputError(msg)
    parts = dict(p.split("=", 1) for p in text.upper().split(";") if "=" in p)
    freq = parts.get("FREQ")
    if freq is None:
        msg = f"invalid RRULE {rule!r}: FREQ is missing (e.g. FREQ=WEEKLY;BYDAY=WE)"
        raise InputError(msg)
    if freq not in ALLOWED_FREQS:
        msg = (f"invalid RRULE {rule!r}: FREQ={freq} is not allowed; "
               f"use one of {', '.join(ALLOWED_FREQS)}")
        raise InputError(msg)
    for part in SUB_DAILY_PARTS:
        if len([v for v in parts.get(part, "").split(",") if v.strip()]) > 1:
            msg = (f"invalid RRULE {rule!r}: {part} with several values repeats the item "
                   "more than once a day; an agenda item repeats at most daily")
            raise InputError(msg)
    return parts
