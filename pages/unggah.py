"""Unggah Data: signed-in analysts upload an indicator file, map it, commit it, roll back.

Anonymous visitors see only the sign-in form: no file uploader is rendered for them (and
:func:`ui.auth.guard_uploads` drops files sent to a session that is not signed in). The flow
and why a rerun cannot undo a choice are described in :mod:`ui.upload`; the data wing
(:mod:`ui.data.upload`) validates, commits and rolls back. Texts from files are shown as plain
text or table cells, or escaped where Streamlit renders Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n.text import escape_markdown
from ui import auth, data, exports, router, upload, upload_tables
from ui.data import signin as signin_data
from ui.data import upload as upload_data
from ui.i18n import current_lang, t

router.ensure_router()
auth.guard_uploads()
lang = current_lang()
st.title(t("unggah.page.title"))

analyst = auth.sign_in_form(t, signin_data.attempt)
if analyst is None:
    st.caption(t("unggah.page.readers"))
    st.stop()

top = st.columns([4, 1])
top[0].text(t("unggah.auth.signed_in", name=analyst.name))
top[1].button(t("unggah.auth.sign_out"), key=upload.SIGN_OUT_KEY, on_click=auth.sign_out)


# --------------------------------------------------------------------------- callbacks
# Button callbacks run before the next script run: only there may the sidebar's widgets
# (indicator, year, level) be pointed at the new values.
def _on_commit(result, new: dict, token: str, prefer: list[str]) -> None:
    ss = st.session_state
    analyst = auth.privileged()
    if analyst is None:
        return
    try:
        done = upload_data.commit(result, new, actor=analyst.username)
    except upload_data.StoreBusy:
        ss[upload.FAILED_KEY] = {"token": token, "message": t("unggah.commit.busy"), "details": []}
        return
    except upload_data.UploadRefused as exc:
        ss[upload.FAILED_KEY] = {"token": token, "details": exc.details,
                                 "message": t("unggah.commit.refused") + " " + exc.message(lang)}
        return
    indicator, year = upload_tables.commit_target(result.store_frame(), prefer)
    upload.after_commit(ss, token, indicator, year, upload_tables.commit_message(done, lang))


def _on_rollback(names: dict) -> None:
    ss = st.session_state
    indicator = ss.get(upload.ROLLBACK_KEY)
    analyst = auth.privileged()
    if analyst is None or not indicator:
        return
    try:
        version = upload_data.rollback(indicator, actor=analyst.username)
    except upload_data.UploadRefused as exc:  # StoreBusy included
        ss[upload.ROLLBACK_FAILED_KEY] = exc.message(lang)
        return
    name = names.get(indicator, indicator)
    upload.after_rollback(ss, upload.rollback_message(name, version, lang))


# --------------------------------------------------------------------------- mapping
def _new_fields(cand: upload.Candidate, token: str) -> dict:
    """The new indicator's widgets of one column; their values."""
    def key(field: str) -> str:
        return upload.field_key(token, cand.position, field)

    a, b = st.columns(2)
    out = {
        "name_id": a.text_input(t("unggah.new.name_id"), value=cand.header, key=key("name_id")),
        "name_en": b.text_input(t("unggah.new.name_en"), value=cand.header, key=key("name_en")),
    }
    c, d, e = st.columns(3)
    out["unit"] = c.text_input(t("unggah.new.unit"), key=key("unit"))
    out["kind"] = d.selectbox(t("unggah.new.kind"), upload.KINDS, key=key("kind"),
                              format_func=lambda k: t(f"unggah.kind.{k}"))
    out["direction"] = e.selectbox(t("unggah.new.direction"), upload.DIRECTIONS,
                                   index=upload.DIRECTIONS.index("neutral"), key=key("direction"),
                                   format_func=lambda k: t(f"unggah.direction.{k}"))
    f, g = st.columns(2)
    out["valid_min"] = f.number_input(t("unggah.new.valid_min"), value=None, key=key("valid_min"))
    out["valid_max"] = g.number_input(t("unggah.new.valid_max"), value=None, key=key("valid_max"))
    return out


