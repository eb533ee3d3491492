"""The data wing of the Unggah Data page: validation, commit, rollback and versions.

The only place where the upload page reaches :mod:`ingest` and :mod:`store`. The gazetteer and
the catalogue are cached with the one policy (:func:`~ui.data.cache.versioned`); validation,
commits, rollbacks and the version list are not cached (the version list is not a function of
the stamp: a rollback gives back an earlier stamp but not the earlier list). After a commit or
rollback the data stamp is read again at once (:func:`~ui.data.cache.forget_stamp`), so every
cached frame of this process follows the new data on the next rerun.

A refused write raises :class:`UploadRefused` (or :class:`StoreBusy` when another write holds
the store), which carries the store's message in both languages and its details.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

import ingest
import store

from .cache import DataUnavailable, forget_stamp, guarded, versioned

#: Dataset under which analysts' uploads are versioned.
UPLOAD_DATASET = ingest.DEFAULT_DATASET
#: The level uploads are stored at, and rolled back at.
UPLOAD_LEVEL = "kecamatan"
#: Theme of an indicator an analyst defines during an upload.
NEW_THEME = "lainnya"


class UploadRefused(Exception):
    """The store refused a commit or rollback; nothing changed.

    Attributes
    ----------
    message_id, message_en : str
        The store's message, safe to show a user.
    details : list of dict
        Rows that locate the problem (may be empty).
    """

    def __init__(self, message_id: str, message_en: str, details: Iterable = ()):
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en
        self.details = list(details)

    @classmethod
    def from_store(cls, exc: store.StoreError) -> UploadRefused:
        return cls(exc.message_id, exc.message_en, exc.details)

    def message(self, lang: str) -> str:
        """The store's message in ``lang``."""
        return self.message_en if lang == "en" else self.message_id


class StoreBusy(UploadRefused):
    """Another write holds the store; the same action may succeed a moment later."""


# --------------------------------------------------------------------------- reads
@versioned
def gazetteer() -> ingest.Gazetteer:
    """The 666 kecamatan and 38 kabupaten/kota indexed for key resolution (from the build)."""
    return ingest.Gazetteer.from_regions()


@versioned
def catalogue() -> pd.DataFrame:
    """The indicator catalogue as the store serves it: indexed by id, as :mod:`ingest` expects."""
    return store.catalogue()


def normalise_id(name) -> str:
    """A column header in the form of an indicator id (the store's alias rule).

    Examples
    --------
    >>> normalise_id("  Skor Inovasi (Desa) ")
    'skor_inovasi_desa'
    """
    return store.normalise_alias("" if name is None else str(name))


def region_labels(codes: Iterable[str]) -> list[str]:
    """``35.78.04 Wonokromo (Kota Surabaya)`` for each kecamatan code."""
    gaz = gazetteer()
    return [gaz.label(code) for code in codes]


def versions() -> pd.DataFrame:
    """Every committed version, newest first; empty when the store cannot be read."""
    try:
        return guarded(store.versions)
    except DataUnavailable:
        return pd.DataFrame()


def uploaded_indicators(all_versions: pd.DataFrame) -> list[str]:
    """Indicators held by some analysts' upload (the ones the page may roll back), sorted."""
    if all_versions.empty:
        return []
    uploads = all_versions[all_versions["dataset"] == UPLOAD_DATASET]
    return sorted({
        indicator
        for vid in uploads["version_id"]
        for indicator in store.version_series(int(vid))["indicator"]
    })


