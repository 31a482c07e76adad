"""Archived maps (``maps.archived_at``) and per-user preferences (``preferences``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('maps', sa.Column('archived_at', sa.String(), nullable=True))
    op.create_table('preferences',
    sa.Column('user_name', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('user_name', 'name')
    )


def downgrade() -> None:
    op.drop_table('preferences')
    with op.batch_alter_table('maps') as batch:
        batch.drop_column('archived_at')
