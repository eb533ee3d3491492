"""Indeks Desa Membangun (IDM) 2024 per desa (source 10), and its kecamatan and kabupaten means.

Source 10 re-encodes Kemendesa PDTT's IDM 2024 as one JSON file per province: per kecamatan
``{k: 6-digit Kemendagri code, kb, nm, n, m/s/e/l: mean IDM/IKS/IKE/IKL, d: counts by status,
ds: [[desa suffix, name, IDM, IKS, IKE, IKL, status 1–5, flag]]}``. The desa code is the
kecamatan code and the suffix (``350106`` + ``2004`` → ``35.01.06.2004``), a Kemendagri code.

Kelurahan are outside IDM by design: a kecamatan made only of kelurahan has no IDM value,
which is *not applicable* (never 0, never "missing data"); the store simply holds no value and
the catalogue says that the indicator applies to desa only (``applies_to = "desa"``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

#: IDM status codes of the source, 1 (best) to 5.
STATUS = {1: "mandiri", 2: "maju", 3: "berkembang", 4: "tertinggal", 5: "sangat_tertinggal"}

#: The four index columns of a desa record, in source order.
INDEX_COLUMNS = ("idm", "iks", "ike", "ikl")


class IdmError(ValueError):
    """Source 10 is not what this module expects; the message names the record."""


@dataclass(frozen=True)
class IdmSource:
    """The desa values of source 10 and the source's own kecamatan summaries."""

    desa: pd.DataFrame  # kode, kec_kode, kab_kode, nama, idm, iks, ike, ikl, status
    kecamatan: pd.DataFrame  # kec_kode, nama, n, idm, iks, ike, ikl, d1..d5 (the source's)
    problems: list[str] = field(default_factory=list)


def _dotted(six: str) -> str:
    return f"{six[:2]}.{six[2:4]}.{six[4:6]}"


def read_idm(path: Path, label: str = "idm_2024") -> IdmSource:
    """Read one province file of source 10.

    Parameters
    ----------
    path : Path
        ``data/idm/prov/<province>.json``.
    label : str
        Name of the file in messages.

    Returns
    -------
    IdmSource
        ``desa`` (one row per desa, Kemendagri codes) and ``kecamatan`` (the source's own
        per-kecamatan means and status counts, for checks).

    Raises
    ------
    IdmError
        When a record is malformed (its kecamatan and position are named).
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    desa_rows, kec_rows = [], []
    for i, kec in enumerate(data.get("kec", [])):
        code = str(kec.get("k", ""))
        if len(code) != 6 or not code.isdigit():
            raise IdmError(f"{label}: kecamatan #{i + 1} has code {code!r}, not 6 digits")
        kec_kode = _dotted(code)
        counts = list(kec.get("d", []))
        if len(counts) != 5:
            raise IdmError(f"{label}: kecamatan {kec_kode} has {len(counts)} status counts")
        kec_rows.append(
            {
                "kec_kode": kec_kode,
                "nama": kec.get("nm", ""),
                "n": int(kec["n"]),
                **{c: float(kec[k]) for c, k in zip(INDEX_COLUMNS, "msel", strict=True)},
                **{f"d{j + 1}": int(v) for j, v in enumerate(counts)},
            }
        )
        for j, rec in enumerate(kec.get("ds", [])):
            if len(rec) < 7:
                raise IdmError(f"{label}: kecamatan {kec_kode}, desa #{j + 1}: {len(rec)} fields")
            suffix, name, *indices, status = rec[:7]
            if int(status) not in STATUS:
                raise IdmError(f"{label}: desa {kec_kode}.{suffix}: status {status!r}")
            desa_rows.append(
                {
                    "kode": f"{kec_kode}.{suffix}",
                    "kec_kode": kec_kode,
                    "kab_kode": kec_kode[:5],
                    "nama": str(name),
                    **{c: float(v) for c, v in zip(INDEX_COLUMNS, indices, strict=True)},
                    "status": int(status),
                }
            )
    desa = pd.DataFrame(desa_rows)
    if desa["kode"].duplicated().any():
        dup = desa.loc[desa["kode"].duplicated(), "kode"].head(5).tolist()
        raise IdmError(f"{label}: desa codes repeat: {dup}")
    return IdmSource(desa=desa, kecamatan=pd.DataFrame(kec_rows))


def match_geography(idm: pd.DataFrame, desa: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the IDM rows whose desa the geography knows; list the others.

    Parameters
    ----------
    idm : DataFrame
        :attr:`IdmSource.desa`.
    desa : DataFrame
        The geography's desa/kelurahan table (``kode``, ``nama``, ``jenis``).

    Returns
    -------
    (matched, unknown)
        ``matched``: IDM rows of known desa; ``unknown``: rows whose code the geography does
        not know (for the build report; never dropped silently).
    """
    known = idm["kode"].isin(set(desa["kode"]))
    return idm[known].reset_index(drop=True), idm[~known].reset_index(drop=True)


