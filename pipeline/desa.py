"""The desa level: SP2010 population of each desa/kelurahan, matched by name within its kecamatan.

The census (source 4) lists villages under their 2010 BPS kecamatan code; the crosswalk turns
that into today's Kemendagri kecamatan. A desa of today gets the 2010 population of the one
census village with the same name key (:func:`regions.names.name_key`) in the same kecamatan,
or, for the four kecamatan created after 2010, in the same kabupaten when the name is unique
there. Anything else stays missing (never guessed): the match rate and the unmatched desa are
reported by the build.
"""

from __future__ import annotations

import pandas as pd

from regions.names import name_key


def desa_population(
    desa: pd.DataFrame, villages: pd.DataFrame, kec_of_bps: dict[str, str]
) -> tuple[pd.Series, pd.DataFrame]:
    """SP2010 population per desa code, and the desa left unmatched.

    Parameters
    ----------
    desa : DataFrame
        ``kode``, ``nama``, ``kec_kode``, ``kab_kode`` of the 8,494 desa/kelurahan.
    villages : DataFrame
        Census villages: ``kec_bps``, ``desa`` (name), ``penduduk``.
    kec_of_bps : dict
        BPS 2010 kecamatan code → Kemendagri kecamatan code (the crosswalk).

    Returns
    -------
    (population, unmatched)
        ``population``: Series indexed by desa code (matched desa only, int);
        ``unmatched``: ``kode``, ``nama``, ``kec_kode``, ``reason``.

    Examples
    --------
    >>> desa = pd.DataFrame({"kode": ["a.1", "a.2", "b.1"], "nama": ["Sumber Rejo", "Kali", "X"],
    ...                      "kec_kode": ["a", "a", "b"], "kab_kode": ["k", "k", "k"]})
    >>> vil = pd.DataFrame({"kec_bps": ["1", "1"], "desa": ["SUMBERREJO", "KALI"],
    ...                     "penduduk": [100, 50]})
    >>> pop, missing = desa_population(desa, vil, {"1": "a"})
    >>> pop.to_dict(), missing["kode"].tolist()
    ({'a.1': 100, 'a.2': 50}, ['b.1'])
    """
    vil = villages.assign(
        kec_kode=villages["kec_bps"].map(kec_of_bps), key=villages["desa"].map(name_key)
    )
    vil["kab_kode"] = vil["kec_kode"].str[:5]
    in_kec = vil.groupby(["kec_kode", "key"])["penduduk"].agg(["sum", "size"])
    in_kab = vil.groupby(["kab_kode", "key"])["penduduk"].agg(["sum", "size"])
    kec_hits = dict(zip(in_kec.index, zip(in_kec["sum"], in_kec["size"], strict=True), strict=True))
    kab_hits = dict(zip(in_kab.index, zip(in_kab["sum"], in_kab["size"], strict=True), strict=True))
    keys = desa["nama"].map(name_key)
    population, reasons = {}, {}
    for code, kec, kab, key in zip(
        desa["kode"], desa["kec_kode"], desa["kab_kode"], keys, strict=True
    ):
        total, size = kec_hits.get((kec, key), (0, 0))
        if size == 1:
            population[code] = int(total)
        elif size > 1:
            reasons[code] = "name repeats in the 2010 kecamatan"
        elif kab_hits.get((kab, key), (0, 0))[1] == 1:
            population[code] = int(kab_hits[(kab, key)][0])
        else:
            reasons[code] = "no 2010 village of that name in the kecamatan"
    unmatched = desa[desa["kode"].isin(list(reasons))][["kode", "nama", "kec_kode"]].copy()
    unmatched["reason"] = unmatched["kode"].map(reasons)
    return pd.Series(population, name="penduduk", dtype="int64"), unmatched.reset_index(drop=True)
