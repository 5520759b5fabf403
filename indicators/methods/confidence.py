"""95% and 99.8% confidence intervals from counts, where a source gives counts but no limits.

METHODS.md section 6 (PHEindicatormethods): Wilson score for proportions, Byar for counts and crude
rates, exact chi-square limits below 10 events. scipy.special supplies the distributions: the normal tail
(``ndtr``) and the chi-square quantile as ``2 * gammaincinv(df / 2, q)``, which is what scipy.stats'
``chi2.ppf`` computes (bit for bit, ``tests/test_methods_reference.py``) without importing scipy.stats, which took
a second of every process's start-up.

Each function takes scalars or numpy arrays (the warehouse derives a whole column at once with the same
code the tests and the sample generator call with single values) and returns floats for scalar input.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

Z95 = 1.959964
Z998 = 3.090232

Limits = tuple[float, float] | tuple[np.ndarray, np.ndarray]


def _out(lower: np.ndarray, upper: np.ndarray, scalar: bool) -> Limits:
    return (float(lower), float(upper)) if scalar else (lower, upper)


def wilson(count: ArrayLike, denominator: ArrayLike, z: float = Z95, multiplier: float = 100) -> Limits:
    """Wilson score interval for count/denominator, scaled by ``multiplier`` (100 for a percentage)."""
    scalar = np.ndim(count) == 0 and np.ndim(denominator) == 0
    x, n = np.asarray(count, dtype=float), np.asarray(denominator, dtype=float)
    root = z * np.sqrt(z * z + 4 * x * (1 - x / n))
    lower = (2 * x + z * z - root) / (2 * (n + z * z)) * multiplier
    upper = (2 * x + z * z + root) / (2 * (n + z * z)) * multiplier
    return _out(lower, upper, scalar)


def _chi2_quantile(q: float, df: np.ndarray) -> np.ndarray:
    """scipy.stats.chi2.ppf(q, df) for 0 < q < 1: NaN where df is not positive."""
    return 2 * special.gammaincinv(df / 2, q)


def byar_count(count: ArrayLike, z: float = Z95) -> Limits:
    """Limits for an observed count: Byar's approximation, exact chi-square limits when count < 10."""
    scalar = np.ndim(count) == 0
    x = np.asarray(count, dtype=float)
    alpha = 2 * special.ndtr(-z)
    with np.errstate(divide="ignore", invalid="ignore"):
        byar_lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        byar_upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
        exact_lower = np.where(x > 0, _chi2_quantile(alpha / 2, 2 * x) / 2, 0.0)
        exact_upper = _chi2_quantile(1 - alpha / 2, 2 * x + 2) / 2
    small = x < 10
    return _out(np.where(small, exact_lower, byar_lower), np.where(small, exact_upper, byar_upper), scalar)


def byar_rate(count: ArrayLike, denominator: ArrayLike, z: float = Z95, multiplier: float = 100000) -> Limits:
    """Crude rate limits: Byar limits of the count divided by the denominator, times ``multiplier``."""
    scalar = np.ndim(count) == 0 and np.ndim(denominator) == 0
    lower, upper = byar_count(count, z)
    n = np.asarray(denominator, dtype=float)
    return _out(np.asarray(lower) / n * multiplier, np.asarray(upper) / n * multiplier, scalar)


# Which derivation applies to which value type (catalogue value_type -> method name).
DERIVATION_BY_VALUE_TYPE = {"proportion": "wilson", "crude_rate": "byar", "count": "byar"}


def derive_limits(method: str, count: ArrayLike, denominator: ArrayLike, multiplier: ArrayLike,
                  z: float) -> Limits:
    """Limits by ``method`` ('wilson' or 'byar') for a value type that METHODS.md section 6 covers.

    For value type ``count`` the denominator is ignored (the limits are those of the count itself); the
    caller passes a multiplier of 1 and a denominator of 1.
    """
    if method == "wilson":
        return wilson(count, denominator, z, multiplier)  # type: ignore[arg-type]
    if method == "byar":
        return byar_rate(count, denominator, z, multiplier)  # type: ignore[arg-type]
    raise ValueError(f"no confidence interval derivation named {method!r}")
