"""Unggah Data: signed-in analysts upload an indicator file, check it, commit it, roll back.

Anonymous visitors see only the sign-in form: nothing below it runs for them. Every text that
comes from a file (values, headers, sheet and file names, messages quoting them) is shown
through ``st.dataframe``/``st.text`` (never Markdown or HTML).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ingest
from ingest import IndicatorSpec, Options
from ingest.commit import DEFAULT_DATASET
from ingest.validate import normalise_header
from ui import auth, data, exports, state
from ui.i18n import current_lang, fmt_number, t

PREFIX = "unggah_"
FILE_KEY = PREFIX + "file"
YEAR_KEY = PREFIX + "year"
LOCALE_KEY = PREFIX + "locale"
SHEET_KEY = PREFIX + "sheet"
MAPPING_KEY = PREFIX + "mapping"
CONFIRM_KEY = PREFIX + "confirm"
DONE_KEY = PREFIX + "done"
ROLLBACK_KEY = PREFIX + "rollback_indicator"
ROLLBACK_CONFIRM_KEY = PREFIX + "rollback_confirm"
ROLLBACK_DONE_KEY = PREFIX + "rollback_done"

IGNORE = "__abaikan__"
NEW = "__baru__"
KINDS = ("other", "count", "percent", "money", "index", "density", "area", "years", "ratio")
DIRECTIONS = ("higher_better", "lower_better", "neutral")

lang = current_lang()
st.title(t("unggah.page.title"))

analyst = auth.sign_in_form(t)
if analyst is None:
    st.caption(t("unggah.page.readers"))
    st.stop()

top = st.columns([4, 1])
top[0].text(t("unggah.auth.signed_in", name=analyst.name))
if top[1].button(t("unggah.auth.sign_out"), key=PREFIX + "sign_out"):
    auth.sign_out()
    st.rerun()


@st.cache_resource(show_spinner=False)
def _gazetteer():
    return ingest.Gazetteer.from_regions()


def _catalogue() -> pd.DataFrame:
    import store

    return store.catalogue()


def _name(cat: pd.DataFrame, ind: str) -> str:
    if ind in cat.index:
        return str(cat.at[ind, "name_en" if lang == "en" else "name_id"])
    return ind


def _issues_frame(issues) -> pd.DataFrame:
    return pd.DataFrame(
        [{t("unggah.report.code"): i.code, t("unggah.report.row"): i.row, t("unggah.report.line"): i.line,
          t("unggah.report.column"): i.column, t("unggah.report.value"): i.value,
          t("unggah.report.message"): i.message(lang)} for i in issues]
    )


tab_upload, tab_versions, tab_templates = st.tabs(
    [t("unggah.tab.upload"), t("unggah.tab.versions"), t("unggah.tab.templates")]
)

# --------------------------------------------------------------------------- upload
with tab_upload:
    st.caption(t("unggah.page.intro"))
    uploaded = st.file_uploader(t("unggah.upload.file"), type=["csv", "tsv", "txt", "xlsx"], key=FILE_KEY)
    cols = st.columns(3)
    year = cols[0].number_input(t("unggah.upload.year"), min_value=1900, max_value=2100, value=None, step=1,
                                key=YEAR_KEY, help=t("unggah.upload.year_help"))
    locale = cols[1].selectbox(t("unggah.upload.locale"), ["auto", "id", "en"], key=LOCALE_KEY,
                               format_func=lambda x, _lang=lang: t(f"unggah.locale.{x}", lang=_lang))
    sheet_box = cols[2].empty()
    done = st.session_state.get(DONE_KEY)
    if done:
        st.success(done["message"])
        st.page_link("pages/peta.py", label=t("unggah.commit.see_map"), icon=":material/map:")
    if uploaded is None:
        st.info(t("unggah.upload.none"))
    else:
        raw = uploaded.getvalue()
        # A new file starts afresh: no sheet, mapping or confirmation of the previous one.
        file_id = getattr(uploaded, "file_id", None) or f"{uploaded.name}:{len(raw)}"
        if st.session_state.get(PREFIX + "file_id") != file_id:
            for key in (SHEET_KEY, MAPPING_KEY, CONFIRM_KEY, DONE_KEY):
                st.session_state.pop(key, None)
            st.session_state[PREFIX + "file_id"] = file_id
        st.text(t("unggah.upload.file_info", name=uploaded.name, size=fmt_number(len(raw) / 1e6, 2)))
        try:
            gaz = _gazetteer()
            catalogue = _catalogue()
        except Exception:
            st.error(t("common.error.no_data"))
            st.stop()
        mapping_state = st.session_state.get(MAPPING_KEY) or {}
        sheet = st.session_state.get(SHEET_KEY)
        new_specs = {m["id"]: IndicatorSpec(m["id"], kind=m["kind"], known=True, name=m["name"])
                     for m in mapping_state.get("new", {}).values()}
        options = Options(year=int(year) if year else None, sheet=sheet, locale=locale,
                          mapping=mapping_state.get("mapping"), new_indicators=new_specs)
        result = ingest.validate_bytes(raw, filename=uploaded.name, options=options, catalogue=catalogue,
                                       gazetteer=gaz)
        sheets = result.meta.get("sheets") or []
        if len(sheets) > 1:
            sheet_box.selectbox(t("unggah.upload.sheet"), sheets, key=SHEET_KEY)
        report = result.report

        # ---- column mapping
        value_cols = [c for c in result.columns if c.role == "values"]
        if value_cols:
            st.subheader(t("unggah.mapping.title"))
            st.caption(t("unggah.mapping.intro"))
            choices = [IGNORE, NEW, *catalogue.index.tolist()]
            rows = []
            saved = (mapping_state.get("mapping") or {})
            saved_new = mapping_state.get("new", {})
            for c in value_cols:
                current = saved.get(c.header)
                if c.header in saved_new:
                    choice = NEW
                elif current in catalogue.index:
                    choice = current
                elif current in (None, "") and c.header in saved:
                    choice = IGNORE
                elif c.spec is not None and c.spec.known:
                    choice = c.spec.id
                else:
                    choice = IGNORE  # a new indicator only when the analyst says so
                new = saved_new.get(c.header, {})
                rows.append({"column": c.header, "indicator": choice,
                             "new_id": new.get("id", c.spec.id if c.spec else normalise_header(c.header)),
                             "name": new.get("name", c.header), "unit": new.get("unit", ""),
                             "kind": new.get("kind", "other"), "direction": new.get("direction", "neutral")})
            edited = st.data_editor(
                pd.DataFrame(rows), key=PREFIX + "mapping_editor", hide_index=True, width="stretch",
                disabled=["column"],
                column_config={
                    "column": st.column_config.TextColumn(t("unggah.mapping.column")),
                    "indicator": st.column_config.SelectboxColumn(t("unggah.mapping.indicator"), options=choices,
                                                                  required=True),
                    "new_id": st.column_config.TextColumn(t("unggah.mapping.new_id")),
                    "name": st.column_config.TextColumn(t("unggah.mapping.name")),
                    "unit": st.column_config.TextColumn(t("unggah.mapping.unit")),
                    "kind": st.column_config.SelectboxColumn(t("unggah.mapping.kind"), options=list(KINDS)),
                    "direction": st.column_config.SelectboxColumn(t("unggah.mapping.direction"),
                                                                  options=list(DIRECTIONS)),
                },
            )
            st.caption(t("unggah.mapping.legend", ignore=IGNORE, new=NEW))
            mapping, new_map = {}, {}
            for rec in edited.to_dict("records"):
                if rec["indicator"] == IGNORE:
                    mapping[rec["column"]] = None
                elif rec["indicator"] == NEW:
                    new_id = normalise_header(rec.get("new_id") or rec["column"])[:64] or "indikator_baru"
                    if not new_id[0].isalpha():
                        new_id = "i_" + new_id
                    mapping[rec["column"]] = new_id
                    new_map[rec["column"]] = {"id": new_id, "name": str(rec.get("name") or rec["column"]),
                                              "unit": str(rec.get("unit") or ""), "kind": rec.get("kind") or "other",
                                              "direction": rec.get("direction") or "neutral"}
                else:
                    mapping[rec["column"]] = rec["indicator"]
            new_state = {"mapping": mapping, "new": new_map}
            if new_state != mapping_state:
                st.session_state[MAPPING_KEY] = new_state
                st.rerun()

        # ---- report
        st.subheader(t("unggah.report.title"))
        m = st.columns(4)
        m[0].metric(t("unggah.report.rows"), fmt_number(report.rows, 0))
        m[1].metric(t("unggah.report.matched"), fmt_number(report.matched, 0))
        m[2].metric(t("unggah.report.errors"), fmt_number(report.error_count(), 0))
        m[3].metric(t("unggah.report.warnings"), fmt_number(report.warning_count(), 0))
        shape = result.meta.get("shape")
        st.text(t("unggah.report.file_kind", kind=result.meta.get("kind", "?"),
                  encoding=result.meta.get("encoding") or "–", shape=shape or "–",
                  locale=result.meta.get("locale") or "–"))
        if report.accepted:
            st.success(t("unggah.report.accepted"))
        else:
            st.error(t("unggah.report.rejected"))
        if report.errors:
            st.markdown("**" + t("unggah.report.errors") + "**")
            st.dataframe(_issues_frame(report.errors), hide_index=True, width="stretch")
        if report.warnings:
            with st.expander(t("unggah.report.warnings") + f" ({report.warning_count()})",
                             expanded=not report.errors):
                st.dataframe(_issues_frame(report.warnings), hide_index=True, width="stretch")

        # ---- preview and commit
        if report.accepted:
            frame = result.store_frame()
            unknown = result.values.loc[~result.values["known"], "source_column"].unique().tolist()
            if unknown:
                st.warning(t("unggah.mapping.unmapped", count=len(unknown)))
            if frame.empty:
                st.info(t("unggah.commit.nothing"))
            else:
                st.subheader(t("unggah.preview.title"))
                try:
                    preview = ingest.preview(result)
                except Exception:
                    preview = None
                if preview is not None:
                    p = st.columns(3)
                    p[0].metric(t("unggah.preview.added"), fmt_number(preview.counts["added"], 0))
                    p[1].metric(t("unggah.preview.changed"), fmt_number(preview.counts["changed"], 0))
                    p[2].metric(t("unggah.preview.unchanged"), fmt_number(preview.counts["unchanged"], 0))
                    largest = preview.largest(10)
                    if not largest.empty:
                        st.caption(t("unggah.preview.largest"))
                        show = pd.DataFrame({
                            t("unggah.preview.region"): [gaz.label(c) for c in largest["region_code"]],
                            t("unggah.preview.indicator"): [_name(catalogue, i) for i in largest["indicator"]],
                            t("unggah.preview.year"): largest["year"].astype(int).astype(str),
                            t("unggah.preview.old"): largest["old"], t("unggah.preview.new"): largest["value"],
                            t("unggah.preview.change"): largest["change"],
                        })
                        st.dataframe(show, hide_index=True, width="stretch")
                confirm = st.checkbox(t("unggah.commit.confirm"), key=CONFIRM_KEY)
                if st.button(t("unggah.commit.button"), type="primary", disabled=not confirm,
                             key=PREFIX + "commit"):
                    import store

                    try:
                        existing = set(_catalogue().index)
                        for spec in (mapping_state.get("new") or {}).values():
                            if spec["id"] not in existing:
                                store.register_indicator(store.Indicator(
                                    id=spec["id"], name_id=spec["name"], name_en=spec["name"],
                                    unit=spec["unit"] or "-", kind=spec["kind"], direction=spec["direction"],
                                    theme="lainnya", levels=("kecamatan",)), actor=analyst.username)
                        res = ingest.commit(result, actor=analyst.username)
                    except store.StoreBusyError:
                        st.warning(t("unggah.commit.busy"))
                    except store.StoreError as exc:
                        st.error(t("unggah.commit.refused"))
                        st.text(exc.message_en if lang == "en" else exc.message_id)
                        if exc.details:
                            st.dataframe(pd.DataFrame(exc.details), hide_index=True)
                    else:
                        data.clear()
                        first = frame.iloc[0]
                        st.session_state[state.INDICATOR] = str(first["indicator"])
                        st.session_state[state.YEAR] = int(first["year"])
                        st.session_state[state.LEVEL] = "kecamatan"
                        st.session_state[DONE_KEY] = {"message": res.message_en if lang == "en" else res.message_id}
                        st.session_state.pop(ROLLBACK_DONE_KEY, None)
                        st.session_state.pop(CONFIRM_KEY, None)
                        st.rerun()

# --------------------------------------------------------------------------- versions
with tab_versions:
    import store

    if st.session_state.get(ROLLBACK_DONE_KEY):
        st.success(st.session_state[ROLLBACK_DONE_KEY])
    try:
        versions = store.versions()
    except Exception:
        versions = pd.DataFrame()
    if versions.empty:
        st.info(t("unggah.versions.none"))
    else:
        show = versions[["version_id", "dataset", "number", "created_at", "created_by", "source", "n_rows",
                         "years", "n_active_series"]].rename(columns={
                             "version_id": "id", "dataset": t("unggah.versions.dataset"),
                             "number": t("unggah.versions.number"), "created_at": t("unggah.versions.when"),
                             "created_by": t("unggah.versions.who"), "source": t("unggah.versions.source"),
                             "n_rows": t("unggah.versions.rows"), "years": t("unggah.versions.years"),
                             "n_active_series": t("unggah.versions.active")})
        st.dataframe(show, hide_index=True, width="stretch")
        uploads = versions[versions["dataset"] == DEFAULT_DATASET]
        cat = _catalogue()
        upload_inds = sorted({i for vid in uploads["version_id"] for i in
                              store.version_series(int(vid))["indicator"]}) if not uploads.empty else []
        if upload_inds:
            st.subheader(t("unggah.versions.rollback_title"))
            ind = st.selectbox(t("unggah.versions.indicator"), upload_inds, key=ROLLBACK_KEY,
                               format_func=lambda i: f"{_name(cat, i)} ({i})")
            sure = st.checkbox(t("unggah.versions.rollback_confirm"), key=ROLLBACK_CONFIRM_KEY)
            if st.button(t("unggah.versions.rollback"), disabled=not sure, key=PREFIX + "rollback"):
                try:
                    done_rb = store.rollback(ind, actor=analyst.username, level="kecamatan")
                except store.StoreBusyError:
                    st.warning(t("unggah.commit.busy"))
                except store.StoreError as exc:
                    st.text(exc.message_en if lang == "en" else exc.message_id)
                else:
                    data.clear()
                    target = next(iter(done_rb.values()))
                    st.session_state[ROLLBACK_DONE_KEY] = t("unggah.versions.rolled_back", indicator=ind,
                                                            version=target)
                    st.session_state.pop(DONE_KEY, None)
                    st.session_state.pop(ROLLBACK_CONFIRM_KEY, None)
                    st.rerun()

# --------------------------------------------------------------------------- templates
with tab_templates:
    st.caption(t("unggah.templates.intro"))
    try:
        kec = data.regions_table("kecamatan")
    except Exception:
        kec = None
    if kec is not None:
        wide = pd.DataFrame({"kode": kec["kode"].astype(str), "kode_bps": kec["kode_bps"].astype(str),
                             "kecamatan": kec["nama"].astype(str), "kabupaten_kota": kec["kab_nama"].astype(str),
                             "ipm": pd.Series([None] * len(kec), dtype="float64")})
        long = pd.DataFrame({"kode": kec["kode"].astype(str).head(3).tolist() * 2,
                             "indikator": ["ipm"] * 3 + ["persentase_penduduk_miskin"] * 3,
                             "tahun": [2024] * 6, "nilai": pd.Series([None] * 6, dtype="float64")})
        c = st.columns(4)
        c[0].download_button(t("unggah.templates.wide_csv"), exports.to_csv(wide), "templat_lebar.csv",
                             exports.CSV_MIME, key=PREFIX + "tpl_wide_csv")
        c[1].download_button(t("unggah.templates.wide_xlsx"), exports.to_xlsx(wide), "templat_lebar.xlsx",
                             exports.XLSX_MIME, key=PREFIX + "tpl_wide_xlsx")
        c[2].download_button(t("unggah.templates.long_csv"), exports.to_csv(long), "templat_panjang.csv",
                             exports.CSV_MIME, key=PREFIX + "tpl_long_csv")
        c[3].download_button(t("unggah.templates.long_xlsx"), exports.to_xlsx(long), "templat_panjang.xlsx",
                             exports.XLSX_MIME, key=PREFIX + "tpl_long_xlsx")
