"""Import: upload an export, check what was detected and mapped, see the quality, save."""

from pathlib import Path

import streamlit as st

from app import door
from app import imports as _imports
from app.ui import (
    DEMO_CUSTOMERS,
    DEMO_LINES,
    DEMO_NAME,
    PENDING_DATASET,
    cursor,
    labels,
    lang,
    log_event,
    show_error,
    sidebar,
    tr,
    tr_plain,
)
from portfolio import PortfolioError, ReadOptions
from portfolio.config import thresholds
from portfolio.estimates import product_coverage
from portfolio.export import to_csv_bytes
from portfolio.formatting import number, percent
from portfolio.i18n import as_text
from portfolio.ingest.parsing import human_date_format
from portfolio.ingest.quality import preview, preview_texts, reason_text, rejects_frame
from portfolio.store import (
    current_version,
    data_dir,
    delete_dataset,
    list_datasets,
    resolve_dataset_name,
    save_dataset,
    suggest_name,
)

door.guard()  # first: nothing is shown before the door, whatever the request

sidebar()
st.title(tr("up.title"))
st.write(tr("up.intro"))
settings = thresholds()
st.info(
    tr(
        "up.kept", minutes=settings.ingest.upload_ttl_minutes, versions=settings.store.keep_versions
    ),
    icon=":material/shield:",
)
if deleted := st.session_state.pop("_deleted", None):
    st.success(tr("up.deleted", name=deleted))
language = lang()
types = ["csv", "txt", "xlsx", "parquet"]
left, right = st.columns(2)
lines_file = left.file_uploader(tr("up.lines_file"), type=types, key="up_lines")
customers_file = right.file_uploader(tr("up.customers_file"), type=types, key="up_customers")


def delete_section() -> None:
    """The right to erasure: a saved dataset and all that belongs to it, confirmed by name."""
    st.write(tr("up.delete_intro"))
    own = [n for n in list_datasets(data_dir()) if n != DEMO_NAME]
    if not own:
        st.caption(tr("up.delete_none"))
        return
    with st.form("delete_dataset", clear_on_submit=True):
        name = st.selectbox(tr("up.delete_which"), own, key="delete_which")
        typed = st.text_input(tr("up.delete_confirm"), key="delete_typed")
        if not st.form_submit_button(tr("up.delete_button"), type="primary"):
            return
    if typed.strip() != name:
        st.error(tr("up.delete_mismatch", name=name))
        return
    try:
        delete_dataset(data_dir(), name)
    except PortfolioError as exc:
        show_error(exc)
        return
    st.cache_data.clear()  # frames of the deleted dataset must not be shown again
    log_event("delete", what="dataset", dataset=name)
    if st.session_state.get("dataset") == name:
        st.session_state[PENDING_DATASET] = DEMO_NAME
    st.session_state["_deleted"] = name
    st.rerun()


SEEN_VERSION = "_seen_version"  # the dataset version under the name typed, as last shown


# a format function is bound to this run's language: Streamlit may call it outside the run
def _tab_label():
    tab = tr("up.tab")
    return lambda d: tab if d == "\t" else d


def _header_label():
    none = tr("up.not_mapped")
    return lambda h: none if h is None else h


