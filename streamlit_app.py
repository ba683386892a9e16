"""Entry point: page config and navigation only; the pages do the work."""

import streamlit as st

from portfolio.i18n import t

st.set_page_config(page_title="Klantportfolio", page_icon=":material/monitoring:", layout="wide")
lang = st.session_state.get("lang", "nl")
pages = [  # (file, title key, icon, address)
    ("pages/overview.py", "ui.nav_overview", ":material/monitoring:", None),
    ("pages/customers.py", "ui.nav_customers", ":material/table:", "klanten"),
    ("pages/retention.py", "ui.nav_retention", ":material/autorenew:", "klantbehoud"),
    ("pages/segments.py", "ui.nav_segments", ":material/grid_view:", "segmenten"),
    ("pages/scenarios.py", "ui.nav_scenarios", ":material/price_change:", "prijsscenarios"),
    ("pages/funnel.py", "ui.nav_funnel", ":material/filter_alt:", "stappenplan"),
    ("pages/upload.py", "ui.nav_upload", ":material/upload:", "inlezen"),
]
navigation = [
    st.Page(file, title=t(key, lang), icon=icon, url_path=path, default=path is None)
    for file, key, icon, path in pages
]
st.navigation(navigation).run()
