"""95% and 99.8% confidence intervals from counts, where a source gives counts but no limits.

METHODS.md section 6 (PHEindicatormethods): Wilson score for proportions, Byar for counts and crude
rates, exact chi-square limits below 10 events. scipy.stats supplies the distributions.
"""

from __future__ import annotations

import math

from scipy import stats

Z95 = 1.959964
Z998 = 3.090232


def wilson(count: float, denominator: float, z: float = Z95, multiplier: float = 100) -> tuple[float, float]:
    """Wilson score interval for count/denominator, scaled by ``multiplier`` (100 for a percentage)."""
    x, n = float(count), float(denominator)
    root = z * math.sqrt(z * z + 4 * x * (1 - x / n))
    lower = (2 * x + z * z - root) / (2 * (n + z * z))
    upper = (2 * x + z * z + root) / (2 * (n + z * z))
    return lower * multiplier, upper * multiplier


def byar_count(count: float, z: float = Z95) -> tuple[float, float]:
    """Limits for an observed count: Byar's approximation, exact chi-square when count < 10."""
    x = float(count)
    if x < 10:
        alpha = 2 * (1 - stats.norm.cdf(z))
        lower = stats.chi2.ppf(alpha / 2, 2 * x) / 2 if x > 0 else 0.0
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
        return float(lower), float(upper)
    lower = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    return lower, upper


def byar_rate(count: float, denominator: float, z: float = Z95, multiplier: float = 100000) -> tuple[float, float]:
    """Crude rate limits: Byar limits of the count divided by the denominator, times ``multiplier``."""
    lower, upper = byar_count(count, z)
    return lower / denominator * multiplier, upper / denominator * multiplier
