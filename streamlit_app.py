"""Entry script: page config, the door of a shared deployment, the navigation; the
pages do the work.

This is the only place that builds the navigation. Before the door opens the whole
navigation is built too, hidden and not run: an address such as ``/klanten?period=…``
is then recognised (no "page not found"), the door is shown instead of the page, and
after the password the same address opens with its settings.
"""

import streamlit as st

from app import door
from portfolio.i18n import t

st.set_page_config(page_title="Klantportfolio", page_icon=":material/monitoring:", layout="wide")
lang = st.session_state.get("lang", "nl")
PAGES = [  # (file, title key, icon, address)
    ("pages/overview.py", "ui.nav_overview", ":material/monitoring:", "overzicht"),
    ("pages/customers.py", "ui.nav_customers", ":material/table:", "klanten"),
    ("pages/customer.py", "ui.nav_card", ":material/person:", "klant"),
    ("pages/retention.py", "ui.nav_retention", ":material/autorenew:", "klantbehoud"),
    ("pages/segments.py", "ui.nav_segments", ":material/grid_view:", "segmenten"),
    ("pages/scenarios.py", "ui.nav_scenarios", ":material/price_change:", "prijsscenarios"),
    ("pages/funnel.py", "ui.nav_funnel", ":material/filter_alt:", "stappenplan"),
    ("pages/upload.py", "ui.nav_upload", ":material/upload:", "inlezen"),
]
# Streamlit serves the default page at "/" and only there, yet it reserves a path: a name
# no link uses, so that the overview's own name can be an address forwarding to "/"
DEFAULT_PAGE_PATH = "_start"
pages = {
    file: st.Page(
        file,
        title=t(key, lang),
        icon=icon,
        url_path=DEFAULT_PAGE_PATH if i == 0 else path,
        default=i == 0,
    )
    for i, (file, key, icon, path) in enumerate(PAGES)
}
# Addresses of earlier versions (the page files' own names, and the helper modules that
# Streamlit's old multipage mode listed as pages) lead to the page, never to "not found";
# so does the overview's own name
OLD_ADDRESSES = {
    "overzicht": "pages/overview.py",
    "overview": "pages/overview.py",
    "customers": "pages/customers.py",
    "retention": "pages/retention.py",
    "segments": "pages/segments.py",
    "scenarios": "pages/scenarios.py",
    "funnel": "pages/funnel.py",
    "upload": "pages/upload.py",
    **{
        prefix + old: "pages/overview.py"
        for prefix in ("", "_")
        for old in (
            "streamlit_app",
            "ui",
            "charts",
            "imports",
            "access",
            "ratings",
            "scenario_ui",
            "funnel_ui",
            "segment_ui",
            "scheme_grid",
            "scheme_value",
            "scheme_types",
            "scheme_fit",
        )
    },
}
aliases = [
    st.Page(
        door.forward_to(pages[file]), title=pages[file].title, url_path=old, visibility="hidden"
    )
    for old, file in OLD_ADDRESSES.items()
]
admitted = door.admitted()
page = st.navigation([*pages.values(), *aliases], position="sidebar" if admitted else "hidden")
if not admitted:
    door.door()  # instead of the page; nothing of the app is drawn
    st.stop()
door.sign_out_button()
page.run()