# --------------------------------------------------------------------------- validation
def validate(raw: bytes, filename: str, *, year: int | None, sheet: str | None, locale: str,
             mapping: Mapping | None = None, new: Mapping | None = None) -> ingest.Result:
    """Validate an uploaded file against the catalogue and the gazetteer.

    Parameters
    ----------
    raw : bytes
        The file's content.
    filename : str
        Its name (the extension tells CSV/TSV/TXT from XLSX).
    year : int, optional
        The data year for wide files without a year column.
    sheet : str, optional
        The workbook sheet (default: the validator's choice).
    locale : str
        Number format: ``auto``, ``id`` or ``en``.
    mapping : mapping, optional
        ``{column: indicator id | None}`` (None: ignore the column); None for the discovery
        pass (the catalogue's aliases decide).
    new : mapping, optional
        ``{column: spec}`` of the analyst's new indicators (:func:`ui.upload.new_spec`).

    Raises
    ------
    DataUnavailable
        When the geography or the store cannot be read.
    """
    new_specs = {
        spec["id"]: ingest.IndicatorSpec(spec["id"], kind=spec["kind"], known=True,
                                         name=spec["name_id"], valid_min=spec.get("valid_min"),
                                         valid_max=spec.get("valid_max"))
        for spec in (new or {}).values()
    }
    options = ingest.Options(year=int(year) if year else None, sheet=sheet, locale=locale,
                             mapping=dict(mapping) if mapping is not None else None,
                             new_indicators=new_specs)
    return ingest.validate_bytes(raw, filename=filename, options=options,
                                 catalogue=guarded(catalogue), gazetteer=guarded(gazetteer))


def preview(result: ingest.Result) -> ingest.Preview | None:
    """What a commit would change against the active version; None when the store cannot tell."""
    try:
        return ingest.preview(result)
    except (store.StoreError, SQLAlchemyError):
        return None


# --------------------------------------------------------------------------- writes
def _new_indicator(spec: Mapping) -> store.Indicator:
    return store.Indicator(
        id=spec["id"], name_id=spec["name_id"], name_en=spec["name_en"] or spec["name_id"],
        unit=spec["unit"] or "-", kind=spec["kind"], direction=spec["direction"],
        theme=NEW_THEME, levels=(UPLOAD_LEVEL,), valid_min=spec.get("valid_min"),
        valid_max=spec.get("valid_max"),
    )


def commit(result: ingest.Result, new_indicators: Mapping, *, actor: str) -> store.CommitResult:
    """Register the analyst's new indicators and store the accepted values, in one transaction.

    Parameters
    ----------
    result : ingest.Result
        An accepted validation result.
    new_indicators : mapping
        ``{column: spec}`` of the analyst's new indicators; those not yet catalogued are
        registered with the values (a refused commit registers none of them).
    actor : str
        The analyst's user name (audit log).

    Returns
    -------
    store.CommitResult
        ``status`` (``created``, ``restored`` or ``duplicate``), ``number``, ``rows``, ``series`` (the page
        words its own message: the store's names internal ids).

    Raises
    ------
    StoreBusy, UploadRefused
        When the store refused, or cannot be read or written (a located message naming the
        store); no values were stored.
    """
    try:
        with store.guard(write=True):
            existing = set(store.catalogue().index)
            new = [_new_indicator(spec) for spec in new_indicators.values()
                   if spec["id"] not in existing]
            done = ingest.commit(result, actor=actor, new_indicators=new)
    except store.StoreBusyError as exc:
        raise StoreBusy.from_store(exc) from exc
    except store.StoreError as exc:
        raise UploadRefused.from_store(exc) from exc
    finally:
        forget_stamp()
    return done


def rollback(indicator: str, *, actor: str) -> dict | None:
    """Make the previous version of ``indicator`` (kecamatan level) active again.

    Returns
    -------
    dict or None
        ``number``, ``created_at`` and ``dataset`` of the version now active (None when the
        version list cannot be read): what the page names, never the internal id.

    Raises
    ------
    StoreBusy, UploadRefused
        When the store refused (e.g. nothing to roll back to); nothing changed.
    """
    try:
        with store.guard(write=True):
            done = store.rollback(indicator, actor=actor, level=UPLOAD_LEVEL)
    except store.StoreBusyError as exc:
        raise StoreBusy.from_store(exc) from exc
    except store.StoreError as exc:
        raise UploadRefused.from_store(exc) from exc
    finally:
        forget_stamp()
    return version_info(next(iter(done.values())))


def version_info(version_id: int) -> dict | None:
    """``number``, ``created_at`` and ``dataset`` of one stored version (None when unknown)."""
    table = versions()
    if table.empty:
        return None
    row = table[table["version_id"] == version_id]
    if row.empty:
        return None
    return {k: row.iloc[0][k] for k in ("number", "created_at", "dataset")}
