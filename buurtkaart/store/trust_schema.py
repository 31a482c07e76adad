"""Tables of the trust layer (migrations 0005, 0007): throttling, erasures, running imports.

``login_attempts`` counts failed logins per key (``user:NAME`` or
``client:ADDRESS``) in the database, so the lockout holds across sessions,
processes and replicas. ``erasures`` records each forget whose on-disk
compaction could not complete (a reader held the SQLite WAL); it is retried
when the store is free and marked done.
"""

from __future__ import annotations

import sqlalchemy as sa

from buurtkaart.store.schema import metadata

login_attempts = sa.Table(
    "login_attempts", metadata,
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_at", sa.String(32), nullable=False),
    sa.Column("locked_until", sa.String(32), nullable=True),
)

erasures = sa.Table(
    "erasures", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("actor_id", sa.String(36), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("by", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("detail", sa.Text, nullable=True),
)

running_imports = sa.Table(  # migration 0007: who is importing now (SQLite write lock)
    "running_imports", metadata,
    sa.Column("token", sa.String(36), primary_key=True),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("what", sa.String(16), nullable=False),
    sa.Column("map_id", sa.String(36), nullable=True),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("started_at", sa.String(32), nullable=False),
)
