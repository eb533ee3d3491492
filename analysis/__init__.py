"""Pure analysis of regional disparity (numpy, pandas, scipy, PySAL only).

Submodules (import the one you need; this package imports none of them eagerly):

``analysis.inequality``
    A package re-exporting every public name of its modules: ``indices`` (Gini, Williamson,
    Theil T and L, Atkinson, coefficient of variation, Palma, max/min ratio),
    ``decomposition`` (Theil between/within, nested groupings) and ``inference`` (bootstrap
    intervals, permutation test of the between share).
``analysis.convergence``
    Sigma and beta convergence.
``analysis.typology``
    Klassen typology with the Indonesian quadrant labels and transitions between periods.
``analysis.spatial``
    Spatial weights (queen with islands attached to nearest neighbours, k nearest), global and
    local Moran's I with permutation inference and an FDR option, queen-vs-knn robustness.
``analysis.classify``
    Choropleth class breaks through mapclassify with legend labels.
``analysis.composite``
    Composite development index, normalisation, weights and rank stability.
``analysis.targeting``
    Need versus coverage: gap score, priority ranking, 3×3 bivariate classes.
``analysis.peers``
    The most comparable regions on standardised indicators.
``analysis.ranking``
    The one rank function (1 = best for the indicator's direction) and direction spellings.
``analysis.compare``
    The compare table of chosen regions, direction-aware normalised scores, year choice.
``analysis._input``
    The input adapter: arrays, lists or Series in, validated arrays out; errors name the
    positions at fault.

Nothing here imports the rest of the project: modules import numpy, pandas, scipy, PySAL and
each other only.

The methods, formulas and references are listed in ``docs/methods.md``.
"""
