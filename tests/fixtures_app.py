"""App fixtures (live Streamlit server, headless Chromium). Filled in by the app work."""
