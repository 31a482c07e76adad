"""The typed records match FIELDS: one source of truth for every entity's keys."""

from __future__ import annotations

from typing import get_type_hints

import pytest

from buurtkaart.store import types
from buurtkaart.store.records import BOOKKEEPING, FIELDS
from buurtkaart.store.schema import events, memberships, users


@pytest.mark.parametrize("entity", sorted(FIELDS))
def test_each_record_type_has_exactly_the_fields_and_bookkeeping(entity: str) -> None:
    record_type = types.RECORD_TYPES[entity]
    expected = {"id", *BOOKKEEPING, *(f.name for f in FIELDS[entity])}
    assert set(get_type_hints(record_type)) == expected


def test_every_entity_has_a_record_type() -> None:
    assert set(types.RECORD_TYPES) == set(FIELDS)


@pytest.mark.parametrize(("record_type", "table", "left_out"), [
    (types.Event, events, {"seq"}), (types.User, users, {"password_hash"}),
    (types.Membership, memberships, set()),
])
def test_log_and_account_types_match_their_tables(record_type: type, table: object,
                                                  left_out: set[str]) -> None:
    columns = {c.name for c in table.columns}  # type: ignore[attr-defined]
    assert set(get_type_hints(record_type)) == columns - left_out


def test_required_fields_are_not_optional() -> None:
    for entity, fields in FIELDS.items():
        hints = get_type_hints(types.RECORD_TYPES[entity])
        for f in fields:
            if f.required:
                assert type(None) not in getattr(hints[f.name], "__args__", ()), (entity, f.name)


def test_the_store_returns_typed_records(sqlite_url: str) -> None:
    from buurtkaart.store import open_store

    with open_store(sqlite_url) as store:
        the_map = store.create_map("ann", name="m", org_name="O", lat=50.85, lon=4.34)
        actor = store.add_actor("ann", the_map["id"], name="School")
        assert set(actor) == set(get_type_hints(types.Actor))
        assert set(store.get_map("m")) == set(get_type_hints(types.Map))
        assert set(store.history(actor["id"])[0]) == set(get_type_hints(types.Event))
