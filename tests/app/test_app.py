"""AppTest: every page renders in nl/fr/en on a seeded store; the panels write to the store."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import logged_in, page_text, run_ok
from support.fixtures_app import switch_to

from buurtkaart.app.common import category_label, md_escape
from buurtkaart.app.frame import PAGES
from buurtkaart.auth import accounts
from buurtkaart.core import vocab
from buurtkaart.demo import ensure_demo_store
from buurtkaart.i18n import format_number, t, tn
from buurtkaart.store import open_store

#: Accounts of the seeded store with role admin (the sessions below are logged in as them).
ADMINS = ("tester", "other", "anna", "bert", "watcher", "lien")


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store file holding the demo map (built once per module)."""
    path = tmp_path_factory.mktemp("seed") / "demo.db"
    map_id = ensure_demo_store(str(path))
    store = open_store(str(path))
    for name in ADMINS:
        accounts.add_user(store, name, None, map_id=map_id, role="admin")
    accounts.add_user(store, "vera", "vera-wachtwoord", map_id=map_id, role="viewer")
    accounts.add_user(store, "eddy", None, map_id=map_id, role="editor")
    store.close()
    return path, map_id


@pytest.fixture
def db(seeded_db: tuple[Path, str], tmp_path: Path,
       monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """A private copy of the seeded store, set as ``BUURTKAART_DB``."""
    copy = tmp_path / "store.db"
    shutil.copy(seeded_db[0], copy)
    monkeypatch.setenv("BUURTKAART_DB", str(copy))
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "0")
    monkeypatch.setenv("BUURTKAART_CACHE_DIR", str(tmp_path / "cache"))
    yield str(copy), seeded_db[1]


def new_app(user: str | None = "tester", lang: str = "nl") -> AppTest:
    at = logged_in(user, timeout=60)
    at.session_state["lang"] = lang
    return at


run = run_ok
texts = page_text


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_every_page_renders_in_each_language(db: tuple[str, str], lang: str) -> None:
    at = run(new_app(lang=lang))
    assert at.selectbox(key=f"_w_map_id_{lang}").label == t("sidebar.map", lang)
    assert t("app.attribution", lang) in texts(at)
    for _, key, url, _ in PAGES[1:]:
        switch_to(at, url)
        run(at)
        assert not at.error, (url, [e.value for e in at.error])
        if key in {"nav.buurt", "nav.teamvergadering", "nav.inzichten", "nav.import_export"}:
            assert any(t(key, lang) in str(x.value) for x in at.title), url


def test_demo_map_is_labelled_and_counts_match_the_store(db: tuple[str, str]) -> None:
    url, map_id = db
    store = open_store(url)
    actors = store.list_actors(map_id)
    imported = store.get_import_places(store.list_imports(map_id)[0]["id"])
    accepted = {a["osm_id"] for a in actors if a["osm_id"]}
    candidates = [p for p in imported if p.osm_id not in accepted]
    at = run(new_app())
    body = texts(at)
    assert "DEMO" in body
    assert (f"{len(actors)} actoren en {format_number(len(candidates), 'nl')} "
            "kandidaat-plaatsen") in body


