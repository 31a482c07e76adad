"""Insights that agree with the log: "in gesprek" while the last attempts got no answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from buurtkaart.insights import MapData, build_report, render_markdown
from buurtkaart.insights.unanswered import failed_streak, unanswered
from buurtkaart.meeting.since import follow_ups

TODAY = dt.date(2026, 12, 1)


def _actor(aid: str, name: str, status: str, strength: int = 2) -> dict[str, Any]:
    return {"id": aid, "name": name, "status": status, "strength": strength,
            "contact_person": "eva", "last_contact": "2026-11-20", "roles": ["partner"]}


def _contact(aid: str, day: str, outcome: str) -> dict[str, Any]:
    return {"actor_id": aid, "date": day, "channel": "phone", "outcome": outcome}


ACTORS = [_actor("m", "Moskee Al Amal", "in_conversation"),
          _actor("s", "School De Brug", "cooperating"),
          _actor("b", "Bakkerij Jan", "in_conversation"),
          _actor("p", "Parochie", "paused")]
CONTACTS = [
    # the mosque: reached once, then three calls without answer
    _contact("m", "2026-09-01", "reached"), _contact("m", "2026-10-02", "no_answer"),
    _contact("m", "2026-11-03", "no_answer"), _contact("m", "2026-11-20", "refused"),
    # the school: a missed call, then reached again
    _contact("s", "2026-11-01", "no_answer"), _contact("s", "2026-11-15", "reached"),
    # the bakery: one missed call is normal
    _contact("b", "2026-11-18", "no_answer"),
    # paused: not an active status, never flagged
    _contact("p", "2026-10-01", "no_answer"), _contact("p", "2026-11-01", "no_answer"),
]


def test_failed_streak_counts_the_latest_attempts() -> None:
    mosque = [c for c in CONTACTS if c["actor_id"] == "m"]
    assert failed_streak(mosque) == (3, "2026-11-20")
    assert failed_streak([c for c in CONTACTS if c["actor_id"] == "s"]) == (0, "2026-11-15")
    assert failed_streak([]) == (0, None)


def test_only_active_ties_with_repeated_failures_are_flagged() -> None:
    out = unanswered(ACTORS, CONTACTS)
    assert out["ids"] == ["m"]
    item = out["items"][0]
    assert (item["failed"], item["last_attempt"], item["last_reached"]) == (
        3, "2026-11-20", "2026-09-01")
    assert out["sentence"]["nl"].startswith("Bij 1 band staat de status op in gesprek")
    assert out["sentence"]["nl"].endswith("Moskee Al Amal.")
    assert "\u00a0:" in out["sentence"]["fr"]  # French typography
    assert unanswered(ACTORS, CONTACTS[:2])["ids"] == []


def test_report_comments_on_reached_ties_the_log_contradicts() -> None:
    data = MapData({"id": "x", "name": "Molenbeek", "org_name": "Buurtwerk", "lat": None,
                    "lon": None}, actors=ACTORS, contacts=CONTACTS)
    report = build_report(data, today=TODAY)
    isl = report["island_score"]
    assert isl["actors_reached"] == 3 and isl["actors_reached_unanswered"] == 1
    assert "bij 1 van die bereikte actoren bleven de laatste pogingen zonder antwoord" \
        in isl["sentence"]["nl"]
    assert report["unanswered"]["ids"] == ["m"]
    assert any("Moskee Al Amal" in s for s in report["sentences"]["en"])
    assert "Is the status still right?" in render_markdown(report, "en")


def test_meeting_follow_ups_flag_the_unanswered_tie() -> None:
    out = follow_ups(ACTORS, CONTACTS, TODAY, months=3)
    flagged = [f for f in out if f.reason == "no_answer"]
    assert [(f.name, f.status, f.failed, f.last) for f in flagged] == [
        ("Moskee Al Amal", "in_conversation", 3, "2026-11-20")]
    assert not [f for f in follow_ups(ACTORS, CONTACTS, TODAY, worker="bo")
                if f.reason == "no_answer"]


def test_a_logged_contact_names_its_author_once() -> None:
    from buurtkaart.meeting.since import summarize

    event = {"entity": "contact", "op": "insert", "users": ["eva"], "user": "eva",
             "last_at": "2026-11-20T10:00:00+00:00", "entity_id": "c1",
             "after": _contact("m", "2026-11-20", "reached") | {"user": "eva"}}
    items = summarize([event], None, "nl", ACTORS).items
    assert [(i.section, i.users) for i in items] == [("contact", ("eva",))]
