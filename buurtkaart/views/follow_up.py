"""Why an actor is on the meeting's follow-up list, in words: one wording for the
Teamvergadering page and the printed PDF."""

from __future__ import annotations

from buurtkaart.i18n import format_date, label, t
from buurtkaart.meeting.since import FollowUp

#: The sentences a follow-up can get; each is the catalog key ``followup.<kind>``.
REASON_KINDS = ("no_answer", "review", "review_undated", "no_contact", "never")


def reason_kind(f: FollowUp) -> str:
    """Return which of :data:`REASON_KINDS` says why ``f`` needs attention."""
    if f.reason == "no_answer":
        return "no_answer"
    if f.reason == "review":
        return "review" if f.last else "review_undated"
    return "no_contact" if f.last else "never"


def follow_up_reason(f: FollowUp, lang: str) -> str:
    """Return why ``f`` is a follow-up, e.g. "geen contact sinds 3 maart 2026"."""
    when = format_date(f.last, lang) if f.last else ""
    return t("followup." + reason_kind(f), lang, status=label("status", f.status, lang),
             n=f.failed, d=when)