def _mapping(cands, catalogue: pd.DataFrame, token: str) -> upload.Choices:
    """One choice per candidate column (and a new indicator's fields); the choices read back."""
    st.subheader(t("unggah.mapping.title"))
    st.caption(t("unggah.mapping.intro"))
    options = upload.choice_options(catalogue.index.tolist())
    labels = {upload.IGNORE: t("unggah.mapping.ignore"), upload.NEW: t("unggah.mapping.new")}

    def label(choice: str) -> str:
        if choice in labels:
            return labels[choice]
        return f"{upload_tables.indicator_name(catalogue, choice, lang)} ({choice})"

    fields, id_slots = {}, {}
    for cand in cands:
        with st.container(border=True):
            choice = st.selectbox(
                t("unggah.mapping.column", column=escape_markdown(cand.header)), options,
                index=options.index(cand.default), format_func=label,
                key=upload.field_key(token, cand.position, "choice"))
            fields[cand.position] = {"choice": choice}
            if choice == upload.NEW:
                fields[cand.position].update(_new_fields(cand, token))
                id_slots[cand.position] = st.empty()
    choices = upload.mapping_of(cands, fields, catalogue.index, lang)
    for cand in cands:
        if cand.position in id_slots:
            new_id = choices.new[cand.header]["id"]
            id_slots[cand.position].text(t("unggah.mapping.new_id", id=new_id))
    return choices


# --------------------------------------------------------------------------- report, preview
def _metrics(pairs: list[tuple[str, str]]) -> None:
    for column, (label, value) in zip(st.columns(len(pairs)), pairs, strict=True):
        column.metric(label, value)


def _report(result) -> None:
    """Counts, file kind, verdict, and the errors and warnings with their location."""
    report = result.report
    st.subheader(t("unggah.report.title"))
    _metrics(upload_tables.report_metrics(report, lang))
    st.text(upload_tables.file_kind_text(result.meta, lang))
    if report.accepted:
        st.success(t("unggah.report.accepted"))
    else:
        st.error(t("unggah.report.rejected"))
    if report.errors:
        st.markdown("**" + t("unggah.report.errors") + "**")
        st.dataframe(upload_tables.issues_table(report.errors, lang), hide_index=True,
                     width="stretch")
    if report.warnings:
        with st.expander(t("unggah.report.warnings") + f" ({report.warning_count()})",
                         expanded=not report.errors):
            st.dataframe(upload_tables.issues_table(report.warnings, lang), hide_index=True,
                         width="stretch")


def _preview(result, catalogue: pd.DataFrame) -> None:
    """What the commit would change: counts and the largest changes."""
    st.subheader(t("unggah.preview.title"))
    preview = upload_data.preview(result)
    if preview is None:
        return
    _metrics(upload_tables.preview_metrics(preview.counts, lang))
    largest = preview.largest(10)
    if not largest.empty:
        st.caption(t("unggah.preview.largest"))
        labels = upload_data.region_labels(largest["region_code"])
        st.dataframe(upload_tables.changes_table(largest, labels, catalogue, lang),
                     hide_index=True, width="stretch")


def _commit(result, choices: upload.Choices, token: str) -> None:
    """Confirmation and commit button (the commit itself runs in :func:`_on_commit`)."""
    failed = st.session_state.get(upload.FAILED_KEY)
    if failed and failed.get("token") == token:
        st.error(escape_markdown(failed["message"]))
        if failed.get("details"):
            st.dataframe(pd.DataFrame(failed["details"]), hide_index=True)
    confirm = st.checkbox(t("unggah.commit.confirm"), key=upload.confirm_key(token))
    prefer = [spec["id"] for spec in choices.new.values()]
    st.button(t("unggah.commit.button"), type="primary", disabled=not confirm,
              key=upload.commit_key(token), on_click=_on_commit,
              args=(result, choices.new, token, prefer))


