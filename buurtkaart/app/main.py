"""buurtkaart: the Streamlit app. Run with ``make run`` (or ``streamlit run app.py``)."""

from buurtkaart.ui.app import main
from buurtkaart.ui.demo_boot import ensure_demo_if_empty

ensure_demo_if_empty()
main()
