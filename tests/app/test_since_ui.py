"""The Teamvergadering and Buurt page bodies, run with Streamlit's AppTest on a real store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from buurtkaart.core.area import Area
from buurtkaart.core.place import Place
from buurtkaart.i18n import t
from buurtkaart.store import open_store

CENTER = (50.8552, 4.3387)
SCRIPT = """
import os
from buurtkaart.store import open_store
from buurtkaart.app.context import PageContext
from buurtkaart.app.screens import buurt, teamvergadering
store = open_store(os.environ["BK_MEETING_DB"])
ctx = PageContext(store=store, map=store.get_map("Molenbeek"), lang="nl", user="an")
if os.environ.get("BK_MEETING_PAGE") == "buurt":
    buurt.render_buurt_page(ctx)
else:
    teamvergadering.render_meeting_page(ctx)
"""


def _place(osm_id: str, name: str, category: str, tags: dict[str, str],
           dlat: float = 0.0) -> Place:
    return Place(osm_id, name, None, None, category, CENTER[0] + dlat, CENTER[1],
                 {"name": name, **tags}, "test")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    area = Area.circle(*CENTER, 500)
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    with open_store(url) as s:
        m = s.create_map("an", name="Molenbeek", org_name="Buurtwerk", lat=CENTER[0],
                         lon=CENTER[1], area=area)
        s.import_places("an", m["id"], [
            _place("node/1", "Bakkerij Jan", "shop_food", {"shop": "bakery"}),
            _place("node/2", "Café Oud", "horeca", {"amenity": "cafe"}, 0.001)],
            source="old", area=area)
        s.add_meeting("an", m["id"], date=yesterday, title="Vorige")
        s.import_places("an", m["id"], [
            _place("node/1", "Bakkerij Jan", "shop_food", {"shop": "bakery"}),
            _place("node/3", "Bakkerij X", "shop_food", {"shop": "bakery"}, 0.002)],
            source="new", area=area)
        s.add_actor("an", m["id"], name="VZW Brug", roles=["partner"],
                    lat=CENTER[0] - 0.001, lon=CENTER[1])
        s.add_actor("bo", m["id"], name="Moskee <b>Al</b> Amal", roles=["sleutelfiguur"],
                    lat=CENTER[0] + 0.0015, lon=CENTER[1])
    monkeypatch.setenv("BK_MEETING_DB", url)
    return url


def _app(page: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("BK_MEETING_PAGE", page)
    at = AppTest.from_string(SCRIPT, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _md(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_meeting_page_lists_changes_escaped_and_filters(db: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app("meeting", monkeypatch)
    labels = [e.label for e in at.expander]
    assert "Nieuwe actoren (2)" in labels
    assert "Nieuwe OSM-plekken (1)" in labels and "Gesloten OSM-plekken (1)" in labels
    text = _md(at)
    assert "Bakkerij X" in text and "Café Oud" in text
    assert "Moskee \\<b\\>Al\\</b\\> Amal" in text and "<b>Al</b>" not in text
    at.selectbox(key="mt_worker").select("bo").run()
    assert at.expander[0].label == "Nieuwe actoren (1)"
    assert "VZW Brug**: Partner" not in _md(at)


def test_presentation_steps_through_changes(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app("meeting", monkeypatch)
    at.toggle(key="mt_present").set_value(True).run()
    assert "Wijziging 1 van 4" in _md(at)  # 2 actors + 1 new + 1 gone place, all located
    at.button(key="mt_next").click().run()
    assert "Wijziging 2 van 4" in _md(at)
    at.button(key="mt_prev").click().run()
    assert "Wijziging 1 van 4" in _md(at)
    at.session_state["basemap"] = "offline"  # the Kaart page's choice is followed
    at.run()
    assert not at.exception and "Wijziging 1 van 4" in _md(at)


def test_record_meeting_agenda_and_reflection(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app("meeting", monkeypatch)
    at.text_input(key="mt_rec_title").input("Teamoverleg november")
    at.text_area(key="mt_rec_att").input("An\nBo")
    at.text_area(key="mt_rec_dec").input("Moskee uitnodigen")
    next(b for b in at.button if b.label == "Vergadering opslaan").click().run()
    with open_store(db) as s:
        m = s.get_map("Molenbeek")
        saved = [x for x in s.list_meetings(m["id"]) if x["title"] == "Teamoverleg november"]
    assert saved and saved[0]["attendees"] == ["An", "Bo"]
    assert saved[0]["decisions"] == ["Moskee uitnodigen"]
    assert at.text_input(key="mt_rec_title").value == ""  # a second click adds no duplicate

    at.selectbox(key="mt_ag_repeat").select("monthly_nth").run()
    next(b for b in at.button if b.label == "Toevoegen").click().run()
    assert any(t("form.need_title", "nl") == e.value for e in at.error)  # Dutch, not the log's
    assert not [w for w in at.text_input if "RRULE" in str(w.label)]  # words, not a raw rule
    at.text_input(key="mt_ag_title").input("Markt")
    at.selectbox(key="mt_ag_nth").select(1)
    at.selectbox(key="mt_ag_wday").select("SA").run()
    assert "Herhaling: elke eerste zaterdag van de maand." in [c.value for c in at.caption]
    next(b for b in at.button if b.label == "Toevoegen").click().run()
    assert not at.exception
    assert "Markt" in _md(at) and "elke eerste zaterdag van de maand" in _md(at)
    assert at.text_input(key="mt_ag_title").value == ""  # the form starts empty again

    at.selectbox(key="mt_ref_organisatie_visie_s").select(3)
    at.selectbox(key="mt_ref_organisatie_visie_d").select("cultuur")
    next(b for b in at.button if b.label == "Scores opslaan").click().run()
    with open_store(db) as s:
        refl = s.list_reflections(s.get_map("Molenbeek")["id"])
        agenda = s.list_agenda(s.get_map("Molenbeek")["id"])
    assert [(r["factor"], r["score"], r["dimension"]) for r in refl] == [("visie", 3, "cultuur")]
    assert agenda[0]["rrule"] == "FREQ=MONTHLY;BYDAY=1SA"

    next(b for b in at.button if b.label == "Rapport (PDF) maken").click().run()
    downloads = at.get("download_button")
    assert any("PDF" in str(d.proto.label) for d in downloads)


def test_buurt_page_drafts_and_signals(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app("buurt", monkeypatch)
    text = _md(at)
    assert "Nieuwe winkel: Bakkerij X" in text and "Café Oud" in text
    accept = [b for b in at.button if b.label == "Overnemen"]
    assert len(accept) == 2
    accept[0].click().run()
    with open_store(db) as s:
        sigs = s.list_signals(s.get_map("Molenbeek")["id"])
    assert [(x["title"], x["status"], x["source"]) for x in sigs] == [
        ("Nieuwe winkel: Bakkerij X", "accepted", "osm-diff")]
    assert len([b for b in at.button if b.label == "Overnemen"]) == 1  # one left to review

    at.text_input(key="bt_sig_title").input("Zone 30 <script>x</script>")
    at.selectbox(key="bt_sig_type").select("infrastructure")
    next(b for b in at.button if b.label == "Toevoegen" and "sig" in str(b.form_id)).click()
    at.run()
    assert not at.exception
    text = _md(at)
    assert "Zone 30 \\<script\\>x\\</script\\>" in text
    assert at.text_input(key="bt_sig_title").value == ""  # the form starts empty again
    assert t("meeting.saved", "nl") in [x.value for x in at.success]  # seen after the rerun
    next(b for b in at.button if b.label == "Toevoegen" and "sig" in str(b.form_id)).click()
    at.run()  # no title: a Dutch line, and no second signal
    assert t("form.need_title", "nl") in [e.value for e in at.error]
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


@pytest.mark.parametrize("page", ["meeting", "buurt"])
def test_a_pending_undo_shows_once_above_the_tabs(db: str, monkeypatch: pytest.MonkeyPatch,
                                                  page: str) -> None:
    monkeypatch.setenv("BK_MEETING_PAGE", page)
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.session_state["undo_offer"] = {"message": "Bakkerij X verborgen.", "action": "undismiss",
                                      "args": {}, "runs": 2}
    at.session_state["flash"] = "Opgeslagen."
    at.run()
    assert not at.exception, [e.value for e in at.exception]  # one undo button, not two
    assert "Opgeslagen." in [s.value for s in at.success]
    assert [s.value for s in at.success].count("Bakkerij X verborgen.") == 1
    assert len([b for b in at.button if b.key == "undo_button"]) == 1
