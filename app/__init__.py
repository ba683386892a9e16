"""The Streamlit side of the product: what the pages share.

``pages/`` holds only the page scripts (each a short script that calls
``door.guard()`` first); everything they share lives here:

- ``door``: who may come in (team password or single sign-on), checked on every page;
- ``ui``: the sidebar (language, dataset, period), share links, the cached loaders;
- ``charts``: the Altair charts;
- ``imports``: the state of an upload on the import page;
- ``segments``: one module per segmentation scheme and what they share;
- ``scenarios``, ``funnel``, ``ratings``: the larger parts of their pages.

The domain (every figure) lives in ``portfolio/``, which never imports Streamlit.
"""
