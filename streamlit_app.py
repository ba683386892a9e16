"""Entry point: page config, the door of a shared deployment, navigation; the pages do
the work."""

import streamlit as st

from pages import _access
from portfolio.i18n import t

st.set_page_config(page_title="Klantportfolio", page_icon=":material/monitoring:", layout="wide")
lang = st.session_state.get("lang", "nl")
if not _access.admitted():
    # only the door: no page of the app can be reached by its address before that
    st.navigation([st.Page(_access.door, title=t("ac.title", lang))], position="hidden").run()
    st.stop()
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
_access.sign_out_button()
st.navigation(navigation).run()
