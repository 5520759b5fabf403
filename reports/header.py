"""The lines every sheet and page of a report starts with: SAMPLE DATA, title, selection, status
(DRAFT or signed off) and provenance (data cut-off, run id, the file read)."""

from __future__ import annotations

from dataclasses import dataclass

from indicators.periods import Period
from reports.data import ReportData
from reports.formatting import date_text, format_value, is_missing
from reports.tables import Layout, layout_for

SAMPLE_LINE = "SAMPLE DATA - generated figures, not real council data"


@dataclass(frozen=True)
class ReportHeader:
    sample: str | None
    title: str
    subtitle: str
    status: str
    provenance: str

    def lines(self) -> list[str]:
        return [x for x in (self.sample, self.title, self.subtitle, self.status, self.provenance) if x]

    @property
    def print_mark(self) -> str:
        """Short mark for printed page headers."""
        parts = [p for p in ("SAMPLE DATA" if self.sample else None,
                             "DRAFT" if self.status.startswith("DRAFT") else "Signed off") if p]
        return " - ".join(parts)


def report_title(data: ReportData) -> str:
    if data.kind == "annual":
        return f"Annual Performance and Benchmarking Report {data.period.label} ({_span(data.period)})"
    return f"Quarterly scrutiny report: {data.period.label} ({_span(data.period)})"


def _span(period: Period) -> str:
    return f"{period.start.day} {period.start:%B %Y} to {period.end.day} {period.end:%B %Y}"


def report_header(data: ReportData) -> ReportHeader:
    council = data.settings.get("council_name", "")
    plan = data.settings.get("plan_name", "")
    return ReportHeader(
        sample=SAMPLE_LINE if data.is_sample else None,
        title=report_title(data),
        subtitle=f"{council} - {plan}. {data.selection.name}",
        status=data.status_text,
        provenance=(f"Data cut-off: {date_text(data.cutoff)} (the last source file loaded). "
                    f"Run id: {data.run_id}. Built {date_text(data.built_at)} from {data.source.path.name}."),
    )


def report_layout(data: ReportData) -> Layout:
    """The columns and summary of this kind of report, with its sources' short names."""
    return layout_for(data.kind, {k: v.name for k, v in data.config.sources.items()})


def headline(rec: dict, layout: Layout) -> str:
    """One line under an indicator's charts: its value, period and quartile in words."""
    period = rec.get(layout.period_key)
    text = (f"{format_value(rec.get(layout.value_key), rec['decimals'], rec['unit'])} "
            f"({'no data' if is_missing(period) else period})")
    label = rec.get(layout.quartile_label_key)
    return text + ("" if is_missing(label) else f"; {label} of comparators")
