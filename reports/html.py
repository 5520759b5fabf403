"""The report as one self-contained, printable, accessible HTML page (no scripts, no network, charts inline).

Same content as the workbook: summary, one section per outcome (a table grouped by sub-outcome with a
Fingertips-style spine row per indicator, then a trend chart per indicator with its figures in words and
in a table), notes. Accessible: headings in order, captions and header cells with scope, every chart an
SVG with role="img", a title and a description in words, and status never shown by colour alone. Every
string from the warehouse is escaped. Printable: A4 landscape, table headers repeat on each page, and
SAMPLE DATA / DRAFT marks are fixed so they print on every page.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from reports.data import ReportData
from reports.formatting import format_value, is_missing
from reports.header import ReportHeader, headline, report_header, report_layout
from reports.notes import report_notes
from reports.svg_charts import spine_description, spine_svg, trend_description, trend_svg
from reports.tables import Layout, spine_points, sub_outcome_heading, summary_counts
from warehouse.publish import written_atomically

STYLE = """
:root{--ink:#1a1a1a;--blue:#1f4e78}
body{font-family:Arial,Helvetica,"DejaVu Sans",sans-serif;margin:1.5em 2em;color:var(--ink);line-height:1.35}
a{color:var(--blue)}
.skip{position:absolute;left:-999px}.skip:focus{left:1em;top:1em;background:#fff;padding:.3em}
.marks{position:fixed;top:0;right:0;display:flex;gap:.4em;padding:.3em;background:#fff;z-index:2}
.mark{font-weight:bold;border:2px solid;padding:.15em .5em;font-size:.85em}
.mark.sample{color:#c00000}.mark.draft{color:#7a4a00}.mark.final{color:#1b5e20}
.banner{color:#c00000;font-weight:bold;border:3px solid #c00000;padding:.4em .6em;display:inline-block}
.status{font-weight:bold}
.provenance{color:#444;font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em;font-size:.8em}
caption{text-align:left;font-weight:bold;padding:.3em 0;font-size:1.1em}
th,td{border:1px solid #999;padding:.25em .35em;text-align:left;vertical-align:top}
thead th{background:var(--blue);color:#fff}
tbody th[scope=row]{font-weight:normal;background:#f7f7f7}
th.group{background:#e8eef5;font-weight:bold;text-align:left}
td.num{text-align:right;white-space:nowrap}
td.spine{min-width:160px;padding:0 .2em}
.wide{overflow-x:auto}
table.indicators{font-size:.76em}
table.indicators th[scope=row]{min-width:13em}
td.col-commentary{min-width:16em}
.key{font-size:.8em;color:#333}
td.spine svg{width:160px;height:auto;display:block}
.q1{background:#c6efce}.q2{background:#e2efda}.q3{background:#fce4d6}.q4{background:#f8cbad}
.green{background:#c6efce}.amber{background:#ffeb9c}.red{background:#ffc7ce}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(430px,1fr));gap:1em}
figure{margin:0;border:1px solid #ddd;padding:.5em;break-inside:avoid}
figure svg{width:100%;height:auto}
figcaption{font-size:.85em}
figcaption strong{display:block;font-size:1.05em}
details{font-size:.85em}
nav ul{columns:2}
@page{size:A4 landscape;margin:12mm}
@media print{
  body{margin:0;font-size:10pt}
  .skip,nav{display:none}
  section.outcome{break-before:page}
  thead{display:table-header-group}
  tr,figure{break-inside:avoid}
  details{display:none}
  a{color:inherit;text-decoration:none}
  .wide{overflow:visible}
  table.indicators{font-size:6.5pt}
  td.spine{min-width:0}
  td.spine svg{width:110px}
  td.col-commentary{min-width:10em}
  table.indicators th[scope=row]{min-width:9em}
  h2,h3{break-after:avoid}
  .figures{grid-template-columns:repeat(2,1fr)}
}
"""


SPINE_KEY = ("Among comparators: the light bar runs from the lowest to the highest comparator, the dark bar "
             "covers the middle 50%, the black tick is the median, the red dashed tick is England and the circle "
             "is {home} (coloured by quartile, named in the Quartile column). Better is to the right.")


def _cell(text: str, tone: str | None, numeric: bool, column: str) -> str:
    classes = " ".join(c for c in (f"col-{_slug(column)}", tone, "num" if numeric else None) if c)
    return f'<td{f" class={chr(34)}{classes}{chr(34)}" if classes else ""}>{escape(text)}</td>'


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _spine_cell(data: ReportData, rec: dict, layout: Layout, prefix: str) -> str:
    points = spine_points(data.indicator_records(rec["indicator_id"]), rec, layout)
    if points is None:
        return '<td class="spine">No comparator figures</td>'
    quartile = rec.get(layout.quartile_key)
    description = spine_description(points, data.home_name, rec.get(layout.period_key),
                                    rec.get(layout.quartile_label_key), rec["decimals"], rec["unit"])
    svg = spine_svg(points, prefix, f"{rec['indicator_name']}: position among comparators", description,
                    str(rec["polarity"]) == "low_is_good", None if is_missing(quartile) else int(quartile))
    return f'<td class="spine">{svg}</td>'


def _outcome_table(data: ReportData, layout: Layout, outcome_id: str, name: str) -> list[str]:
    rows = data.outcome_rows(outcome_id).to_dict("records")
    columns = layout.html_columns[1:]  # sub-outcome is the group heading
    header = "".join(f'<th scope="col">{escape(c.title)}</th>' for c in columns)
    header += '<th scope="col">Among comparators (better →)</th>'
    parts = [f'<div class="wide"><table class="indicators"><caption>{escape(name)}: one row per indicator'
             f"</caption><thead><tr>{header}</tr></thead>"]
    current = None
    for rec in rows:
        group = sub_outcome_heading(rec)
        if group != current:
            if current is not None:
                parts.append("</tbody>")
            parts.append(f'<tbody><tr><th class="group" colspan="{len(columns) + 1}" scope="rowgroup">'
                         f"{escape(group)}</th></tr>")
            current = group
        shown = [c.render(rec) for c in columns]
        cells = [f'<th scope="row">{escape(shown[0].text)}</th>']
        cells += [_cell(s.text, s.tone, s.number is not None, c.title)
                  for s, c in zip(shown[1:], columns[1:], strict=True)]
        cells.append(_spine_cell(data, rec, layout, f"spine-{outcome_id}-{_slug(str(rec['indicator_id']))}"))
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table></div>" if rows else "<tbody></tbody></table></div>")
    if any('<td class="spine"><svg' in p for p in parts):
        parts.append(f'<p class="key">{escape(SPINE_KEY.format(home=data.home_name))}</p>')
    return parts


def _data_table(series: list[dict], rec: dict) -> str:
    head = ("<tr><th scope='col'>Period</th><th scope='col'>Value</th><th scope='col'>Comparator Q1</th>"
            "<th scope='col'>Median</th><th scope='col'>Q3</th><th scope='col'>England</th>"
            "<th scope='col'>Rank</th></tr>")
    body = []
    for r in series:
        rank = "-" if is_missing(r["rank"]) else f"{int(r['rank'])} of {int(r['n_comparators'])}"
        values = [format_value(r[k], rec["decimals"], rec["unit"])
                  for k in ("value", "comparator_q1", "comparator_median", "comparator_q3", "england_value")]
        body.append(f"<tr><th scope='row'>{escape(str(r['period']))}</th>"
                    + "".join(f"<td class='num'>{escape(v)}</td>" for v in values)
                    + f"<td>{escape(rank)}</td></tr>")
    return (f"<details><summary>Figures behind this chart</summary><table><caption>"
            f"{escape(str(rec['indicator_name']))}</caption><thead>{head}</thead><tbody>{''.join(body)}"
            f"</tbody></table></details>")


def _figures(data: ReportData, layout: Layout, outcome_id: str, name: str) -> list[str]:
    parts = [f"<h3>{escape(name)}: trends</h3>", '<div class="figures">']
    for rec in data.outcome_rows(outcome_id).to_dict("records"):
        series = data.indicator_series(rec["indicator_id"])
        caption = (f"<strong>{escape(str(rec['indicator_name']))}</strong>"
                   f"{escape(headline(rec, layout))}")
        if series.empty:
            parts.append(f"<figure><figcaption>{caption}. No data.</figcaption></figure>")
            continue
        description = trend_description(series, data.home_name, rec["decimals"], rec["unit"])
        unit = "" if is_missing(rec["unit"]) else str(rec["unit"])
        svg = trend_svg(series, f"trend-{outcome_id}-{_slug(str(rec['indicator_id']))}",
                        f"{rec['indicator_name']}: trend", description, unit, data.home_name)
        parts.append(f"<figure>{svg}<figcaption>{caption}. {escape(description)}</figcaption>"
                     f"{_data_table(data.indicator_records(rec['indicator_id']), rec)}</figure>")
    parts.append("</div>")
    return parts


def _summary(data: ReportData, layout: Layout) -> list[str]:
    header = "".join(f'<th scope="col">{escape(t)}</th>' for t in ["Outcome", "Indicators",
                                                                     *[t for t, _ in layout.summary]])
    rows = []
    for outcome_id, name in data.outcomes:
        counts = summary_counts(data.outcome_rows(outcome_id), layout.summary)
        rows.append(f'<tr><th scope="row"><a href="#{_slug(outcome_id)}">{escape(name)}</a></th>'
                    + "".join(f'<td class="num">{n}</td>' for n in counts) + "</tr>")
    counts = summary_counts(data.board.drop_duplicates("indicator_id"), layout.summary)
    rows.append('<tr><th scope="row">All shown</th>' + "".join(f'<td class="num"><strong>{n}</strong></td>'
                                                                for n in counts) + "</tr>")
    return ['<section aria-labelledby="summary"><h2 id="summary">Summary by outcome</h2>',
            f"<table><caption>How many indicators fall in each category</caption><thead><tr>{header}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>"]


def _notes(data: ReportData) -> list[str]:
    parts = ['<section aria-labelledby="notes"><h2 id="notes">Notes</h2>']
    for section in report_notes(data):
        parts.append(f"<h3>{escape(section.title)}</h3>")
        parts.extend(f"<p>{escape(p)}</p>" for p in section.paragraphs)
        if section.table:
            head = "".join(f'<th scope="col">{escape(h)}</th>' for h in section.table.headers)
            body = "".join(
                "<tr>" + "".join(f"<td>{escape('-' if is_missing(v) else str(v))}</td>" for v in row) + "</tr>"
                for row in section.table.rows)
            parts.append(f"<table><caption>{escape(section.title)}</caption><thead><tr>{head}</tr></thead>"
                         f"<tbody>{body}</tbody></table>")
    parts.append("</section>")
    return parts


def _marks(header: ReportHeader) -> str:
    marks = []
    if header.sample:
        marks.append('<span class="mark sample">SAMPLE DATA</span>')
    draft = header.status.startswith("DRAFT")
    marks.append(f'<span class="mark {"draft" if draft else "final"}">{"DRAFT" if draft else "Signed off"}</span>')
    return f'<div class="marks" aria-hidden="true">{"".join(marks)}</div>'


def render_html(data: ReportData) -> str:
    header = report_header(data)
    layout = report_layout(data)
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{escape(header.title)}</title><style>{STYLE}</style></head><body>",
             '<a class="skip" href="#main">Skip to the report</a>', _marks(header), '<main id="main">']
    if header.sample:
        parts.append(f'<p class="banner">{escape(header.sample)}</p>')
    parts += [f"<h1>{escape(header.title)}</h1>", f"<p>{escape(header.subtitle)}</p>",
              f'<p class="status">{escape(header.status)}</p>',
              f'<p class="provenance">{escape(header.provenance)}</p>']
    nav = "".join(f'<li><a href="#{_slug(o)}">{escape(n)}</a></li>' for o, n in data.outcomes)
    parts.append(f'<nav aria-label="Contents"><h2>Contents</h2><ul><li><a href="#summary">Summary</a></li>{nav}'
                 '<li><a href="#notes">Notes</a></li></ul></nav>')
    parts += _summary(data, layout)
    for outcome_id, name in data.outcomes:
        parts.append(f'<section class="outcome" aria-labelledby="{_slug(outcome_id)}">'
                     f'<h2 id="{_slug(outcome_id)}">{escape(name)}</h2>')
        if header.sample:
            parts.append(f'<p class="banner">{escape(header.sample)}</p>')
        parts += _outcome_table(data, layout, outcome_id, name)
        parts += _figures(data, layout, outcome_id, name)
        parts.append("</section>")
    parts += _notes(data)
    parts.append("</main></body></html>")
    return "\n".join(parts)


def write_html(data: ReportData, path: Path) -> Path:
    with written_atomically(path) as temporary:
        temporary.write_text(render_html(data), encoding="utf-8")
    return path
