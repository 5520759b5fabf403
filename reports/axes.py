"""Value axes on round numbers, one rule for the workbook's charts (reports.excel_charts) and the HTML page's
(reports.svg_charts): how wide a range of values is drawn, the step its ticks take and the decimals their labels
need. Why one: values a floating-point rounding apart (45.9 against 45.900000000000006) once made the HTML
charts fail while the workbook's kept an axis with a step of 2e-15; a rule mended in one place only is mended in
one chart only."""

from __future__ import annotations

import math

# Tick steps: these multiples of a power of ten, the first at least the wanted step.
STEP_MULTIPLES = (1, 2, 2.5, 5, 10)


def span(low: float, high: float) -> float:
    """The width a chart gives the values from ``low`` to ``high``: their difference, or, when they are one value
    or differ by floating-point noise only, the size of that value (1 for 0), so that noise is never magnified
    across a chart."""
    return high - low if high - low > 1e-9 * max(abs(low), abs(high)) else (abs(low) or 1.0)


def drawn_top(low: float, high: float) -> float:
    """The top of the range a chart draws for values from ``low`` to ``high``: ``high`` itself, or for one value (or
    values a rounding apart) the value widened upwards by its size (:func:`span`). Both kinds of chart ask here, so
    the workbook's axis and the HTML page's cover the same range."""
    width = span(low, high)
    return high if width == high - low else low + width


def nice_step(low: float, high: float, target: int = 5) -> float:
    """A round step (STEP_MULTIPLES times a power of ten) giving about ``target`` intervals over the span."""
    raw = span(low, high) / target
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in STEP_MULTIPLES if m * power >= raw)


def step_decimals(step: float) -> int:
    """Decimals a tick label needs so that every tick of a step reads exactly (one more for a step of 2.5 times a
    power of ten)."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    if abs(step * 10 ** decimals - round(step * 10 ** decimals)) > 1e-6:
        decimals += 1
    return decimals
