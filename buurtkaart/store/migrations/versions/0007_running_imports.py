"""Running imports: the marker that names who holds a long SQLite import.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('running_imports',
    sa.Column('token', sa.String(length=36), nullable=False),
    sa.Column('user', sa.Text(), nullable=False),
    sa.Column('what', sa.String(length=16), nullable=False),
    sa.Column('map_id', sa.String(length=36), nullable=True),
    sa.Column('host', sa.Text(), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('token')
    )


def downgrade() -> None:
    op.drop_table('running_imports')
