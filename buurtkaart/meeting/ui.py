"""Streamlit page bodies of the meeting part, called by ``app_pages/buurt.py`` and
``app_pages/teamvergadering.py`` through :mod:`buurtkaart.ui.external`.

Both take a ``PageContext`` (``store``, ``map``, ``lang``, ``user``).
"""

from __future__ import annotations

from buurtkaart.meeting.ui_buurt import render_buurt_page
from buurtkaart.meeting.ui_meeting import render_meeting_page

__all__ = ["render_buurt_page", "render_meeting_page"]
