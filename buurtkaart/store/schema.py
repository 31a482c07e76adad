"""SQLAlchemy Core tables of the store, derived from :mod:`records` field specs.

This module describes the *current* schema; Alembic revisions in
``migrations/versions`` create it step by step. PostgreSQL adds a PostGIS
``geom`` column (generated from lat/lon) that is not declared here, so both
backends share one code path.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from buurtkaart.store.records import FIELDS, TABLES, Field

metadata = sa.MetaData()

_TYPES: dict[str, type[sa.types.TypeEngine]] = {  # type: ignore[type-arg]
    "str": sa.Text, "text": sa.Text, "int": sa.Integer, "float": sa.Float,
    "bool": sa.Boolean, "date": sa.String, "datetime": sa.String, "list": sa.JSON,
    "json": sa.JSON, "key": sa.String, "keys": sa.JSON,
}


def _column(f: Field) -> sa.Column:  # type: ignore[type-arg]
    if f.name == "map_id":
        return sa.Column("map_id", sa.String(36), sa.ForeignKey("maps.id"), nullable=False)
    return sa.Column(f.name, _TYPES[f.kind](), nullable=not f.required)


def _bookkeeping() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    ]


def _entity_table(entity: str, *extra: Any) -> sa.Table:
    cols = [_column(f) for f in FIELDS[entity]]
    return sa.Table(TABLES[entity], metadata, sa.Column("id", sa.String(36), primary_key=True),
                    *cols, *_bookkeeping(), *extra)


maps = _entity_table("map", sa.UniqueConstraint("name", name="uq_maps_name"))
actors = _entity_table("actor", sa.Index("ix_actors_map", "map_id"),
                       sa.Index("ix_actors_map_osm", "map_id", "osm_id"))
links = _entity_table("link", sa.Index("ix_links_map", "map_id"),
                      sa.Index("ix_links_from", "from_id"), sa.Index("ix_links_to", "to_id"),
                      sa.ForeignKeyConstraint(["from_id"], ["actors.id"], name="fk_links_from"),
                      sa.ForeignKeyConstraint(["to_id"], ["actors.id"], name="fk_links_to"))
contacts = _entity_table("contact", sa.Index("ix_contacts_map", "map_id"),
                         sa.Index("ix_contacts_actor", "actor_id"),
                         sa.ForeignKeyConstraint(["actor_id"], ["actors.id"],
                                                 name="fk_contacts_actor"))
signals = _entity_table("signal", sa.Index("ix_signals_map", "map_id"))
agenda = _entity_table("agenda", sa.Index("ix_agenda_map", "map_id"))
meetings = _entity_table("meeting", sa.Index("ix_meetings_map", "map_id"))
reflections = _entity_table("reflection", sa.Index("ix_reflections_map", "map_id"))
imports = _entity_table("import", sa.Index("ix_imports_map", "map_id"))
dismissals = _entity_table("dismissal",
                           sa.UniqueConstraint("map_id", "osm_id", name="uq_dismissals"))

import_places = sa.Table(
    "import_places", metadata,
    sa.Column("import_id", sa.String(36), sa.ForeignKey("imports.id"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("osm_id", sa.Text), sa.Column("name", sa.Text),
    sa.Column("name_nl", sa.Text), sa.Column("name_fr", sa.Text),
    sa.Column("category", sa.Text, nullable=False),
    sa.Column("lat", sa.Float, nullable=False), sa.Column("lon", sa.Float, nullable=False),
    sa.Column("tags", sa.JSON, nullable=False), sa.Column("source", sa.Text),
    sa.Column("geometry", sa.JSON), sa.Column("distance_m", sa.Float),
)

events = sa.Table(
    "events", metadata,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
              autoincrement=True),
    sa.Column("id", sa.String(36), nullable=False, unique=True),
    sa.Column("map_id", sa.String(36), nullable=True),
    sa.Column("entity", sa.String(32), nullable=False),
    sa.Column("entity_id", sa.String(36), nullable=False),
    sa.Column("op", sa.String(16), nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("before", sa.JSON), sa.Column("after", sa.JSON),
    sa.Index("ix_events_map_at", "map_id", "at"),
    sa.Index("ix_events_entity", "entity_id", "seq"),
)

users = sa.Table(
    "users", metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("password_hash", sa.Text),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("session_version", sa.Integer, nullable=False, server_default="0"),
)

memberships = sa.Table(
    "memberships", metadata,
    sa.Column("map_id", sa.String(36), sa.ForeignKey("maps.id"), primary_key=True),
    sa.Column("user_name", sa.String(200), sa.ForeignKey("users.name"), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="ck_memberships_role"),
)

preferences = sa.Table(
    "preferences", metadata,
    sa.Column("user_name", sa.String(200), primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text),
    sa.Column("updated_at", sa.String(32), nullable=False),
)

#: entity -> table
ENTITY_TABLES: dict[str, sa.Table] = {
    "map": maps, "actor": actors, "link": links, "contact": contacts, "signal": signals,
    "agenda": agenda, "meeting": meetings, "reflection": reflections, "import": imports,
    "dismissal": dismissals,
}

# -- live map (migration 0004): the live poll's index, presence, "gezien" marks --------
sa.Index("ix_events_map_seq", events.c.map_id, events.c.seq)

#: Who has a map open now: one row per browser session, a heartbeat that expires
#: (not domain data: no events; see docs/store.md "Presence").
presence = sa.Table(
    "presence", metadata,
    sa.Column("session_id", sa.String(64), primary_key=True),
    sa.Column("map_id", sa.String(36), sa.ForeignKey("maps.id"), nullable=False),
    sa.Column("user_name", sa.String(200), nullable=False),
    sa.Column("page", sa.String(32), nullable=False),
    sa.Column("entity_id", sa.String(36), nullable=True),
    sa.Column("beat_at", sa.String(32), nullable=False),
    sa.Index("ix_presence_map_beat", "map_id", "beat_at"),
)

#: Per worker and map: when they last marked the map "gezien" (seen).
seen_marks = sa.Table(
    "seen_marks", metadata,
    sa.Column("map_id", sa.String(36), sa.ForeignKey("maps.id"), primary_key=True),
    sa.Column("user_name", sa.String(200), primary_key=True),
    sa.Column("seen_at", sa.String(32), nullable=False),
    sa.Column("seen_seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), nullable=False),
)
