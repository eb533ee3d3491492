"""Pure analysis of regional disparity (numpy, pandas, scipy, PySAL only).

Submodules (import the one you need; this package imports none of them eagerly so that
``import analysis.inequality`` stays cheap):

``analysis.inequality``
    Gini, Williamson, Theil T and L, Atkinson, coefficient of variation, Palma, max/min
    ratio, Theil decomposition (nested groupings), bootstrap intervals, permutation test.
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

The methods, formulas and references are listed in ``docs/methods.md``.
"""