def settings_form(upload: _imports.Upload) -> ReadOptions | None:
    """Detected settings and the column mapping, each changeable; new options on submit."""
    c = _imports.settings_choices(upload)
    # the names people know: "UTF-8 met BOM", not Python's utf-8-sig
    kind = tr_plain(f"up.kind.{c['kind']}") if c["kind"] else ""
    encoding_name = labels(lambda e: f"up.encoding.{e}")
    parts = (kind, encoding_name(c["encoding"]) if c["encoding"] else None, c["sheet"])
    summary = ", ".join(as_text(v) for v in parts if v)
    label = f"{tr('up.detected')}: {summary} — {tr('up.detected_help')}"
    with st.expander(label), st.form(f"settings_{upload.kind}_{upload.generation}"):
        cols = st.columns(4)
        cols[0].text_input(tr("up.kind"), kind, disabled=True)
        encoding = delimiter = sheet = None
        if c["kind"] == "csv":
            encoding = cols[1].selectbox(
                tr("up.encoding"),
                _imports.ENCODINGS,
                index=_imports.ENCODINGS.index(c["encoding"]),
                format_func=encoding_name,
            )
            delimiter = cols[2].selectbox(
                tr("up.delimiter"),
                _imports.DELIMITERS,
                index=_imports.DELIMITERS.index(c["delimiter"]),
                format_func=_tab_label(),
            )
        elif c["kind"] == "xlsx":
            sheet = cols[1].selectbox(
                tr("up.sheet"), c["sheets"], index=c["sheets"].index(c["sheet"])
            )
        header_row = cols[3].number_input(tr("up.header_row"), 0, 10_000, c["header_row"])
        st.markdown(f"**{tr('up.mapping')}** — {tr('up.mapping_help')}")
        grid = st.columns(4)
        mapping, decimal, date_format = {}, {}, {}
        for i, f in enumerate(c["fields"]):
            chosen = c["mapping"].get(f)
            mapping[f] = grid[i % 4].selectbox(
                tr(f"field.{f}"),
                c["headers"],
                index=c["headers"].index(chosen),
                format_func=_header_label(),
                key=f"{upload.kind}_map_{f}",
            )
        for i, (f, style) in enumerate(c["decimal"].items()):
            decimal[f] = grid[i % 4].selectbox(
                f"{tr('up.decimal')}: {tr(f'field.{f}')}",
                c["decimal_styles"],
                index=c["decimal_styles"].index(style),
                format_func=labels(lambda s: f"up.decimal_{s}"),
                key=f"{upload.kind}_dec_{f}",
            )
        for i, (f, fmt) in enumerate(c["date_format"].items()):
            date_format[f] = grid[i % 4].selectbox(
                f"{tr('up.date_format')}: {tr(f'field.{f}')}",
                c["date_formats"],
                index=c["date_formats"].index(fmt),
                format_func=lambda s: human_date_format(s, language),
                key=f"{upload.kind}_date_{f}",
            )
        if st.form_submit_button(tr("up.reread")):
            return ReadOptions(
                encoding=encoding,
                delimiter=delimiter,
                sheet=sheet,
                header_row=int(header_row),
                mapping=mapping,
                decimal=decimal,
                date_format=date_format,
            )
    return None


def quality(upload: _imports.Upload) -> None:
    imp = upload.imp
    cells = st.columns(4)
    for cell, key, value in zip(
        cells,
        ("rows_read", "rows_used", "rows_rejected", "duplicates"),
        (imp.rows_read, imp.rows_used, imp.rows_rejected, imp.duplicates),
        strict=True,
    ):
        cell.metric(tr(f"up.{key}"), number(value, language))
    if not imp.reasons:
        st.success(tr("up.all_used"))
        return
    st.dataframe(
        {
            tr("up.reason"): [reason_text(r, language) for r in imp.reasons],
            tr("up.count"): list(imp.reasons.values()),
        },
        hide_index=True,
    )
    rejects = rejects_frame(cursor(), imp, language)
    st.caption(tr("up.rejects_shown", shown=min(200, len(rejects)), total=len(rejects)))
    st.dataframe(rejects.head(200), hide_index=True, width="stretch")
    st.download_button(
        tr("up.download_rejects"),
        to_csv_bytes(rejects, dutch=language == "nl"),
        file_name=f"afgekeurd-{Path(imp.file).stem}.csv",
        mime="text/csv",
        key=f"rejects_{upload.kind}",
    )


def show(kind: str, uploaded) -> _imports.Upload | None:
    if uploaded is None:
        _imports.forget(kind)
        return None
    st.subheader(tr(f"up.{kind}_title"))
    try:
        upload = _imports.read_upload(kind, uploaded)
        if (options := settings_form(upload)) is not None:
            upload = _imports.read_upload(kind, uploaded, options)
            st.rerun()  # the form is drawn again from the new import's values
    except PortfolioError as exc:
        show_error(exc)
        return None
    st.markdown(f"**{tr('up.preview')}**")
    first = preview_texts(preview(cursor(), upload.imp), lang())
    st.dataframe(first.rename(columns=lambda f: tr(f"field.{f}")), hide_index=True, width="stretch")
    st.markdown(f"**{tr('up.quality')}**")
    quality(upload)
    return upload


with st.expander(tr("up.delete_title"), icon=":material/delete:"):
    delete_section()


