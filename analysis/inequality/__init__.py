r"""Inequality indices for regional values, optionally population-weighted.

Every index takes ``y``, one per-capita (or per-unit) value per region, and optionally ``w``,
the population (or other weight) of each region. With ``w=None`` every region counts once and
the results equal PySAL's ``inequality.gini.Gini`` and ``inequality.theil.Theil``. With weights,
write :math:`p_i = w_i / \sum_j w_j` and :math:`\mu = \sum_i p_i y_i`.

Rules for awkward inputs (the same in every function, enforced with a ``ValueError``):

* missing (NaN, None, pandas.NA) or infinite values in ``y`` or ``w``: error, with positions;
* negative values of ``y``: error (the indices are defined for non-negative values);
* zeros in ``y``: allowed where the formula has a limit (Gini, Theil T with
  :math:`0 \ln 0 = 0`, Atkinson with :math:`\varepsilon < 1`, coefficient of variation, Palma
  unless the poorest 40 % hold nothing); an error where it has none (Theil L, Atkinson with
  :math:`\varepsilon \ge 1`, max/min ratio);
* negative weights, weights summing to zero, or a weighted mean of zero: error;
* a region with weight 0 takes no part in a weighted index;
* pandas Series (values, weights, groupings) are aligned by their index (region codes), never
  paired by position; different sets of regions raise.

Scalar indices return a Python ``float``; compound results are frozen dataclasses.

Modules (every public name is re-exported here, so ``from analysis import inequality as ineq``
and ``ineq.gini`` is the way to call them):

``analysis.inequality.indices``
    ``gini``, ``williamson``, ``coefficient_of_variation``, ``theil_t``, ``theil_l``,
    ``atkinson``, ``palma``, ``max_min_ratio``, ``all_indices`` (``InequalityIndices``).
``analysis.inequality.decomposition``
    ``theil_decomposition`` (``TheilDecomposition``), single or nested groupings.
``analysis.inequality.inference``
    ``bootstrap_ci`` (``BootstrapCI``), ``bootstrap_decomposition``
    (``DecompositionBootstrap``), ``between_share_test`` (``BetweenShareTest``).
``analysis.inequality._cores``
    The vectorised cores (rows are replicates) shared by the modules above.
"""

from __future__ import annotations

from analysis.inequality.decomposition import TheilDecomposition, theil_decomposition
from analysis.inequality.indices import (
    InequalityIndices,
    all_indices,
    atkinson,
    coefficient_of_variation,
    gini,
    max_min_ratio,
    palma,
    theil_l,
    theil_t,
    williamson,
)
from analysis.inequality.inference import (
    BetweenShareTest,
    BootstrapCI,
    DecompositionBootstrap,
    between_share_test,
    bootstrap_ci,
    bootstrap_decomposition,
)

__all__ = [
    "gini",
    "williamson",
    "theil_t",
    "theil_l",
    "atkinson",
    "coefficient_of_variation",
    "palma",
    "max_min_ratio",
    "all_indices",
    "InequalityIndices",
    "theil_decomposition",
    "TheilDecomposition",
    "bootstrap_ci",
    "BootstrapCI",
    "bootstrap_decomposition",
    "DecompositionBootstrap",
    "between_share_test",
    "BetweenShareTest",
]
