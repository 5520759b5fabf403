"""Inline SVG charts for the HTML report, written as SVG elements directly (no plotting library, no display, no
network).

The same two charts as the workbook (reports.excel_charts): a trend line of the home area against the
comparator median and inter-quartile band, and a Fingertips-style spine row. Each SVG is accessible
(role="img" with a <title> and a <desc> that gives the figures in words, their ids prefixed so many charts can
live in one page) and deterministic, so regenerating a report gives the same file.

Why not matplotlib, which drew them until 7 December 2026: a report of the SAMPLE DATA has 165 charts, and
matplotlib took 0.05-0.1 s each (axes, ticks and text layout rebuilt per figure): 13 of the 16 s the report took,
half of a sample run. These charts are a handful of lines, a band, markers and labels, in points (1/72 inch) at
matplotlib's former sizes, so the page looks the same.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from html import escape

import pandas as pd

from reports.axes import drawn_top, nice_step, span, step_decimals
from reports.formatting import format_value, is_missing

HOME = "#1f4e78"
MEDIAN = "#595959"
BAND = "#d9d9d9"
RANGE = "#e7e6e6"
MIDDLE = "#a6a6a6"
ENGLAND = "#c00000"
GRID = "#eeeeee"
QUARTILE_MARKER = {1: "#2e7d32", 2: "#9ccc65", 3: "#ffb74d", 4: "#c62828"}
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
FONT_SIZE = 8.0  # points, as the tick labels; the legend is 7
# A character's advance in DejaVu Sans is about 0.6 of the font size: enough to lay out the legend's columns.
CHAR_WIDTH = 0.6
TREND_SIZE = (374.4, 194.4)  # 5.2 x 2.7 inches
SPINE_SIZE = (187.2, 30.24)  # 2.6 x 0.42 inches


def _f(value: float) -> str:
    """A coordinate with two decimals at most (deterministic, short)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def svg_root(size: tuple[float, float], prefix: str, title: str, description: str, body: Sequence[str]) -> str:
    """The chart's <svg> element, labelled for screen readers by its <title> and <desc> (ids under ``prefix``)."""
    width, height = size
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(width)}pt" height="{_f(height)}pt" '
            f'viewBox="0 0 {_f(width)} {_f(height)}" role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
            f'focusable="false" font-family="{FONT}" font-size="{_f(FONT_SIZE)}">'
            f'<title id="{prefix}-title">{escape(title)}</title><desc id="{prefix}-desc">{escape(description)}</desc>'
            + "".join(body) + "</svg>")


def _num(value: object) -> float:
    return float("nan") if is_missing(value) else float(value)


