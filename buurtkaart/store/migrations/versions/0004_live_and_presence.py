"""Live map: an index for the live poll, presence heartbeats and "gezien" marks.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_events_map_seq', 'events', ['map_id', 'seq'])
    op.create_table('presence',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('map_id', sa.String(length=36), nullable=False),
    sa.Column('user_name', sa.String(length=200), nullable=False),
    sa.Column('page', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=True),
    sa.Column('beat_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['map_id'], ['maps.id'], ),
    sa.PrimaryKeyConstraint('session_id')
    )
    op.create_index('ix_presence_map_beat', 'presence', ['map_id', 'beat_at'])
    op.create_table('seen_marks',
    sa.Column('map_id', sa.String(length=36), nullable=False),
    sa.Column('user_name', sa.String(length=200), nullable=False),
    sa.Column('seen_at', sa.String(length=32), nullable=False),
    sa.Column('seen_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['map_id'], ['maps.id'], ),
    sa.PrimaryKeyConstraint('map_id', 'user_name')
    )


def downgrade() -> None:
    op.drop_table('seen_marks')
    op.drop_index('ix_presence_map_beat', table_name='presence')
    op.drop_table('presence')
    op.drop_index('ix_events_map_seq', table_name='events')
