"""Accounts and memberships; PostGIS point columns with spatial indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

#: Tables that get a generated PostGIS point column on PostgreSQL.
SPATIAL_TABLES = ("actors", "import_places", "signals", "agenda")

_GEOM = ("geometry(Point, 4326) GENERATED ALWAYS AS (CASE WHEN lat IS NULL OR lon IS NULL "
         "THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED")


def upgrade() -> None:
    op.create_table('users',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('memberships',
    sa.Column('map_id', sa.String(length=36), nullable=False),
    sa.Column('user_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name='ck_memberships_role'),
    sa.ForeignKeyConstraint(['map_id'], ['maps.id'], ),
    sa.ForeignKeyConstraint(['user_name'], ['users.name'], ),
    sa.PrimaryKeyConstraint('map_id', 'user_name')
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        for table in SPATIAL_TABLES:
            op.execute(f"ALTER TABLE {table} ADD COLUMN geom {_GEOM}")
            op.execute(f"CREATE INDEX ix_{table}_geom ON {table} USING gist (geom)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in SPATIAL_TABLES:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_geom")
            op.execute(f"ALTER TABLE {table} DROP COLUMN geom")
    op.drop_table('memberships')
    op.drop_table('users')
