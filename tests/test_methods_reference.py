"""The Python reference methods against METHODS.md's independently computed test vectors."""

from __future__ import annotations

import pytest

from indicators.catalogue import Polarity
from indicators.methods.confidence import wilson
from indicators.methods.quartiles import phe_quantile, quartile_from_rank
from indicators.methods.trend import TrendPoint, recent_trend

VALUES = [30.6, 30.2, 28, 24.6, 24.67]
LOWER = [28.98, 28.63, 26.44, 23.15, 23.16]
UPPER = [32.25, 31.9, 29.64, 26.19, 26.25]


def _points(values, lower, upper):
    return [TrendPoint(f"{2015 + i}/{(16 + i) % 100:02d}", v, lo, up)
            for i, (v, lo, up) in enumerate(zip(values, lower, upper, strict=True))]


def test_trend_vector_slope_and_chi2():
    result = recent_trend(_points(VALUES, LOWER, UPPER), Polarity.LOW_IS_GOOD)
    assert result.slope == pytest.approx(-1.751566, abs=1e-6)
    assert result.chi2 == pytest.approx(46.76532, abs=1e-5)
    assert result.label == "Decreasing and getting better"


def test_trend_labels_follow_polarity():
    assert recent_trend(_points(VALUES, LOWER, UPPER), Polarity.HIGH_IS_GOOD).label == "Decreasing and getting worse"
    assert recent_trend(_points(VALUES, LOWER, UPPER), Polarity.NO_JUDGEMENT).label == "Decreasing"


def test_wilson_then_regression_vector():
    counts = [1367, 1332, 1199, 1023, 994]
    denominators = [44701, 44064, 42811, 41527, 40299]
    points = [TrendPoint(str(i), c / n * 100, *wilson(c, n))
              for i, (c, n) in enumerate(zip(counts, denominators, strict=True))]
    assert recent_trend(points, Polarity.LOW_IS_GOOD).chi2 == pytest.approx(48.6072, abs=1e-4)


def test_trend_needs_five_valid_points():
    points = _points(VALUES, LOWER, UPPER)
    points[2] = TrendPoint(points[2].period, None, None, None)
    result = recent_trend(points, Polarity.LOW_IS_GOOD)
    assert result.label == "Cannot be calculated"
    assert "4 valid points" in result.reason


@pytest.mark.parametrize(("n", "sizes"), [(21, [6, 5, 5, 5]), (24, [6, 6, 6, 6]), (25, [7, 6, 6, 6]),
                                          (26, [7, 6, 7, 6]), (27, [7, 7, 7, 6])])
def test_quartile_bucket_sizes(n, sizes):
    quartiles = [quartile_from_rank(rank, n) for rank in range(1, n + 1)]
    assert [quartiles.count(q) for q in (1, 2, 3, 4)] == sizes


def test_phe_quantile_ties_missing_and_polarity():
    values = [10.0, 20.0, 20.0, None, 5.0, 1.0]
    high = phe_quantile(values, Polarity.HIGH_IS_GOOD)
    assert high[3] is None
    assert [p.rank for p in high if p] == [3, 1, 1, 4, 5]
    low = phe_quantile(values, Polarity.LOW_IS_GOOD)
    assert [p.rank for p in low if p] == [3, 4, 4, 2, 1]
    assert phe_quantile([1.0, 2.0, 3.0], Polarity.HIGH_IS_GOOD) == [None, None, None]
