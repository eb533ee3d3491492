"""Reading the store: active values as tidy or wide frames, the catalogue, versions, coverage.

Every function reads the active values through a single SQL statement joined on the
``active`` table, so a concurrent commit is seen entirely or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, select

from . import cache, schema
from . import definitions as cat
from .engine import StoreError, get_engine, read_connection, store_id

TIDY_COLUMNS = ["region_code", "indicator", "year", "value", "illustrative", "version_id"]


def _as_list(x) -> list | None:
    if x is None:
        return None
    if isinstance(x, str | int):
        return [x]
    return list(x)


def catalogue(url: str | None = None) -> pd.DataFrame:
    """The indicator catalogue, indexed by indicator id.

    Columns: ``name_id``, ``name_en``, ``unit``, ``kind``, ``direction``, ``theme``,
    ``levels`` (tuple), ``illustrative_levels`` (tuple), ``illustrative`` (bool),
    ``valid_min``, ``valid_max``, ``decimals``, ``sources`` (tuple), ``aliases`` (tuple),
    ``notes``, ``origin`` (``catalogue`` / ``upload``).
    """
    with read_connection(get_engine(url)) as conn:
        return cat.read(conn)


def indicator(indicator_id: str, url: str | None = None) -> cat.Indicator:
    """One catalogue entry as an :class:`~store.definitions.Indicator`.

    Raises
    ------
    KeyError
        When the id is not in the catalogue.
    """
    frame = catalogue(url)
    if indicator_id not in frame.index:
        raise KeyError(indicator_id)
    return cat.to_indicator(frame.loc[indicator_id])


def resolve_alias(name: str, url: str | None = None) -> str | None:
    """The indicator id that a column name stands for, or None (exact alias match only).

    The name is compared after :func:`store.definitions.normalise_alias`; no fuzzy matching.
    """
    with read_connection(get_engine(url)) as conn:
        return conn.execute(
            select(schema.aliases.c.indicator).where(
                schema.aliases.c.alias == cat.normalise_alias(name)
            )
        ).scalar()


def _pointers(conn, level: str, indicators) -> list[tuple[str, int]]:
    """The active ``(indicator, version_id)`` of a level: one statement, one snapshot."""
    a = schema.active
    stmt = select(a.c.indicator, a.c.version_id).where(a.c.level == level)
    if indicators is not None:
        stmt = stmt.where(a.c.indicator.in_(list(indicators)))
    return [tuple(r) for r in _fetch(conn, stmt.order_by(a.c.indicator))]


def _load_series(conn, version_id: int, indicator: str, level: str) -> cache.SeriesData:
    v = schema.values
    rows = _fetch(
        conn,
        select(v.c.year, v.c.region_code, v.c.value, v.c.illustrative)
        .where(v.c.version_id == version_id, v.c.indicator == indicator, v.c.level == level)
        .order_by(v.c.year, v.c.region_code),
    )
    if rows:
        years, codes, values, flags = zip(*rows, strict=True)
    else:
        years = codes = values = flags = ()
    return cache.SeriesData(
        codes=np.array(codes, dtype=object),
        years=np.array(years, dtype=np.int64),
        values=np.array(values, dtype=np.float64),
        flags=np.array(flags, dtype=bool),
        ids=cache.region_ids(codes),
    )


def _read(level: str, indicators, years, regions, url) -> list[tuple[str, int, cache.SeriesData]]:
    """Active series of a level: ``[(indicator, version_id, data filtered)]``.

    The pointers are read in one statement; the values of each pointed-to version come from
    the cache or from the database (committed versions never change, so both agree).
    """
    engine = get_engine(url)
    sid = store_id(engine)
    inds = _as_list(indicators)
    out = []
    with read_connection(engine) as conn:
        for ind, vid in _pointers(conn, level, inds):
            key = (sid, vid, ind, level)
            data = cache.get(key)
            if data is None:
                data = _load_series(conn, vid, ind, level)
                cache.put(key, data)
            out.append((ind, vid, data))
    yrs = _as_list(years)
    regs = None if regions is None else np.array(sorted(set(regions)), dtype=object)
    result = []
    for ind, vid, data in out:
        mask = None
        if yrs is not None:
            mask = np.isin(data.years, np.array([int(y) for y in yrs], dtype=np.int64))
        if regs is not None:
            m2 = pd.Index(data.codes).isin(regs)
            mask = m2 if mask is None else mask & m2
        if mask is not None and not mask.all():
            data = cache.SeriesData(
                data.codes[mask],
                data.years[mask],
                data.values[mask],
                data.flags[mask],
                data.ids[mask],
            )
        result.append((ind, vid, data))
    return result


def tidy(
    indicators: str | Iterable[str] | None = None,
    *,
    level: str = "kecamatan",
    years: int | Iterable[int] | None = None,
    regions: Iterable[str] | None = None,
    url: str | None = None,
) -> pd.DataFrame:
    """Active values in long form.

    Parameters
    ----------
    indicators : str or list of str, optional
        Catalogue ids (default: all).
    level : {"kecamatan", "kabupaten", "provinsi", "desa"}
    years : int or list of int, optional
    regions : list of str, optional
        Kemendagri codes to keep.

    Returns
    -------
    pandas.DataFrame
        Columns ``region_code``, ``indicator``, ``year`` (int), ``value`` (float),
        ``illustrative`` (bool: the value is generated, not a statistic), ``version_id``;
        sorted by indicator, year, region_code.

    Examples
    --------
    >>> import store
    >>> store.tidy("penduduk", level="kabupaten", years=2024).head()  # doctest: +SKIP
    """
    parts = _read(level, indicators, years, regions, url)
    n = [len(d) for _, _, d in parts]
    if not parts:
        return _frame([], TIDY_COLUMNS, _TIDY_DTYPES)
    frame = pd.DataFrame(
        {
            "region_code": pd.array(np.concatenate([d.codes for _, _, d in parts]), dtype="str"),
            "indicator": pd.array(np.repeat([i for i, _, _ in parts], n), dtype="str"),
            "year": np.concatenate([d.years for _, _, d in parts]),
            "value": np.concatenate([d.values for _, _, d in parts]),
            "illustrative": np.concatenate([d.flags for _, _, d in parts]),
            "version_id": np.repeat(np.array([v for _, v, _ in parts], dtype=np.int64), n),
        }
    )
    return frame


_TIDY_DTYPES = {
    "region_code": object,
    "indicator": object,
    "year": np.int64,
    "value": np.float64,
    "illustrative": bool,
    "version_id": np.int64,
}


def _frame(rows, columns, dtypes) -> pd.DataFrame:
    """Rows fetched from the database as a DataFrame, built column by column (fast)."""
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    data = {}
    for name, values in zip(columns, cols, strict=True):
        kind = dtypes.get(name, object)
        data[name] = (
            np.array(values, dtype=kind) if kind is not object else np.array(values, dtype=object)
        )
    frame = pd.DataFrame(data, columns=columns, copy=False)
    for name in columns:
        if dtypes.get(name, object) is object:
            frame[name] = frame[name].astype("str")
    return frame


def series(
    indicator_id: str,
    year: int,
    *,
    level: str = "kecamatan",
    url: str | None = None,
) -> pd.Series:
    """One indicator for one year as a Series indexed by region code (the map's read).

    ``series.attrs["illustrative"]`` is True when any value is generated.
    """
    parts = _read(level, [indicator_id], [int(year)], None, url)
    if parts:
        data = parts[0][2]
    else:
        data = cache.SeriesData(
            np.empty(0, dtype=object),
            np.empty(0, np.int64),
            np.empty(0),
            np.empty(0, bool),
            np.empty(0, np.int64),
        )
    out = pd.Series(
        data.values,
        index=pd.Index(data.codes, name="region_code", dtype="str"),
        name=indicator_id,
    )
    out.attrs["illustrative"] = bool(data.flags.any())
    return out


def wide(
    indicators: str | Iterable[str] | None = None,
    *,
    level: str = "kecamatan",
    years: int | Iterable[int] | None = None,
    regions: Iterable[str] | None = None,
    url: str | None = None,
) -> pd.DataFrame:
    """Active values as a table: one row per region.

    With a single ``years`` value (an int) the columns are the indicator ids; otherwise a
    column MultiIndex ``(indicator, year)``. ``frame.attrs["illustrative"]`` maps each
    indicator to True when any of its values shown is generated.

    Examples
    --------
    >>> import store
    >>> store.wide(["ipm", "persentase_penduduk_miskin"], level="kabupaten",
    ...            years=2020)  # doctest: +SKIP
    """
    parts = [p for p in _read(level, indicators, years, regions, url) if len(p[2])]
    flags = {ind: bool(d.flags.any()) for ind, _, d in parts}
    ids = np.unique(np.concatenate([d.ids for _, _, d in parts])) if parts else np.empty(0, int)
    names = cache.region_names(ids)
    order = np.argsort(names, kind="stable")
    ids, r_uniq = ids[order], names[order]
    pos = np.zeros(int(ids.max()) + 1 if len(ids) else 0, dtype=np.int64)
    pos[ids] = np.arange(len(ids))
    index = pd.Index(r_uniq, name="region_code", dtype="str")
    single = isinstance(years, int)
    blocks, columns = [], []
    for ind, _, d in parts:
        y_uniq, y_pos = np.unique(d.years, return_inverse=True)
        block = np.full((len(r_uniq), len(y_uniq)), np.nan)
        block[pos[d.ids], y_pos] = d.values
        blocks.append(block)
        columns += [(ind, int(y)) for y in y_uniq]
    grid = np.hstack(blocks) if blocks else np.empty((len(r_uniq), 0))
    if single:
        cols = pd.Index([c[0] for c in columns], dtype="str")
    else:
        cols = pd.MultiIndex.from_tuples(columns, names=["indicator", "year"])
        if not columns:
            cols = pd.MultiIndex.from_arrays([[], []], names=["indicator", "year"])
    out = pd.DataFrame(grid, index=index, columns=cols)
    out.attrs["illustrative"] = flags
    return out


def _fetch(conn, stmt) -> list[tuple]:
    """Plain tuples straight from the DBAPI cursor (no per-row Row objects: much faster)."""
    result = conn.execute(stmt)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def is_illustrative(
    indicator_id: str,
    *,
    level: str = "kecamatan",
    year: int | None = None,
    url: str | None = None,
) -> bool:
    """Whether any active value of a series (optionally one year) is generated."""
    v, a = schema.values, schema.active
    stmt = (
        select(func.count())
        .select_from(a)
        .join(
            v,
            and_(
                v.c.version_id == a.c.version_id,
                v.c.indicator == a.c.indicator,
                v.c.level == a.c.level,
            ),
        )
        .where(a.c.indicator == indicator_id, a.c.level == level, v.c.illustrative.is_(True))
    )
    if year is not None:
        stmt = stmt.where(v.c.year == int(year))
    with read_connection(get_engine(url)) as conn:
        return bool(conn.execute(stmt).scalar())


_AVAILABLE_COLUMNS = [
    "indicator",
    "level",
    "version_id",
    "dataset",
    "version",
    "year_min",
    "year_max",
    "years",
    "real_years",
    "n_regions",
    "n_values",
    "illustrative",
    "all_illustrative",
]


def available(level: str | None = None, url: str | None = None) -> pd.DataFrame:
    """The active series: what can be shown, at which level, for which years.

    Returns
    -------
    pandas.DataFrame
        One row per ``(indicator, level)``: ``version_id``, ``dataset``, ``version``
        (number within the dataset), ``year_min``, ``year_max``, ``years`` (sorted tuple),
        ``real_years`` (the years with at least one real, not generated, value: sorted
        tuple), ``n_regions``, ``n_values``, ``illustrative`` (any generated value),
        ``all_illustrative``.
    """
    with read_connection(get_engine(url)) as conn:
        rows = conn.execute(_available_statement(level)).all()
    cols = ["indicator", "level", "version_id", "dataset", "version", "year", "n", "n_regions"]
    per_year = pd.DataFrame(rows, columns=[*cols, "n_ill"])
    if per_year.empty:
        return pd.DataFrame(columns=_AVAILABLE_COLUMNS)
    per_year["real_year"] = per_year["year"].where(per_year["n_ill"] < per_year["n"])
    g = per_year.groupby(["indicator", "level", "version_id", "dataset", "version"])
    out = g.agg(
        year_min=("year", "min"),
        year_max=("year", "max"),
        years=("year", lambda s: tuple(sorted(int(x) for x in s))),
        real_years=("real_year", lambda s: tuple(sorted(int(x) for x in s.dropna()))),
        n_regions=("n_regions", "max"),
        n_values=("n", "sum"),
        n_ill=("n_ill", "sum"),
    )
    out = out.reset_index()
    out["illustrative"] = out["n_ill"] > 0
    out["all_illustrative"] = out["n_ill"] == out["n_values"]
    return out.drop(columns="n_ill").sort_values(["level", "indicator"], ignore_index=True)


def _available_statement(level: str | None):
    """Counts per active series and year: values, regions, illustrative values."""
    v, a, ver, ds = schema.values, schema.active, schema.versions, schema.datasets
    stmt = (
        select(
            a.c.indicator,
            a.c.level,
            a.c.version_id,
            ds.c.name,
            ver.c.number,
            v.c.year,
            func.count(),
            func.count(func.distinct(v.c.region_code)),
            func.sum(func.cast(v.c.illustrative, schema.Integer)),
        )
        .select_from(a)
        .join(
            v,
            and_(
                v.c.version_id == a.c.version_id,
                v.c.indicator == a.c.indicator,
                v.c.level == a.c.level,
            ),
        )
        .join(ver, ver.c.id == a.c.version_id)
        .join(ds, ds.c.id == ver.c.dataset_id)
        .group_by(a.c.indicator, a.c.level, a.c.version_id, ds.c.name, ver.c.number, v.c.year)
    )
    if level is not None:
        stmt = stmt.where(a.c.level == level)
    return stmt


def coverage(
    regions: Iterable[str],
    *,
    level: str = "kecamatan",
    indicators: str | Iterable[str] | None = None,
    years: int | Iterable[int] | None = None,
    url: str | None = None,
) -> pd.DataFrame:
    """Which expected regions lack a value, per indicator and year.

    Parameters
    ----------
    regions : list of str
        The codes that should have a value (e.g. ``regions.kecamatan()["kode"]``).
    level, indicators, years
        As in :func:`tidy`; years default to every year the indicator has at that level.

    Returns
    -------
    pandas.DataFrame
        One row per ``(indicator, year)``: ``n_expected``, ``n_present``, ``n_missing``,
        ``share_present`` (0-1), ``missing`` (sorted tuple of codes), ``unexpected`` (codes
        stored that are not in ``regions``).
    """
    expected = set(regions)
    long = tidy(indicators, level=level, years=years, url=url)
    inds = _as_list(indicators)
    if inds is None:
        inds = sorted(long["indicator"].unique())
    want_years = _as_list(years)
    out = []
    for ind in inds:
        sub = long[long["indicator"] == ind]
        ys = want_years if want_years is not None else sorted(sub["year"].unique())
        for y in ys:
            present = set(sub.loc[sub["year"] == y, "region_code"])
            missing = sorted(expected - present)
            out.append(
                {
                    "indicator": ind,
                    "year": int(y),
                    "n_expected": len(expected),
                    "n_present": len(present & expected),
                    "n_missing": len(missing),
                    "share_present": len(present & expected) / len(expected) if expected else 1.0,
                    "missing": tuple(missing),
                    "unexpected": tuple(sorted(present - expected)),
                }
            )
    return pd.DataFrame(
        out,
        columns=[
            "indicator",
            "year",
            "n_expected",
            "n_present",
            "n_missing",
            "share_present",
            "missing",
            "unexpected",
        ],
    )


def versions(dataset: str | None = None, url: str | None = None) -> pd.DataFrame:
    """Every committed version, newest first, with how many series it is active for."""
    ver, ds, a = schema.versions, schema.datasets, schema.active
    n_active = select(func.count()).where(a.c.version_id == ver.c.id).scalar_subquery()
    stmt = (
        select(
            ver.c.id.label("version_id"),
            ds.c.name.label("dataset"),
            ver.c.number,
            ver.c.created_at,
            ver.c.created_by,
            ver.c.checksum,
            ver.c.source,
            ver.c.note,
            ver.c.mode,
            ver.c.n_rows,
            ver.c.n_regions,
            ver.c.n_indicators,
            ver.c.n_illustrative,
            ver.c.years,
            n_active.label("n_active_series"),
        )
        .join(ds, ds.c.id == ver.c.dataset_id)
        .order_by(ver.c.id.desc())
    )
    if dataset is not None:
        stmt = stmt.where(ds.c.name == dataset)
    with read_connection(get_engine(url)) as conn:
        rows = conn.execute(stmt).mappings().all()
    return pd.DataFrame([dict(r) for r in rows])


def version_series(version_id: int, url: str | None = None) -> pd.DataFrame:
    """The ``(indicator, level)`` series a version holds, with whether it is active for each."""
    v, a = schema.values, schema.active
    with read_connection(get_engine(url)) as conn:
        rows = conn.execute(
            select(v.c.indicator, v.c.level, func.count(), func.min(v.c.year), func.max(v.c.year))
            .where(v.c.version_id == version_id)
            .group_by(v.c.indicator, v.c.level)
        ).all()
        act = set(
            conn.execute(select(a.c.indicator, a.c.level).where(a.c.version_id == version_id)).all()
        )
    out = pd.DataFrame(rows, columns=["indicator", "level", "n_values", "year_min", "year_max"])
    out["active"] = [(i, lv) in act for i, lv in zip(out["indicator"], out["level"], strict=True)]
    return out


def version_values(version_id: int, url: str | None = None) -> pd.DataFrame:
    """All values of one version (active or not), in long form with ``level``."""
    v = schema.values
    with read_connection(get_engine(url)) as conn:
        rows = conn.execute(
            select(
                v.c.region_code,
                v.c.level,
                v.c.indicator,
                v.c.year,
                v.c.value,
                v.c.illustrative,
                v.c.note,
            ).where(v.c.version_id == version_id)
        ).all()
    return pd.DataFrame(
        rows, columns=["region_code", "level", "indicator", "year", "value", "illustrative", "note"]
    )


def audit_log(limit: int = 200, url: str | None = None) -> pd.DataFrame:
    """The latest audit entries, newest first (``detail`` decoded from JSON)."""
    au = schema.audit
    with read_connection(get_engine(url)) as conn:
        rows = conn.execute(select(au).order_by(au.c.id.desc()).limit(limit)).mappings().all()
    frame = pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in au.c])
    frame["detail"] = [json.loads(d) if d else {} for d in frame["detail"]]
    return frame


def diff(frame: pd.DataFrame, url: str | None = None) -> pd.DataFrame:
    """Compare a values frame (as given to :func:`store.commit`) with the active values.

    Returns
    -------
    pandas.DataFrame
        The frame's rows with ``old`` (active value or NaN), ``change`` (new - old) and
        ``status`` in ``added`` / ``changed`` / ``unchanged``; sorted by ``abs(change)``
        descending so the largest changes come first.
    """
    need = ["region_code", "level", "indicator", "year", "value"]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise StoreError("diff_missing_columns", columns=", ".join(missing))
    new = frame.loc[:, need].copy()
    new["year"] = pd.to_numeric(new["year"]).astype("int64")
    parts = []
    for lv, sub in new.groupby("level"):
        cur = tidy(
            sorted(sub["indicator"].unique()),
            level=str(lv),
            years=sorted(sub["year"].unique()),
            url=url,
        )
        cur = cur.rename(columns={"value": "old"})[["region_code", "indicator", "year", "old"]]
        parts.append(sub.merge(cur, on=["region_code", "indicator", "year"], how="left"))
    out = pd.concat(parts, ignore_index=True) if parts else new.assign(old=float("nan"))
    out["change"] = out["value"] - out["old"]
    out["status"] = "changed"
    out.loc[out["old"].isna(), "status"] = "added"
    out.loc[
        out["old"].notna() & (out["change"].abs() <= 1e-12 * out["old"].abs().clip(lower=1)),
        "status",
    ] = "unchanged"
    order = out["change"].abs().fillna(-1).sort_values(ascending=False, kind="stable").index
    return out.loc[order].reset_index(drop=True)