def _runs(*columns: Sequence[float]) -> Iterator[list[int]]:
    """Indexes of consecutive points where every column has a value: a line breaks at a missing value."""
    run: list[int] = []
    for i in range(len(columns[0])):
        if all(not math.isnan(c[i]) for c in columns):
            run.append(i)
        elif run:
            yield run
            run = []
    if run:
        yield run


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round tick values (reports.axes.nice_step) covering [low, high] with about
    ``target`` intervals, as a reader expects on a value axis. A range that is one value (or floating-point
    noise around it) is widened upwards by its span (reports.axes)."""
    high = drawn_top(low, high)
    step = nice_step(low, high, target)
    first = math.ceil(low / step - 1e-9)
    return [float(f"{k * step:.12g}") for k in range(first, math.floor(high / step + 1e-9) + 1)]


# Above a million a tick reads as millions ("1.2m"), so that its label fits beside the axis.
MILLION = 1e6


def tick_labels(ticks: Sequence[float]) -> list[str]:
    """The ticks' texts, with as many decimals as the step needs (every tick of an axis alike), thousands
    separated, or in millions ("2.5m") on an axis that reaches a million."""
    millions = max((abs(t) for t in ticks), default=0.0) >= MILLION
    scale = MILLION if millions else 1.0
    step = (ticks[1] - ticks[0]) / scale if len(ticks) > 1 and ticks[1] > ticks[0] else 1.0
    decimals = step_decimals(step)
    if decimals > 6:  # steps of a millionth or less (no council figure): short scientific notation
        return [f"{t + 0.0:.3g}" for t in ticks]
    return [f"{t / scale + 0.0:,.{decimals}f}" + ("m" if millions else "") for t in ticks]  # + 0.0: no "-0"


def _polyline(points: list[tuple[float, float]], colour: str, width: float, dash: str | None = None) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<polyline points="{" ".join(f"{_f(x)},{_f(y)}" for x, y in points)}" fill="none" stroke="{colour}" '
            f'stroke-width="{_f(width)}" stroke-linejoin="round" stroke-linecap="butt"{dashes}/>')


def _legend(entries: list[tuple[str, str]], left: float, bottom: float) -> list[str]:
    """The legend above the plot, its last row ending at ``bottom``: two columns filled down first (as
    matplotlib's ``ncol=2``); each entry is (sample, label), the sample an SVG fragment drawn in a box 12.6 wide
    and 7 high at the origin."""
    size, handle, gap = 7.0, 12.6, 7.0
    rows = (len(entries) + 1) // 2
    widths = [handle + 0.8 * size + CHAR_WIDTH * size * len(label) for _, label in entries]
    column_2 = left + max(widths[:rows], default=0) + gap
    out = []
    for n, (sample, label) in enumerate(entries):
        x = left if n < rows else column_2
        y = bottom - (rows - n % rows) * (size * 1.5)
        out.append(f'<g transform="translate({_f(x)} {_f(y)})">{sample}'
                   f'<text x="{_f(handle + 0.8 * size)}" y="{_f(size * 0.85)}" font-size="{_f(size)}">'
                   f"{escape(label)}</text></g>")
    return out


def _line_sample(colour: str, width: float, dash: str | None = None, marker: bool = False) -> str:
    dot = f'<circle cx="6.3" cy="3.5" r="2" fill="{colour}"/>' if marker else ""
    return _polyline([(0, 3.5), (12.6, 3.5)], colour, width, dash) + dot


def trend_svg(series: pd.DataFrame, prefix: str, title: str, description: str, unit: str, home_name: str) -> str:
    """The home area's values by period, over the comparators' middle 50% (band) and median, and England."""
    periods = [str(p) for p in series["period"]]
    n = len(periods)
    q1, q3 = [_num(v) for v in series["comparator_q1"]], [_num(v) for v in series["comparator_q3"]]
    median = [_num(v) for v in series["comparator_median"]]
    england = [_num(v) for v in series["england_value"]]
    value = [_num(v) for v in series["value"]]
    crowded = n > 6
    width, height = TREND_SIZE
    left, right, top = 0.13 * width, 0.98 * width, (1 - 0.82) * height
    bottom = (1 - (0.3 if crowded else 0.14)) * height
    shown = [v for column in (q1, q3, median, england, value) for v in column if not math.isnan(v)]
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    pad = span(low, high) * 0.05
    low, high = low - pad, high + pad
    x_pad = max((n - 1) * 0.05, 0.5)

    def px(i: float) -> float:
        return left + (i + x_pad) / ((n - 1) + 2 * x_pad) * (right - left)

    def py(v: float) -> float:
        return bottom - (v - low) / (high - low) * (bottom - top)

    ticks = nice_ticks(low, high)
    labels = tick_labels(ticks)
    body = [f'<line x1="{_f(left)}" x2="{_f(right)}" y1="{_f(py(t))}" y2="{_f(py(t))}" stroke="{GRID}" '
            f'stroke-width="0.8"/>' for t in ticks]
    entries: list[tuple[str, str]] = []
    if any(not math.isnan(v) for v in q1):
        for run in _runs(q1, q3):
            outline = [(px(i), py(q3[i])) for i in run] + [(px(i), py(q1[i])) for i in reversed(run)]
            body.append(f'<polygon points="{" ".join(f"{_f(x)},{_f(y)}" for x, y in outline)}" fill="{BAND}"/>')
        body += [_polyline([(px(i), py(median[i])) for i in run], MEDIAN, 1.2, "4.44,1.92")
                 for run in _runs(median)]
        entries += [(f'<rect width="12.6" height="7" fill="{BAND}"/>', "Middle 50% of comparators"),
                    (_line_sample(MEDIAN, 1.2, "4.44,1.92"), "Comparator median")]
    if any(not math.isnan(v) for v in england):
        body += [_polyline([(px(i), py(england[i])) for i in run], "black", 1.4, "1.4,2.31")
                 for run in _runs(england)]
        entries.append((_line_sample("black", 1.4, "1.4,2.31"), "England"))
    body += [_polyline([(px(i), py(value[i])) for i in run], HOME, 2) for run in _runs(value) if len(run) > 1]
    body += [f'<circle cx="{_f(px(i))}" cy="{_f(py(value[i]))}" r="2" fill="{HOME}"/>'
             for i in range(n) if not math.isnan(value[i])]
    entries.append((_line_sample(HOME, 2, marker=True), home_name))
    # axes: left and bottom spines, ticks and their labels, the unit
    body.append(f'<path d="M{_f(left)},{_f(top)}V{_f(bottom)}H{_f(right)}" fill="none" stroke="black" '
                f'stroke-width="0.8"/>')
    for t, label in zip(ticks, labels, strict=True):
        y = py(t)
        body.append(f'<line x1="{_f(left - 3.5)}" x2="{_f(left)}" y1="{_f(y)}" y2="{_f(y)}" stroke="black" '
                    f'stroke-width="0.8"/><text x="{_f(left - 5.5)}" y="{_f(y + 2.9)}" text-anchor="end">'
                    f"{escape(label)}</text>")
    for i, period in enumerate(periods):
        x = px(i)
        body.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{_f(bottom)}" y2="{_f(bottom + 3.5)}" stroke="black" '
                    f'stroke-width="0.8"/>')
        if crowded:
            body.append(f'<text x="{_f(x)}" y="{_f(bottom + 11)}" text-anchor="end" '
                        f'transform="rotate(-45 {_f(x)} {_f(bottom + 11)})">{escape(period)}</text>')
        else:
            body.append(f'<text x="{_f(x)}" y="{_f(bottom + 12.5)}" text-anchor="middle">{escape(period)}</text>')
    if unit:  # beside the widest tick label
        middle = (top + bottom) / 2
        x = max(left - 9.5 - CHAR_WIDTH * FONT_SIZE * max(map(len, labels), default=0), FONT_SIZE)
        body.append(f'<text x="{_f(x)}" y="{_f(middle)}" text-anchor="middle" '
                    f'transform="rotate(-90 {_f(x)} {_f(middle)})">{escape(unit)}</text>')
    body += _legend(entries, left, top - 2)
    return svg_root(TREND_SIZE, prefix, title, description, body)


def spine_svg(points: dict[str, tuple[float | None, float | None]], prefix: str, title: str, description: str,
              reverse: bool, quartile: int | None) -> str:
    """One row of a Fingertips-style spine chart: the comparators' range and middle 50% as bars, the median and
    England as ticks, the home area as a circle coloured by its quartile; better to the right."""
    width, height = SPINE_SIZE
    left, right = 0.03 * width, 0.97 * width
    middle = height / 2
    low, high = points["Range"]
    q1, q3 = points["Middle 50%"]
    median, england, home = points["Median"][0], points["England"][0], points["Home"][0]
    values = [v for v in (low, high, england, home) if v is not None]
    lowest, highest = (min(values), max(values)) if values else (0.0, 1.0)
    centre, half = (lowest + highest) / 2, span(lowest, highest) * (0.5 + 0.04)  # a margin of 4% each side
    lowest, highest = centre - half, centre + half

    def px(v: float) -> float:
        share = (v - lowest) / (highest - lowest)
        return left + (1 - share if reverse else share) * (right - left)

    unit_y = (0.9 * height) / 1.6  # the y axis runs from -0.8 to 0.8 over 90% of the height

    def bar(start: float | None, end: float | None, colour: str) -> str:
        if start is None or end is None:
            return ""
        x0, x1 = sorted((px(start), px(end)))
        return f'<rect x="{_f(x0)}" y="{_f(middle - 5.5)}" width="{_f(x1 - x0)}" height="11" fill="{colour}"/>'

    def tick(at: float | None, reach: float, colour: str, stroke: float, dash: str = "") -> str:
        if at is None:
            return ""
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        return (f'<line x1="{_f(px(at))}" x2="{_f(px(at))}" y1="{_f(middle - reach * unit_y)}" '
                f'y2="{_f(middle + reach * unit_y)}" stroke="{colour}" stroke-width="{_f(stroke)}"{dashes}/>')

    body = [bar(low, high, RANGE), bar(q1, q3, MIDDLE), tick(median, 0.45, "black", 1.2),
            tick(england, 0.6, ENGLAND, 1.6, "5.92,2.56")]
    if home is not None:
        body.append(f'<circle cx="{_f(px(home))}" cy="{_f(middle)}" r="4" '
                    f'fill="{QUARTILE_MARKER.get(quartile or 0, HOME)}" stroke="black" stroke-width="1"/>')
    return svg_root(SPINE_SIZE, prefix, title, description, [b for b in body if b])


def trend_description(series: pd.DataFrame, home_name: str, decimals: object, unit: object) -> str:
    """The trend chart in words: first and latest values, and the comparators and England in the latest period."""
    valued = series[series["value"].notna()]
    if valued.empty:
        return f"No values for {home_name}."
    first, last = valued.iloc[0], valued.iloc[-1]
    text = (f"{home_name}: {format_value(first['value'], decimals, unit)} in {first['period']}, "
            f"{format_value(last['value'], decimals, unit)} in {last['period']}.")
    if not is_missing(last["comparator_median"]):
        text += (f" In {last['period']} the comparator median was "
                 f"{format_value(last['comparator_median'], decimals, unit)} and the middle 50% ran from "
                 f"{format_value(last['comparator_q1'], decimals, unit)} to "
                 f"{format_value(last['comparator_q3'], decimals, unit)}.")
    if not is_missing(last["england_value"]):
        text += f" England: {format_value(last['england_value'], decimals, unit)}."
    return text


def spine_description(points: dict[str, tuple[float | None, float | None]], home_name: str, period: object,
                      quartile_label: object, decimals: object, unit: object) -> str:
    def fmt(value: float | None) -> str:
        return format_value(value, decimals, unit)

    text = f"{period}: {home_name} {fmt(points['Home'][0])}"
    if not is_missing(quartile_label):
        text += f" ({quartile_label})"
    text += (f"; comparators from {fmt(points['Range'][0])} to {fmt(points['Range'][1])}, middle 50% "
             f"{fmt(points['Middle 50%'][0])} to {fmt(points['Middle 50%'][1])}, median {fmt(points['Median'][0])}")
    if points["England"][0] is not None:
        text += f"; England {fmt(points['England'][0])}"
    return text + "."
