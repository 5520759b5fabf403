"""The notes a report carries: methods in plain words with their names, the key to symbols, comparator
group membership for the periods shown, sources and licences, and the files the figures come from.

Written once as sections of paragraphs and tables; the workbook's Notes sheet and the HTML page's notes
render the same sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indicators.methods import labels
from indicators.methods.trend import CHI2_THRESHOLD
from reports.data import ReportData
from reports.formatting import ARROWS, ENGLAND_SYMBOLS, RAG_SYMBOLS, date_text, text_or_dash


@dataclass(frozen=True)
class NoteTable:
    headers: list[str]
    rows: list[list[object]]


@dataclass(frozen=True)
class NoteSection:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: NoteTable | None = None


METHODS = [
    ["Comparator quartile", labels.QUARTILE_METHOD,
     "The councils in the comparator group with a value for the period are ranked best first (highest first "
     "where high is good, lowest first where low is good; tied values share the better rank). With n councils, "
     "quartile = 5 - ceil(4 x (n + 1 - rank) / n), so quartile 1 is the best 25%. An area is not ranked when "
     "fewer than 4 councils have a value. This is OHID's phe_quantile method; membership of the group is "
     "decided for each period (below)."],
    ["Direction of travel", labels.DIRECTION_METHOD,
     "The latest value against the previous period with a value (for quarterly figures also the same quarter a "
     "year earlier), compared at the precision the figure is published to: Improving, Worsening or No change "
     "(Increasing or Decreasing where neither direction is better). 'Significant' is added when both values "
     "have 95% confidence intervals that do not overlap. 'Not comparable' when the definition or boundary "
     "changed between the two periods."],
    ["Recent trend", labels.TREND_METHOD,
     "Fingertips' recent trend: a weighted straight line through the five most recent annual values that have "
     f"95% confidence intervals. A trend is reported only when it is significant (chi-square above "
     f"{CHI2_THRESHOLD:.2f}, p < 0.002) and leaving out any one of the five points does not reverse it; "
     "otherwise 'No significant change'. 'Cannot be calculated' with fewer than five such points or for "
     "quarterly, monthly and pooled periods. Where the source publishes its own trend and it differs, both "
     "are shown."],
    ["Compared with England", labels.BENCHMARK_METHOD,
     "Better or Worse when England's value lies outside the council's 95% confidence interval (Higher or "
     "Lower where neither is better), Similar when inside it; Not compared when the figure has no interval."],
    ["Target and RAG", "target_rag",
     "Green: the target is met. Amber: missed by no more than the tolerance (5% of the target unless the "
     "catalogue says otherwise). Red: missed by more. Trajectory targets are read off a straight line from "
     "the baseline to each milestone."],
    ["Overdue", "freshness",
     "An indicator is overdue when its latest period is older than its update frequency and publication lag "
     "lead us to expect. 'Next expected update' is the next period's end plus the publication lag."],
]

ANNUAL_METHODS = [
    ["Year's position", "annual_period",
     "For a financial year the report uses each indicator's latest period whose mid-point falls on or before "
     "the year's last day (2024/25: the 2024/25 financial or academic year, calendar year 2024, pooled "
     "2023-25 (centred on 2024) or quarter 2024/25 Q4)."],
    ["Change over the year", labels.DIRECTION_METHOD,
     "The year's value against the period of the same kind that starts one year earlier, labelled as the "
     "direction of travel is."],
    ["Change over the plan period", labels.DIRECTION_METHOD,
     "The year's value against the plan baseline: the latest period whose mid-point falls before the plan "
     "started."],
]

CHARTS = [
    "Trend chart: the council's value in each period (line with markers) against the comparator median "
    "(dashed) and the middle 50% of comparators (grey band from Q1 to Q3); England dotted where published.",
    "Spine chart (Fingertips style): one row per indicator. The light grey bar runs from the lowest to the "
    "highest comparator, the darker bar covers the middle 50% (Q1 to Q3), the thin black tick is the "
    "comparator median and the red dashed tick is England. The circle is the council; its colour repeats "
    "the quartile given in words in the table. Better is always to the right.",
]


def _key_rows() -> list[list[object]]:
    rows = [["Direction of travel", symbol, label] for label, symbol in ARROWS.items()]
    rows += [["Target (RAG)", symbol, label] for label, symbol in RAG_SYMBOLS.items()]
    rows += [["Compared with England", symbol, label] for label, symbol in ENGLAND_SYMBOLS.items()]
    rows += [["Overdue", "⚠ Overdue", "newer data was expected by now"], ["Any", "-", "no figure"]]
    return rows


def report_notes(data: ReportData) -> list[NoteSection]:
    plan = data.config.plan
    sections = [
        NoteSection("About this report", [
            data.status_text + ".",
            f"Data cut-off: {date_text(data.cutoff)} - when the last source file in this warehouse finished "
            "loading. Figures published after that are not included.",
            f"Run id: {data.run_id}. Built {date_text(data.built_at)} from {data.source.path.name}.",
            "A signed-off quarter's report always reads the frozen copy of the warehouse kept at sign-off, so "
            "regenerating it gives the figures that were published; a draft reads the current warehouse.",
        ] + (["SAMPLE DATA: every figure in this report was generated by the project for demonstration. It is "
              "not real council data."] if data.is_sample else [])),
        NoteSection("Key to symbols", ["Colours are never the only signal: each has a word or symbol beside it."],
                    NoteTable(["Column", "Symbol", "Meaning"], _key_rows())),
        NoteSection("Methods", [], NoteTable(["Figure", "Method name", "In plain words"],
                                             METHODS + (ANNUAL_METHODS if data.kind == "annual" else []))),
        NoteSection("Charts", list(CHARTS)),
        NoteSection("Comparator group membership for the periods shown",
                    ["A council counts in a period when it was a member on the period's last day; councils "
                     "abolished or created by reorganisation count only in the periods they existed."],
                    NoteTable(["Group", "Periods", "Members", "Councils"],
                              [[r.group_name, r.periods, r.n_members, r.members]
                               for r in data.membership.itertuples()])),
        NoteSection("Data sources and licences", [],
                    NoteTable(["Source", "Publisher", "Licence", "Indicators shown"],
                              [[r.source_id, r.publisher, r.licence, r.indicators]
                               for r in data.sources.itertuples()])),
        NoteSection("Files the figures come from", [],
                    NoteTable(["File", "Format", "Rows read", "Accepted", "Rejected", "Skipped", "Loaded"],
                              [[r.source_file, text_or_dash(r.adapter), r.rows_read, r.rows_accepted,
                                r.rows_rejected, r.rows_skipped, date_text(r.finished_at)]
                               for r in data.loads.itertuples()])),
    ]
    if data.unmatched:
        sections[0].paragraphs.append(
            f"This selection ({data.selection.name}) also names {', '.join(data.unmatched)}, which has no "
            "indicators in this warehouse yet.")
    if data.kind == "annual":
        sections[0].paragraphs.append(f"Plan period: {plan.name}, from {plan.start:%d %B %Y}.")
    return sections
