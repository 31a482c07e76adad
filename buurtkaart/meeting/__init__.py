"""Team meeting and environment analysis.

Pure parts: :mod:`~buurtkaart.meeting.diff` (OSM change detection),
:mod:`~buurtkaart.meeting.since` (what changed since the previous meeting),
:mod:`~buurtkaart.meeting.agenda` (buurtagenda, RRULE, ICS),
:mod:`~buurtkaart.meeting.reflection` (domain reflection scores).
Output: :mod:`~buurtkaart.views.meeting_pdf` (printed PDF report); the Streamlit pages
are in :mod:`buurtkaart.app.screens`.
"""
