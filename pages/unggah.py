"""Unggah Data: signed-in analysts upload an indicator file, check it, commit it, roll back.

Anonymous visitors see only the sign-in form: nothing below it runs for them. Every text that
comes from a file (values, headers, sheet and file names, messages quoting them) is shown
through ``st.dataframe``/``st.text`` (never Markdown or HTML).

The data wing (:mod:`ui.data.upload`) validates, commits and rolls back; the builders and the
page's state helpers are in :mod:`ui.upload`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import auth, data, exports, upload
from ui.data import upload as upload_data
from ui.i18n import current_lang, t

lang = current_lang()
st.title(t("unggah.page.title"))

analyst = auth.sign_in_form(t)
if analyst is None:
    st.caption(t("unggah.page.readers"))
    st.stop()

top = st.columns([4, 1])
top[0].text(t("unggah.auth.signed_in", name=analyst.name))
if top[1].button(t("unggah.auth.sign_out"), key=upload.SIGN_OUT_KEY):
    auth.sign_out()
    st.rerun()


# --------------------------------------------------------------------------- upload
def _mapping_editor(rows: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Draw the column-mapping editor; return the edited rows."""
    choices = [upload.IGNORE, upload.NEW, *catalogue.index.tolist()]
    col = st.column_config
    return st.data_editor(
        rows, key=upload.MAPPING_EDITOR_KEY, hide_index=True, width="stretch", disabled=["column"],
        column_config={
            "column": col.TextColumn(t("unggah.mapping.column")),
            "indicator": col.SelectboxColumn(t("unggah.mapping.indicator"), options=choices,
                                             required=True),
            "new_id": col.TextColumn(t("unggah.mapping.new_id")),
            "name": col.TextColumn(t("unggah.mapping.name")),
            "unit": col.TextColumn(t("unggah.mapping.unit")),
            "kind": col.SelectboxColumn(t("unggah.mapping.kind"), options=list(upload.KINDS)),
            "direction": col.SelectboxColumn(t("unggah.mapping.direction"),
                                             options=list(upload.DIRECTIONS)),
        },
    )


def _mapping(result, catalogue: pd.DataFrame, saved: dict) -> None:
    """The value columns mapped to indicators; a changed mapping is saved and the page reruns."""
    value_cols = [c for c in result.columns if c.role == "values"]
    if not value_cols:
        return
    st.subheader(t("unggah.mapping.title"))
    st.caption(t("unggah.mapping.intro"))
    rows = upload.mapping_rows(value_cols, saved, catalogue.index, upload_data.normalise_id)
    edited = _mapping_editor(rows, catalogue)
    st.caption(t("unggah.mapping.legend", ignore=upload.IGNORE, new=upload.NEW))
    new_state = upload.mapping_state(edited.to_dict("records"), upload_data.normalise_id)
    if upload.update_mapping(st.session_state, new_state):
        st.rerun()


def _metrics(pairs: list[tuple[str, str]]) -> None:
    for column, (label, value) in zip(st.columns(len(pairs)), pairs, strict=True):
        column.metric(label, value)


def _report(result) -> None:
    """Counts, file kind, verdict, and the errors and warnings with their location."""
    report = result.report
    st.subheader(t("unggah.report.title"))
    _metrics(upload.report_metrics(report, lang))
    st.text(upload.file_kind_text(result.meta, lang))
    if report.accepted:
        st.success(t("unggah.report.accepted"))
    else:
        st.error(t("unggah.report.rejected"))
    if report.errors:
        st.markdown("**" + t("unggah.report.errors") + "**")
        st.dataframe(upload.issues_table(report.errors, lang), hide_index=True, width="stretch")
    if report.warnings:
        with st.expander(t("unggah.report.warnings") + f" ({report.warning_count()})",
                         expanded=not report.errors):
            st.dataframe(upload.issues_table(report.warnings, lang), hide_index=True,
                         width="stretch")


def _preview(result, catalogue: pd.DataFrame) -> None:
    """What the commit would change: counts and the largest changes."""
    st.subheader(t("unggah.preview.title"))
    preview = upload_data.preview(result)
    if preview is None:
        return
    _metrics(upload.preview_metrics(preview.counts, lang))
    largest = preview.largest(10)
    if not largest.empty:
        st.caption(t("unggah.preview.largest"))
        labels = upload_data.region_labels(largest["region_code"])
        st.dataframe(upload.changes_table(largest, labels, catalogue, lang), hide_index=True,
                     width="stretch")


def _commit(result, frame: pd.DataFrame, saved: dict) -> None:
    """The confirmation and the commit button; a success reruns with the map pointed at it."""
    confirm = st.checkbox(t("unggah.commit.confirm"), key=upload.CONFIRM_KEY)
    if not st.button(t("unggah.commit.button"), type="primary", disabled=not confirm,
                     key=upload.COMMIT_KEY):
        return
    try:
        message = upload_data.commit(result, saved.get("new") or {}, actor=analyst.username,
                                     lang=lang)
    except upload_data.StoreBusy:
        st.warning(t("unggah.commit.busy"))
        return
    except upload_data.UploadRefused as exc:
        st.error(t("unggah.commit.refused"))
        st.text(exc.message(lang))
        if exc.details:
            st.dataframe(pd.DataFrame(exc.details), hide_index=True)
        return
    indicator, year = upload.commit_target(frame)
    upload.after_commit(st.session_state, indicator, year, message)
    st.rerun()


