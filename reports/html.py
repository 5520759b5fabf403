"""The scrutiny report as one self-contained, printable, accessible HTML page.

Everything from the warehouse is escaped; status is given in words and symbols, never colour alone.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from reports.data import ReportData
from reports.formatting import direction_text, format_value, text_or_dash
from reports.workbook import banner_lines

STYLE = """
body{font-family:Arial,Helvetica,sans-serif;margin:2em;color:#1a1a1a}
.banner{color:#c00000;font-weight:bold;border:2px solid #c00000;padding:.4em;display:inline-block}
table{border-collapse:collapse;width:100%;margin-bottom:2em;font-size:.9em}
th,td{border:1px solid #999;padding:.3em;text-align:left;vertical-align:top}
th{background:#1f4e78;color:#fff}
.q1{background:#c6efce}.q2{background:#e2efda}.q3{background:#fce4d6}.q4{background:#f8cbad}
@media print{h2{page-break-before:always}}
"""

COLUMNS = ["Indicator", "Period", "Value", "Previous", "Direction of travel", "Rank", "Quartile",
           "Compared with England", "Recent trend"]


def _row(rec: dict) -> str:
    quartile = rec.get("quartile")
    q_class = f' class="q{int(quartile)}"' if isinstance(quartile, (int, float)) and quartile == quartile else ""
    cells = [
        f'<th scope="row">{escape(str(rec["indicator_name"]))}</th>',
        f"<td>{escape(text_or_dash(rec['latest_period']))}</td>",
        f"<td>{escape(format_value(rec['latest_value'], rec['decimals'], rec['unit']))}</td>",
        f"<td>{escape(format_value(rec['previous_value'], rec['decimals'], rec['unit']))}</td>",
        f"<td>{escape(direction_text(rec['direction_of_travel']))}</td>",
        f"<td>{escape(text_or_dash(rec['rank_text']))}</td>",
        f"<td{q_class}>{escape(text_or_dash(rec['quartile_label']))}</td>",
        f"<td>{escape(text_or_dash(rec['compared_with_england']))}</td>",
        f"<td>{escape(text_or_dash(rec['recent_trend']))}</td>",
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def write_html(data: ReportData, path: Path) -> Path:
    lines = banner_lines(data)
    title = f"Scrutiny report {data.quarter.label}"
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"]
    if data.is_sample:
        parts.append(f'<p class="banner">{escape(lines[0])}</p>')
        lines = lines[1:]
    parts.append(f"<h1>{escape(lines[1])}</h1>")
    parts.append(f"<p>{escape(lines[0])}. {escape(lines[2])}.</p>")
    header = "".join(f'<th scope="col">{escape(c)}</th>' for c in COLUMNS)
    for outcome_id, name in data.outcomes:
        rows = data.outcome_rows(outcome_id).to_dict("records")
        parts.append(f"<h2>{escape(name)}</h2>")
        if data.is_sample:
            parts.append('<p class="banner">SAMPLE DATA</p>')
        parts.append(f"<table><caption>{escape(name)}: latest position</caption>"
                     f"<thead><tr>{header}</tr></thead><tbody>")
        parts.extend(_row(r) for r in rows)
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