def estimates(lines: _imports.Upload) -> tuple[_imports.Upload | None, float | None]:
    """Contribution and the margin question need a gross margin: without a cost price in
    the export the user may estimate it (an average, or per product); every page then
    says it is an estimate."""
    has_cost = "cost" in lines.imp.mapping.fields
    default = settings.margin_estimate.average_margin_pct
    with st.container(border=True):
        st.subheader(tr("up.estimate_title"))
        st.write(tr("up.estimate_cost" if has_cost else "up.estimate_no_cost"))
        pct = st.number_input(
            tr("up.average_margin"),
            min_value=-100.0,
            max_value=100.0,
            value=None if default is None else default * 100,
            step=1.0,
            format="%.1f",
            placeholder=tr_plain("up.average_margin_none"),
            help=tr("up.average_margin_help"),
            key="up_average_margin",
        )
        uploaded = st.file_uploader(
            tr("up.products_file"), type=types, key="up_products", help=tr("up.products_help")
        )
        products = show("products", uploaded)
        if products is not None:
            coverage_note(lines, products)
    return products, None if pct is None else pct / 100


def coverage_note(lines: _imports.Upload, products: _imports.Upload) -> None:
    """How much of the revenue without cost price the product file reaches, before saving."""
    if "product" not in lines.imp.mapping.fields:
        st.warning(tr("est.coverage_no_product"))
        return
    share, missing = product_coverage(cursor(), lines.imp.table, products.imp.table)
    if share is None:
        return
    if share >= 1:
        st.success(tr("est.coverage_full"))
        return
    st.info(tr("est.coverage", share=percent(share, language, 0)))
    if missing:
        st.caption(tr("est.coverage_missing", products=", ".join(map(str, missing))))


def export_guide() -> None:
    """Before the first file: which columns are needed and which add what, how to export
    them from the packages our users run, and sample files to compare with."""
    with st.container(border=True):
        st.markdown(f"**{tr('up.guide_title')}**")
        st.markdown(tr("up.guide_needed"))
        st.markdown(tr("up.guide_optional"))
        st.markdown(tr("up.guide_customers"))
        st.markdown(f"**{tr('up.guide_how')}**")
        st.markdown("\n".join(f"- {tr(f'up.guide.{p}')}" for p in GUIDE_PACKAGES))
        samples = (
            ("lines", DEMO_LINES, 25, "voorbeeld-verkoopregels.csv"),
            ("customers", DEMO_CUSTOMERS, 10, "voorbeeld-klanten.csv"),
        )
        for column, (kind, path, rows, file_name) in zip(st.columns(2), samples, strict=True):
            column.download_button(
                tr(f"up.sample_{kind}"),
                _imports.file_head(path, rows),
                file_name=file_name,
                mime="text/csv",
                on_click="ignore",
                key=f"sample_{kind}",
            )


GUIDE_PACKAGES = ("exact", "twinfield", "eboekhouden", "snelstart", "afas", "moneybird")


lines = show("lines", lines_file)
customers = show("customers", customers_file)
if lines is None:
    _imports.forget("products")
    if lines_file is None:
        export_guide()
    st.stop()
if lines.imp.rows_used == 0:
    st.error(tr("up.nothing_usable"))
    st.stop()
products, average = estimates(lines)

st.subheader(tr("up.save_title"))
name = st.text_input(tr("up.name"), suggest_name(lines.imp.file), key="dataset_name")
try:  # look-alikes ("Demo ", fullwidth letters) are the dataset they look like
    resolved = resolve_dataset_name(data_dir(), name)
except PortfolioError as exc:
    show_error(exc)
    st.stop()
# what this name held when the user last saw the page: a teammate's save since is a conflict
version_now = current_version(data_dir(), resolved)
seen = st.session_state.get(SEEN_VERSION, {}).get(resolved, version_now)
st.session_state[SEEN_VERSION] = {resolved: version_now}
if version_now is not None:
    st.caption(tr("up.overwrite_note", name=resolved, keep=thresholds().store.keep_versions))
if st.button(tr("up.save"), type="primary"):
    try:
        with st.spinner(tr("up.saving", name=resolved), show_time=True):
            info = save_dataset(
                cursor(),
                data_dir(),
                resolved,
                lines.imp,
                customers.imp if customers else None,
                seen=seen,
                products=products.imp if products else None,
                average_margin=average,
                by=door.who(),
            )
    except PortfolioError as exc:
        show_error(exc)
        st.stop()
    log_event("save", what="dataset", dataset=info.name, rows=lines.imp.rows_used)
    for kind in ("lines", "customers", "products"):  # saved as Parquet: the copy can go
        _imports.forget(kind)
    st.session_state[PENDING_DATASET] = info.name
    st.switch_page("pages/overview.py")