def aggregate(desa_idm: pd.DataFrame, by: str) -> pd.DataFrame:
    """Means of IDM, IKS, IKE, IKL over the desa of each unit, shares and counts by status.

    Parameters
    ----------
    desa_idm : DataFrame
        Desa rows with ``idm``, ``iks``, ``ike``, ``ikl``, ``status`` and the column ``by``.
    by : str
        ``"kec_kode"`` or ``"kab_kode"``.

    Returns
    -------
    DataFrame
        Index = unit code; ``idm``, ``iks``, ``ike``, ``ikl`` (unweighted means over desa, as
        Kemendesa publishes them), ``n_desa_idm``, ``n_<status>`` for the five statuses,
        ``share_tertinggal`` (tertinggal + sangat tertinggal, % of desa) and
        ``share_mandiri`` (%). Units without desa are absent (not applicable).

    Examples
    --------
    >>> d = pd.DataFrame({"k": ["a", "a", "b"], "idm": [0.8, 0.6, 0.5], "iks": [1, 1, 1],
    ...                   "ike": [1, 1, 1], "ikl": [1, 1, 1], "status": [1, 4, 5]})
    >>> out = aggregate(d, "k")
    >>> out.loc["a", ["idm", "share_tertinggal", "share_mandiri"]].tolist()
    [0.7, 50.0, 50.0]
    >>> int(out.loc["b", "n_sangat_tertinggal"])
    1
    """
    groups = desa_idm.groupby(by)
    out = groups[list(INDEX_COLUMNS)].mean()
    out["n_desa_idm"] = groups.size()
    counts = pd.crosstab(desa_idm[by], desa_idm["status"]).reindex(
        columns=list(STATUS), fill_value=0
    )
    for code, name in STATUS.items():
        out[f"n_{name}"] = counts[code].reindex(out.index).fillna(0).astype(int)
    n = out["n_desa_idm"].astype(float)
    out["share_tertinggal"] = 100 * (out["n_tertinggal"] + out["n_sangat_tertinggal"]) / n
    out["share_mandiri"] = 100 * out["n_mandiri"] / n
    return out


def check_against_source(kecamatan_means: pd.DataFrame, source: pd.DataFrame, tol: float = 1e-4):
    """The kecamatan whose mean IDM differs from the source's own mean ``m`` by more than
    ``tol`` (the source rounds to 4 decimals), as a list of messages (empty when all agree)."""
    mine = kecamatan_means["idm"]
    theirs = source.set_index("kec_kode")["idm"]
    both = pd.concat([mine.rename("mine"), theirs.rename("source")], axis=1)
    bad = both[~np.isclose(both["mine"], both["source"], atol=tol, rtol=0)]
    return [f"{code}: mean {r.mine:.4f}, source {r.source:.4f}" for code, r in bad.iterrows()]