def _store_section(result, catalogue: pd.DataFrame, saved: dict) -> None:
    """For an accepted file: unmapped columns, then the preview and the commit."""
    frame = result.store_frame()
    unknown = upload.unmapped_columns(result.values)
    if unknown:
        st.warning(t("unggah.mapping.unmapped", count=len(unknown)))
    if frame.empty:
        st.info(t("unggah.commit.nothing"))
        return
    _preview(result, catalogue)
    _commit(result, frame, saved)


def _check_file(uploaded, year, locale: str, sheet_box) -> None:
    """Validate the chosen file and draw the mapping, report, preview and commit."""
    raw = uploaded.getvalue()
    file_id = upload.file_identity(uploaded.name, len(raw), getattr(uploaded, "file_id", None))
    upload.start_file(st.session_state, file_id)
    st.text(upload.file_info(uploaded.name, len(raw), lang))
    saved = upload.saved_mapping(st.session_state)
    try:
        catalogue = upload_data.catalogue()
        result = upload_data.validate(raw, uploaded.name, year=year, locale=locale, mapping=saved,
                                      sheet=st.session_state.get(upload.SHEET_KEY))
    except data.DataUnavailable:
        st.error(t("common.error.no_data"))
        st.stop()
    sheets = result.meta.get("sheets") or []
    if len(sheets) > 1:
        sheet_box.selectbox(t("unggah.upload.sheet"), sheets, key=upload.SHEET_KEY)
    _mapping(result, catalogue, saved)
    _report(result)
    if result.report.accepted:
        _store_section(result, catalogue, saved)


def _upload_tab() -> None:
    st.caption(t("unggah.page.intro"))
    uploaded = st.file_uploader(t("unggah.upload.file"), type=list(upload.FILE_TYPES),
                                key=upload.FILE_KEY)
    cols = st.columns(3)
    year = cols[0].number_input(t("unggah.upload.year"), min_value=1900, max_value=2100,
                                value=None, step=1, key=upload.YEAR_KEY,
                                help=t("unggah.upload.year_help"))
    locale = cols[1].selectbox(t("unggah.upload.locale"), list(upload.LOCALES),
                               key=upload.LOCALE_KEY,
                               format_func=lambda x: t(f"unggah.locale.{x}", lang=lang))
    sheet_box = cols[2].empty()
    done = st.session_state.get(upload.DONE_KEY)
    if done:
        st.success(done["message"])
        st.page_link("pages/peta.py", label=t("unggah.commit.see_map"), icon=":material/map:")
    if uploaded is None:
        st.info(t("unggah.upload.none"))
    else:
        _check_file(uploaded, year, locale, sheet_box)


# --------------------------------------------------------------------------- versions
def _rollback(indicators: list[str], catalogue: pd.DataFrame) -> None:
    """Choose an uploaded indicator, confirm, roll it back to its previous version."""
    st.subheader(t("unggah.versions.rollback_title"))
    indicator = st.selectbox(t("unggah.versions.indicator"), indicators, key=upload.ROLLBACK_KEY,
                             format_func=lambda i: upload.rollback_label(catalogue, i, lang))
    sure = st.checkbox(t("unggah.versions.rollback_confirm"), key=upload.ROLLBACK_CONFIRM_KEY)
    if not st.button(t("unggah.versions.rollback"), disabled=not sure,
                     key=upload.ROLLBACK_BUTTON_KEY):
        return
    try:
        target = upload_data.rollback(indicator, actor=analyst.username)
    except upload_data.StoreBusy:
        st.warning(t("unggah.commit.busy"))
        return
    except upload_data.UploadRefused as exc:
        st.text(exc.message(lang))
        return
    message = t("unggah.versions.rolled_back", indicator=indicator, version=target)
    upload.after_rollback(st.session_state, message)
    st.rerun()


def _versions_tab() -> None:
    if st.session_state.get(upload.ROLLBACK_DONE_KEY):
        st.success(st.session_state[upload.ROLLBACK_DONE_KEY])
    versions = upload_data.versions()
    if versions.empty:
        st.info(t("unggah.versions.none"))
        return
    st.dataframe(upload.versions_table(versions, lang), hide_index=True, width="stretch")
    catalogue = upload_data.catalogue()
    indicators = upload_data.uploaded_indicators(versions)
    if indicators:
        _rollback(indicators, catalogue)


# --------------------------------------------------------------------------- templates
def _templates_tab() -> None:
    st.caption(t("unggah.templates.intro"))
    try:
        kecamatan = data.regions_table("kecamatan")
    except data.DataUnavailable:
        return
    frames = upload.template_frames(kecamatan)
    writers = {"csv": (exports.to_csv, exports.CSV_MIME), "xlsx": (exports.to_xlsx, exports.XLSX_MIME)}
    for column, (label, name, filename, fmt) in zip(st.columns(4), upload.TEMPLATES, strict=True):
        write, mime = writers[fmt]
        column.download_button(t(label), write(frames[name]), filename, mime,
                               key=f"{upload.PREFIX}tpl_{name}_{fmt}")


tab_upload, tab_versions, tab_templates = st.tabs(
    [t("unggah.tab.upload"), t("unggah.tab.versions"), t("unggah.tab.templates")]
)
with tab_upload:
    _upload_tab()
with tab_versions:
    _versions_tab()
with tab_templates:
    _templates_tab()
