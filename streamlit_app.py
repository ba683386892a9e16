"""Entry point: page config and navigation only; the pages do the work."""

import streamlit as st

st.set_page_config(page_title="Klantportfolio", page_icon="📊", layout="wide")
st.navigation([st.Page("pages/overview.py", title="Overzicht / Overview", default=True)]).run()
