"""Inline SVG charts for the HTML report, drawn with matplotlib's Agg backend (no display, no network).

The same two charts as the workbook (reports.excel_charts): a trend line of the home area against the
comparator median and inter-quartile band, and a Fingertips-style spine row. Each SVG is made
accessible (role="img" with a <title> and a <desc> that gives the figures in words) and its element ids
are prefixed so many charts can live in one page. Output is deterministic (fixed hash salt, no date), so
regenerating a report gives the same file.
"""

from __future__ import annotations

import io
import re
from html import escape

import matplotlib

matplotlib.use("Agg")
import pandas as pd
from matplotlib.figure import Figure

from reports.formatting import format_value, is_missing

HOME = "#1f4e78"
MEDIAN = "#595959"
BAND = "#d9d9d9"
RANGE = "#e7e6e6"
MIDDLE = "#a6a6a6"
ENGLAND = "#c00000"
QUARTILE_MARKER = {1: "#2e7d32", 2: "#9ccc65", 3: "#ffb74d", 4: "#c62828"}
RC = {"svg.fonttype": "none", "svg.hashsalt": "leics-outcomes", "font.family": "DejaVu Sans", "font.size": 8}

_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')


def _svg_text(fig: Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def accessible_svg(svg: str, prefix: str, title: str, description: str) -> str:
    """Strip the XML prologue, prefix every id, and label the root element for screen readers."""
    svg = svg[svg.index("<svg"):]
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    head_end = svg.index(">") + 1
    root = svg[:head_end].replace("<svg", f'<svg role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
                                          'focusable="false"', 1)
    labels = (f'<title id="{prefix}-title">{escape(title)}</title>'
              f'<desc id="{prefix}-desc">{escape(description)}</desc>')
    return root + labels + svg[head_end:]


def _num(value: object) -> float:
    return float("nan") if is_missing(value) else float(value)


def trend_svg(series: pd.DataFrame, prefix: str, title: str, description: str, unit: str, home_name: str) -> str:
    periods = list(series["period"])
    x = list(range(len(periods)))
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(5.2, 2.7))
        ax = fig.add_subplot()
        q1 = [_num(v) for v in series["comparator_q1"]]
        q3 = [_num(v) for v in series["comparator_q3"]]
        if any(v == v for v in q1):
            ax.fill_between(x, q1, q3, color=BAND, label="Middle 50% of comparators", linewidth=0)
            ax.plot(x, [_num(v) for v in series["comparator_median"]], color=MEDIAN, linestyle="--",
                    linewidth=1.2, label="Comparator median")
        england = [_num(v) for v in series["england_value"]]
        if any(v == v for v in england):
            ax.plot(x, england, color="black", linestyle=":", linewidth=1.4, label="England")
        ax.plot(x, [_num(v) for v in series["value"]], color=HOME, marker="o", markersize=4, linewidth=2,
                label=home_name)
        crowded = len(periods) > 6
        ax.set_xticks(x, periods, rotation=45 if crowded else 0, ha="right" if crowded else "center")
        ax.set_ylabel(unit)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#eeeeee")
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncol=2, frameon=False, fontsize=7,
                  borderaxespad=0, handlelength=1.8, columnspacing=1)
        # fixed margins: tight_layout would draw the figure an extra time (a third of the cost per chart)
        fig.subplots_adjust(left=0.13, right=0.98, top=0.82, bottom=0.3 if crowded else 0.14)
        return accessible_svg(_svg_text(fig), prefix, title, description)


def spine_svg(points: dict[str, tuple[float | None, float | None]], prefix: str, title: str, description: str,
              reverse: bool, quartile: int | None) -> str:
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(2.6, 0.42))
        ax = fig.add_axes((0.03, 0.05, 0.94, 0.9))
        low, high = points["Range"]
        q1, q3 = points["Middle 50%"]
        median = points["Median"][0]
        england = points["England"][0]
        home = points["Home"][0]
        ax.plot([low, high], [0, 0], color=RANGE, linewidth=11, solid_capstyle="butt")
        ax.plot([q1, q3], [0, 0], color=MIDDLE, linewidth=11, solid_capstyle="butt")
        ax.plot([median, median], [-0.45, 0.45], color="black", linewidth=1.2)
        if england is not None:
            ax.plot([england, england], [-0.6, 0.6], color=ENGLAND, linewidth=1.6, linestyle="--")
        if home is not None:
            ax.plot([home], [0], marker="o", markersize=8, markerfacecolor=QUARTILE_MARKER.get(quartile or 0, HOME),
                    markeredgecolor="black", linestyle="none")
        values = [v for v in (low, high, england, home) if v is not None]
        span = (max(values) - min(values)) or 1.0
        ax.set_xlim(min(values) - 0.04 * span, max(values) + 0.04 * span)
        if reverse:
            ax.invert_xaxis()
        ax.set_ylim(-0.8, 0.8)
        ax.axis("off")
        return accessible_svg(_svg_text(fig), prefix, title, description)


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