def _login(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    next(b for b in at.button if b.label == "Inloggen").click()
    at.run()
    return at


def test_login_is_required_before_any_page(db: tuple[str, str]) -> None:
    at = run(new_app(user=None))
    assert at.text_input(key="login_password")
    assert "_w_map_id_nl" not in {s.key for s in at.selectbox}  # no page behind the gate
    assert at.session_state["user"] == ""
    _login(at, "vera", "fout")
    assert any("fout wachtwoord" in e.value for e in at.error)
    assert at.session_state["user"] == ""
    _login(at, "vera", "vera-wachtwoord")
    assert not at.exception
    assert at.session_state["user"] == "vera"
    assert "Ingelogd als vera" in texts(at)
    assert at.selectbox(key="_w_map_id_nl").value == db[1]


def test_a_viewer_gets_no_forms_and_the_data_layer_refuses_anyway(db: tuple[str, str]) -> None:
    from buurtkaart._errors import PermissionDenied
    from buurtkaart.auth.guard import GuardedStore

    url, map_id = db
    actor = open_store(url).list_actors(map_id)[0]
    at = _open_actor("vera", actor["id"])
    assert md_escape(actor["name"]) in texts(at)
    assert t("edit.read_only", "nl") in texts(at)
    keys = {w.key for w in [*at.text_area, *at.text_input, *at.button]}
    assert not any(str(k).startswith(f"edit_{actor['id']}") for k in keys)
    assert f"panel_contact_{actor['id']}_submit" not in keys
    # Not only hidden: the store the pages get refuses the write.
    with pytest.raises(PermissionDenied):
        GuardedStore(open_store(url), "vera").update_actor("vera", actor["id"], {"notes": "x"})
    assert open_store(url).get_actor(actor["id"])["version"] == actor["version"]


def test_an_editor_edits_under_their_own_name(db: tuple[str, str]) -> None:
    url, map_id = db
    actor = open_store(url).list_actors(map_id)[0]
    at = _open_actor("eddy", actor["id"])
    prefix = _prefix(at, actor)
    at.text_area(key=prefix + "notes").input("eddy was hier")
    at.button(key=prefix + "submit").click()
    run(at)
    stored = open_store(url).get_actor(actor["id"])
    assert (stored["notes"], stored["updated_by"]) == ("eddy was hier", "eddy")


def _a_person(url: str, map_id: str) -> dict:
    return next(a for a in open_store(url).list_actors(map_id) if a["kind"] == "person")


def test_an_admin_forgets_a_person_after_confirming(db: tuple[str, str]) -> None:
    url, map_id = db
    person = _a_person(url, map_id)
    at = _open_actor("tester", person["id"])
    key = f"forget_{person['id']}"
    at.button(key=key).click()
    run(at)
    assert open_store(url).get_actor(person["id"])  # asked, not done yet
    assert t("forget.explain", "nl", name=md_escape(person["name"])) in texts(at)
    at.button(key=key + "_confirm").click()
    run(at)
    store = open_store(url)
    assert person["id"] not in {a["id"] for a in store.list_actors(map_id)}
    assert not [c for c in store.list_contacts(actor_id=person["id"])]
    events = store.history(person["id"])
    assert "forget" in [e["op"] for e in events]
    assert person["name"] not in str(events)
    assert t("forget.done", "nl") in texts(at)


@pytest.mark.parametrize("user", ["eddy", "vera"])
def test_no_forget_button_for_a_non_admin(db: tuple[str, str], user: str) -> None:
    url, map_id = db
    person = _a_person(url, map_id)
    at = _open_actor(user, person["id"])
    assert md_escape(person["name"]) in texts(at)
    assert not [b for b in at.button if b.key == f"forget_{person['id']}"]
    assert t("forget.button", "nl") not in [b.label for b in at.button]


def test_single_user_mode_says_so(db: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_SINGLE_USER", "1")
    at = run(new_app(user=None))
    assert at.session_state["user"]
    assert t("sidebar.single_user", "nl", user=at.session_state["user"]) in texts(at)


def _a_candidate(url: str, map_id: str) -> Any:
    store = open_store(url)
    accepted = {a["osm_id"] for a in store.list_actors(map_id) if a["osm_id"]}
    places = store.get_import_places(store.list_imports(map_id)[0]["id"])
    return next(p for p in places if p.osm_id and p.name and p.osm_id not in accepted)


def _accept_in_panel(place: Any, roles: list[str]) -> AppTest:
    """Open ``place`` in the panel and accept it with ``roles``."""
    at = new_app()
    at.session_state["selected"] = ("place", place.osm_id)
    run(at)
    at.multiselect(key="accept_roles").set_value(roles)
    at.button(key="accept_submit").click()
    return run(at)


def test_accept_candidate_as_sleutelfiguur(db: tuple[str, str]) -> None:
    url, map_id = db
    place = _a_candidate(url, map_id)
    at = _accept_in_panel(place, ["sleutelfiguur"])
    actors = [a for a in open_store(url).list_actors(map_id) if a["osm_id"] == place.osm_id]
    assert len(actors) == 1
    assert actors[0]["roles"] == ["sleutelfiguur"]
    assert actors[0]["created_by"] == "tester"
    assert at.session_state["selected"] == ("actor", actors[0]["id"])


def test_an_unnamed_place_accepted_is_named_after_its_kind(db: tuple[str, str]) -> None:
    url, map_id = db
    store = open_store(url)
    places = store.get_import_places(store.list_imports(map_id)[0]["id"])
    place = next(p for p in places if p.osm_id and not (p.name or p.name_nl or p.name_fr))
    _accept_in_panel(place, ["partner"])
    (actor,) = [a for a in store.list_actors(map_id) if a["osm_id"] == place.osm_id]
    named = t("pdf.unnamed", "nl", cat=category_label(place.category, "nl"))
    assert actor["name"] == named and place.osm_id not in actor["name"]  # no raw OSM id


def test_accept_without_role_is_refused(db: tuple[str, str]) -> None:
    url, map_id = db
    place = _a_candidate(url, map_id)
    at = new_app()
    at.session_state["selected"] = ("place", place.osm_id)
    run(at)
    at.button(key="accept_submit").click()
    run(at)
    assert t("place.need_role", "nl") in texts(at)
    assert not [a for a in open_store(url).list_actors(map_id) if a["osm_id"] == place.osm_id]


def test_dismissed_place_is_remembered_and_hidden(db: tuple[str, str]) -> None:
    url, map_id = db
    place = _a_candidate(url, map_id)
    at = new_app()
    at.session_state["selected"] = ("place", place.osm_id)
    run(at)
    at.button(key="place_dismiss").click()
    run(at)
    assert place.osm_id in open_store(url).dismissed_places(map_id)
    # A new session (another browser) does not show it either.
    other = new_app(user="other")
    other.session_state["selected"] = ("place", place.osm_id)
    run(other)
    assert t("panel.gone", "nl") in texts(other)


def test_click_on_empty_map_adds_an_informal_person(db: tuple[str, str]) -> None:
    url, map_id = db
    lat, lon = 60.17012, 24.94123
    at = new_app()
    at.session_state["selected"] = ("empty", lat, lon)
    run(at)
    at.text_input(key="informal_name").input("Buurvrouw <b>Lea</b>")
    at.selectbox(key="informal_kind").set_value("person")
    at.selectbox(key="informal_role").set_value("brugfiguur")
    at.button(key="informal_submit").click()
    run(at)
    actor = next(a for a in open_store(url).list_actors(map_id)
                 if a["name"] == "Buurvrouw <b>Lea</b>")
    assert actor["formal"] is False
    assert actor["kind"] == "person" and actor["roles"] == ["brugfiguur"]
    assert actor["location_precision"] == "coarse"
    # Coarse: near the click (within about 100 m) but not the exact point.
    assert abs(actor["lat"] - lat) < 0.001 and abs(actor["lon"] - lon) < 0.002
    assert (actor["lat"], actor["lon"]) != (lat, lon)
    assert actor["created_by"] == "tester"
    # The name is shown escaped, never as HTML.
    assert "\\<b\\>Lea\\</b\\>" in texts(at)


def _open_actor(user: str, actor_id: str) -> AppTest:
    at = new_app(user=user)
    at.session_state["selected"] = ("actor", actor_id)
    return run(at)


def _prefix(at: AppTest, actor: dict) -> str:
    """Widget key prefix of the edit form (the version the form was opened on)."""
    prefix = f"edit_{actor['id']}_{actor['version']}_"
    assert at.text_area(key=prefix + "notes").value == (actor["notes"] or "")
    return prefix


def test_conflicting_edit_is_shown_and_the_user_chooses(db: tuple[str, str]) -> None:
    url, map_id = db
    actor = open_store(url).list_actors(map_id)[0]
    first, second = _open_actor("anna", actor["id"]), _open_actor("bert", actor["id"])
    pa, pb = _prefix(first, actor), _prefix(second, actor)
    first.text_area(key=pa + "notes").input("Anna: bel na de vakantie")
    first.button(key=pa + "submit").click()
    run(first)
    second.text_area(key=pb + "notes").input("Bert: wil partner worden")
    second.button(key=pb + "submit").click()
    run(second)
    body = texts(second)
    assert t("edit.conflict", "nl", user="anna") in body
    radio = second.radio(key=f"conflict_{actor['id']}_notes")
    assert "Anna: bel na de vakantie" in radio.format_func("theirs")
    assert "Bert: wil partner worden" in radio.format_func("mine")
    # Nothing was overwritten yet.
    assert open_store(url).get_actor(actor["id"])["notes"] == "Anna: bel na de vakantie"
    radio.set_value("mine")
    second.button(key=f"conflict_submit_{actor['id']}").click()
    run(second)
    stored = open_store(url).get_actor(actor["id"])
    assert stored["notes"] == "Bert: wil partner worden"
    assert stored["updated_by"] == "bert"
    notes = [(e.get("after") or {}).get("notes") for e in open_store(url).history(actor["id"])]
    assert "Anna: bel na de vakantie" in notes  # Anna's edit is in the history, not lost


def test_edits_to_different_fields_merge(db: tuple[str, str]) -> None:
    url, map_id = db
    actor = open_store(url).list_actors(map_id)[1]
    first, second = _open_actor("anna", actor["id"]), _open_actor("bert", actor["id"])
    pa, pb = _prefix(first, actor), _prefix(second, actor)
    first.text_area(key=pa + "notes").input("nieuwe notitie")
    first.button(key=pa + "submit").click()
    run(first)
    new_strength = (int(actor["strength"]) + 1) % 4
    second.select_slider(key=pb + "strength").set_value(new_strength)
    second.button(key=pb + "submit").click()
    run(second)
    assert t("edit.conflict", "nl", user="anna") not in texts(second)
    stored = open_store(url).get_actor(actor["id"])
    assert stored["notes"] == "nieuwe notitie" and stored["strength"] == new_strength


def test_an_edit_in_one_session_shows_in_another_after_rerun(db: tuple[str, str]) -> None:
    url, map_id = db
    actor = open_store(url).list_actors(map_id)[2]
    watcher = _open_actor("watcher", actor["id"])
    open_store(url).update_actor("someone", actor["id"], {"contact_person": "Mevr. Zeno"})
    run(watcher)
    assert md_escape("Mevr. Zeno") in texts(watcher)


def test_role_filter_on_the_actor_page(db: tuple[str, str]) -> None:
    url, map_id = db
    actors = open_store(url).list_actors(map_id)
    expected = sum("partner" in a["roles"] for a in actors)
    at = new_app()
    switch_to(at, "actoren")
    run(at)
    at.multiselect(key="_w_flt_roles_nl").set_value(["partner"])
    run(at)
    assert t("actors.count", "nl", shown=expected,
             total=tn("count.actors", "nl", len(actors))) in texts(at)
    assert len(at.dataframe[0].value) == expected


def test_actor_page_adds_link_and_contact(db: tuple[str, str]) -> None:
    url, map_id = db
    store = open_store(url)
    before_links = len(store.list_links(map_id))
    at = new_app()
    switch_to(at, "actoren")
    run(at)
    src, dst = at.selectbox(key="link_from").options[:2]
    at.selectbox(key="link_type").set_value("werkt_samen")
    at.button(key="link_submit").click()
    run(at)
    links = open_store(url).list_links(map_id)
    assert len(links) == before_links + 1
    assert any(k["type"] == "werkt_samen" and k["created_by"] == "tester" for k in links)
    del src, dst
    actor_id = at.selectbox(key="contacts_actor").value
    before = len(open_store(url).list_contacts(actor_id=actor_id))
    at.text_input(key="actoren_contact_form_note").input("koffie gedronken")
    at.selectbox(key="actoren_contact_form_channel").set_value("visit")
    at.button(key="actoren_contact_form_submit").click()
    run(at)
    contacts = open_store(url).list_contacts(actor_id=actor_id)
    assert len(contacts) == before + 1
    assert any(c["note"] == "koffie gedronken" and c["channel"] == "visit" for c in contacts)


def test_vocabulary_in_french_on_the_actor_table(db: tuple[str, str]) -> None:
    at = new_app(lang="fr")
    switch_to(at, "actoren")
    run(at)
    frame = at.dataframe[0].value
    assert t("field.roles", "fr") in frame.columns
    words = " ".join(frame[t("field.roles", "fr")].astype(str))
    assert any(t(f"role.{key}", "fr") in words for key in vocab.ROLES)


def test_language_switch_keeps_filters_and_map_choices(db: tuple[str, str]) -> None:
    _, map_id = db
    at = new_app()
    run(at)
    at.multiselect(key="_w_flt_roles_nl").set_value(["partner"])
    at.number_input(key="_w_flt_months_nl").set_value(3)
    at.radio(key="_w_basemap_nl").set_value("offline")
    run(at)
    at.selectbox(key="lang").set_value("en")
    run(at)
    assert at.multiselect(key="_w_flt_roles_en").value == ["partner"]
    assert at.number_input(key="_w_flt_months_en").value == 3
    assert at.radio(key="_w_basemap_en").value == "offline"
    assert at.selectbox(key="_w_map_id_en").value == map_id
    assert at.multiselect(key="_w_flt_roles_en").label == "Roles"


def test_contact_log_in_the_map_panel(db: tuple[str, str]) -> None:
    import datetime as dt

    url, map_id = db
    actor = open_store(url).list_actors(map_id)[3]
    at = _open_actor("lien", actor["id"])
    key = f"panel_contact_{actor['id']}"
    at.date_input(key=key + "_date").set_value(dt.date(2026, 11, 27))
    at.selectbox(key=key + "_channel").set_value("phone")
    at.text_input(key=key + "_note").input("Afspraak <volgende> week")
    at.button(key=key + "_submit").click()
    run(at)
    stored = open_store(url).get_actor(actor["id"])
    contacts = open_store(url).list_contacts(actor_id=actor["id"])
    mine = [c for c in contacts if c["note"] == "Afspraak <volgende> week"]
    assert len(mine) == 1 and mine[0]["user"] == "lien" and mine[0]["channel"] == "phone"
    assert mine[0]["date"] == "2026-11-27"
    assert stored["last_contact"] == max(c["date"] for c in contacts)
    body = texts(at)
    assert "27/11/2026 · Telefoon" in body
    assert md_escape("Afspraak <volgende> week") in body
