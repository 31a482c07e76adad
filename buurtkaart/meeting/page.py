"""Entry points looked up by :data:`buurtkaart.ui.external.PAGE_BODIES`."""

from __future__ import annotations

from buurtkaart.meeting.ui import render_buurt_page as render_buurt
from buurtkaart.meeting.ui import render_meeting_page as render_meeting

__all__ = ["render_buurt", "render_meeting"]