def _store_section(result, catalogue: pd.DataFrame, choices: upload.Choices, token: str) -> None:
    """For an accepted file with something mapped: the preview and the commit."""
    ignored = [h for h, target in choices.mapping.items() if target is None]
    if ignored:
        st.info(t("unggah.mapping.unmapped", count=len(ignored)))
    if choices.problems:
        st.warning(t("unggah.mapping.fix_new"))
        st.text("\n".join(choices.problems))
        return
    if result.store_frame().empty:
        st.info(t("unggah.commit.nothing"))
        return
    _preview(result, catalogue)
    _commit(result, choices, token)


# --------------------------------------------------------------------------- upload tab
def _check_file(uploaded, year, locale: str, sheet_box) -> None:
    """Validate the chosen file; draw the mapping, report, preview and commit."""
    raw = uploaded.getvalue()
    token = upload.file_token(upload.file_identity(uploaded.name, len(raw),
                                                   getattr(uploaded, "file_id", None)))
    st.text(upload_tables.file_info(uploaded.name, len(raw), lang))
    done = upload.done_for(st.session_state, token)
    if done:
        st.success(escape_markdown(done["message"]))
        st.page_link("pages/peta.py", label=t("unggah.commit.see_map"), icon=":material/map:",
                     query_params=upload.map_query(done["indicator"], done["year"]))
        st.caption(t("unggah.commit.done_again"))
        return
    sheet = st.session_state.get(upload.SHEET_KEY)
    try:
        catalogue = upload_data.catalogue()
        found = upload_data.validate(raw, uploaded.name, year=year, locale=locale, sheet=sheet)
        sheets = found.meta.get("sheets") or []
        if len(sheets) > 1:
            sheet_box.selectbox(t("unggah.upload.sheet"), sheets, key=upload.SHEET_KEY)
        cands = upload.candidates(found.columns, catalogue.index, upload_data.normalise_id)
        choices = _mapping(cands, catalogue, token) if cands else None
        result = found
        if choices is not None and choices.stores_anything:
            result = upload_data.validate(raw, uploaded.name, year=year, locale=locale,
                                          sheet=sheet, mapping=upload.validator_mapping(choices),
                                          new=choices.new)
    except data.DataUnavailable as exc:
        st.error(t(exc.key))
        return
    if choices is not None and not choices.stores_anything:
        st.info(t("unggah.mapping.nothing"))
    _report(result)
    if result.report.accepted and choices is not None and choices.stores_anything:
        _store_section(result, catalogue, choices, token)


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
    if uploaded is None:
        st.info(t("unggah.upload.none"))
    else:
        _check_file(uploaded, year, locale, sheet_box)


# --------------------------------------------------------------------------- versions
def _rollback(indicators: list[str], catalogue: pd.DataFrame) -> None:
    """Choose an uploaded indicator, confirm, roll it back to its previous version."""
    st.subheader(t("unggah.versions.rollback_title"))
    names = {i: upload_tables.indicator_name(catalogue, i, lang) for i in indicators}
    st.selectbox(t("unggah.versions.indicator"), indicators, key=upload.ROLLBACK_KEY,
                 format_func=lambda i: upload_tables.rollback_label(catalogue, i, lang))
    sure = st.checkbox(t("unggah.versions.rollback_confirm"), key=upload.ROLLBACK_CONFIRM_KEY)
    st.button(t("unggah.versions.rollback"), disabled=not sure, key=upload.ROLLBACK_BUTTON_KEY,
              on_click=_on_rollback, args=(names,))


def _versions_tab() -> None:
    ss = st.session_state
    if ss.get(upload.ROLLBACK_DONE_KEY):
        st.success(escape_markdown(ss[upload.ROLLBACK_DONE_KEY]))
    if ss.get(upload.ROLLBACK_FAILED_KEY):
        st.warning(escape_markdown(ss.pop(upload.ROLLBACK_FAILED_KEY)))
    versions = upload_data.versions()
    if versions.empty:
        st.info(t("unggah.versions.none"))
        return
    st.dataframe(upload_tables.versions_table(versions, lang), hide_index=True, width="stretch")
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
    frames = upload_tables.template_frames(kecamatan)
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
