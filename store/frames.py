"""Values frames handed to :func:`store.commit`: their checksum, normal form and checks.

A frame is checked completely before anything is written: every problem becomes a dict
``{row, column, code, value, message_en, message_id}`` (``row`` 1-based in the frame;
``code`` a key ``store.problem.<code>`` of the locale files) and the commit is refused with
all of them (:class:`store.StoreValidationError`).
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd

from .engine import StoreValidationError
from .messages import Message

#: Columns a frame handed to :func:`commit` must have (``illustrative`` and ``note`` optional).
COLUMNS = ("region_code", "level", "indicator", "year", "value")
_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_CODE_LEVEL = {1: "provinsi", 2: "kabupaten", 3: "kecamatan", 4: "desa"}


def frame_checksum(frame: pd.DataFrame) -> str:
    """sha256 of a canonical form of a values frame (row order does not matter).

    Covers ``region_code``, ``level``, ``indicator``, ``year``, ``value``, ``illustrative``
    (default False) and ``note`` (default empty): rows sorted by indicator, level, year and
    region, then each column hashed in turn (text joined with a separator, numbers as
    little-endian int64/float64 bytes).

    Examples
    --------
    >>> a = pd.DataFrame({"region_code": ["35.78.09", "35.78.08"], "level": "kecamatan",
    ...                   "indicator": "ipm", "year": 2024, "value": [80.1, 79.5]})
    >>> frame_checksum(a) == frame_checksum(a.iloc[::-1])
    True
    """
    canon = pd.DataFrame(
        {
            "region_code": frame["region_code"].astype(str).to_numpy(),
            "level": frame["level"].astype(str).to_numpy(),
            "indicator": frame["indicator"].astype(str).to_numpy(),
            "year": pd.to_numeric(frame["year"]).astype("int64").to_numpy(),
            "value": pd.to_numeric(frame["value"]).astype("float64").to_numpy(),
            "illustrative": (
                frame["illustrative"].fillna(False).astype(bool).to_numpy()
                if "illustrative" in frame
                else False
            ),
            "note": (
                frame["note"].astype(object).where(frame["note"].notna(), "").astype(str).to_numpy()
                if "note" in frame
                else ""
            ),
        }
    )
    canon = canon.sort_values(["indicator", "level", "year", "region_code"], kind="stable")
    digest = hashlib.sha256(b"rbk-values-v2")
    for col in ("region_code", "level", "indicator", "note"):
        digest.update("\x1f".join(canon[col].tolist()).encode())
        digest.update(b"\x1e")
    digest.update(canon["year"].to_numpy("<i8").tobytes())
    digest.update(canon["value"].to_numpy("<f8").tobytes())
    digest.update(canon["illustrative"].to_numpy(bool).tobytes())
    return digest.hexdigest()


def prepare(frame: pd.DataFrame, illustrative: bool | None) -> pd.DataFrame:
    """The frame in normal form (stripped text, numeric values, flags) with its row numbers.

    Raises
    ------
    StoreValidationError
        ``missing_columns`` when a column of :data:`COLUMNS` is absent.
    """
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise StoreValidationError("missing_columns", columns=", ".join(missing))
    out = pd.DataFrame(
        {
            "region_code": frame["region_code"].astype("string").str.strip(),
            "level": frame["level"].astype("string").str.strip(),
            "indicator": frame["indicator"].astype("string").str.strip(),
            "year": frame["year"],
            "value": pd.to_numeric(frame["value"], errors="coerce"),
        }
    )
    if "illustrative" in frame.columns and illustrative is None:
        out["illustrative"] = frame["illustrative"].fillna(False).astype(bool)
    else:
        out["illustrative"] = bool(illustrative)
    out["note"] = frame["note"].astype("string") if "note" in frame.columns else pd.NA
    out["_row"] = np.arange(1, len(frame) + 1)
    return out


class _Problems:
    """The problems found in one prepared frame, each with its row and messages."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.found: list[dict] = []

    def add(self, mask, code: str, column: str) -> None:
        """Record problem ``code`` for the rows where ``mask`` is true."""
        rows = self.frame.loc[mask, "_row"]
        if rows.empty:
            return
        message = Message.of(f"store.problem.{code}")
        en, id_ = message.text("en"), message.text("id")
        for row, value in zip(rows, self.frame.loc[mask, column], strict=True):
            self.found.append(
                {
                    "row": int(row),
                    "column": column,
                    "code": code,
                    "value": str(value)[:80],
                    "message_en": en,
                    "message_id": id_,
                }
            )


def validate(frame: pd.DataFrame, catalogue: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Check a prepared frame; return the rows to store and the problems found (by row)."""
    problems = _Problems(frame)
    _check_codes(frame, problems)
    _check_indicators(frame, catalogue, problems)
    year = pd.to_numeric(frame["year"], errors="coerce")
    year_ok = year.notna() & (year == year.round()) & year.between(1900, 2100)
    problems.add(~year_ok, "bad_year", "year")
    finite = _check_values(frame, catalogue, problems)
    keep = frame[finite].copy()
    keep["year"] = year[finite].astype("Int64")
    dup = keep.duplicated(["indicator", "level", "year", "region_code"], keep=False)
    problems.add(frame.index.isin(keep.index[dup]), "duplicate", "region_code")
    found = sorted(problems.found, key=lambda p: (p["row"], p["column"]))
    return keep, found


def _check_codes(frame: pd.DataFrame, problems: _Problems) -> None:
    code_ok = frame["region_code"].fillna("").str.fullmatch(_CODE.pattern).astype(bool)
    problems.add(~code_ok, "bad_code", "region_code")
    depth = frame["region_code"].fillna("").str.count(r"\.") + 1
    wrong_level = code_ok & (depth.map(_CODE_LEVEL) != frame["level"])
    problems.add(wrong_level, "level_mismatch", "region_code")


def _check_indicators(frame: pd.DataFrame, catalogue: pd.DataFrame, problems: _Problems) -> None:
    known = frame["indicator"].isin(catalogue.index)
    problems.add(~known, "unknown_indicator", "indicator")
    allowed = {f"{i}\x1f{lv}" for i, levels in catalogue["levels"].items() for lv in levels}
    combo = frame["indicator"].fillna("") + "\x1f" + frame["level"].fillna("")
    problems.add(~(~known | combo.isin(allowed)), "level_not_allowed", "level")


def _check_values(frame: pd.DataFrame, catalogue: pd.DataFrame, problems: _Problems) -> pd.Series:
    """Infinite values and values outside the catalogue's range; returns the finite mask."""
    value = frame["value"]
    finite = value.notna() & np.isfinite(value.fillna(0.0))
    problems.add(value.notna() & ~finite, "not_finite", "value")
    lo = frame["indicator"].map(catalogue["valid_min"]).astype("float64")
    hi = frame["indicator"].map(catalogue["valid_max"]).astype("float64")
    out_of_range = finite & ((lo.notna() & (value < lo)) | (hi.notna() & (value > hi)))
    problems.add(out_of_range, "out_of_range", "value")
    return finite
