"""buurtkaart Streamlit app (placeholder until the app pages land)."""

import streamlit as st

st.title("buurtkaart")
