"""The catalogue's part of the data dictionary (docs/data_dictionary.md), as Markdown sections.

Why generated: the dictionary must say exactly what the catalogue says, so it is written from it (by
``outcomes docs``) and a test fails when the committed file is out of date. Each function returns one
section; the docs command assembles them with the other packages' sections (sources, warehouse views).
"""

from __future__ import annotations

from indicators.areas import ComparatorGroups
from indicators.catalogue.loader import Catalogue
from indicators.catalogue.model import Indicator, Target, ValueType

POLARITY_WORDS = {"high_is_good": "High is good", "low_is_good": "Low is good", "no_judgement": "No judgement"}


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def range_rule(indicator: Indicator) -> str:
    low, high = indicator.value_range()
    if low is None and high is None:
        rule = "any value"
    elif high is None:
        rule = f"at least {low:g}"
    elif low is None:
        rule = f"at most {high:g}"
    else:
        rule = f"{low:g} to {high:g}"
    if indicator.value_type is ValueType.COUNT:
        rule += ", whole numbers"
    return rule


def target_text(target: Target | None) -> str:
    if target is None:
        return ""
    text = target.description
    if target.kind == "trajectory" and target.milestones:
        steps = ", ".join(f"{m.value:g} by {m.period}" for m in target.milestones)
        base = f"from {target.baseline.value:g} in {target.baseline.period}" if target.baseline else ""
        text += f" (trajectory {base}{'; ' if base else ''}{steps}"
        text += "; values relative to the baseline" if target.baseline_relative else ""
        text += f"; running total from {target.cumulative_from}" if target.cumulative_from else ""
        text += f"; for area {target.area}" if target.area else ""
        text += ")"
    return text


def overview_section(catalogue: Catalogue) -> str:
    lines = ["## Indicators by outcome", "",
             f"{len(catalogue)} indicators. Polarity orients ranks and labels; the source is the one source of "
             "record (other publishers of the same measure are skipped).", ""]
    for outcome in sorted(catalogue.outcomes.values(), key=lambda o: (o.number or 99, o.id)):
        members = sorted((i for i in catalogue if i.outcome == outcome.id or outcome.id in i.also_reported_in),
                         key=lambda i: (i.sub_outcome or "", i.id))
        title = f"{outcome.number}. {outcome.name}" if outcome.number else outcome.name
        lines += [f"### {title}", "", f"Board: {outcome.board}.", "",
                  "| sub | indicator | polarity | type | source | comparator group |", "|---|---|---|---|---|---|"]
        for i in members:
            also = " (also reported here)" if i.outcome != outcome.id else ""
            lines.append(f"| {i.sub_outcome or ''} | [`{i.id}`](#{i.id}) {_cell(i.name)}{also} | "
                         f"{POLARITY_WORDS[i.polarity.value]} | {i.value_type.value} | `{i.source.source}` | "
                         f"{i.comparator_group or 'none'} |")
        lines.append("")
    return "\n".join(lines)


def indicator_section(catalogue: Catalogue, groups: ComparatorGroups) -> str:
    lines = ["## Indicator details", ""]
    for i in sorted(catalogue, key=lambda i: i.id):
        outcome = catalogue.outcomes[i.outcome]
        sub = f" {i.sub_outcome} {catalogue.sub_outcomes.get(i.sub_outcome, '')}" if i.sub_outcome else ""
        breakdown = i.headline_breakdown
        headline = ", ".join(v for v in (breakdown.sex, breakdown.age, breakdown.category_type, breakdown.category)
                             if v)
        rows = [
            ("Outcome", f"{outcome.name}{' -' + sub if sub else ''}"),
            ("Success measure (the plan's words)", i.success_measure),
            ("Polarity", POLARITY_WORDS[i.polarity.value]),
            ("Value type", f"{i.value_type.value}; valid values {range_rule(i)}"),
            ("Unit", f"{i.unit} (multiplier {i.multiplier:g}, {i.decimals} decimal places)"),
            ("Frequency", f"{i.frequency.value}, published about {i.publication_lag_months} months after the "
                          "period ends" + (f"; periods read as {i.period_convention}" if i.period_convention else "")),
            ("Source of record", f"`{i.source.describe()}`"),
            ("Also published by (skipped)", "; ".join(f"`{s.describe()}`" for s in i.other_sources)),
            ("Headline breakdown", headline),
            ("Comparator group", f"{i.comparator_group} ({groups.group_name(i.comparator_group)})"
             if i.comparator_group else "none (not ranked against other councils)"),
            ("Target", target_text(i.target)),
            ("Breaks in the series", "; ".join(f"{b.period}: {b.note}" for b in i.break_notes)),
            ("Statutory", "yes" if i.statutory else "no"),
            ("Lead board", i.lead_board + (f"; also reported in {', '.join(i.also_reported_in)}"
                                           if i.also_reported_in else "")),
        ]
        lines += [f'<a id="{i.id}"></a>', f"### {i.name}", "", f"`{i.id}`", "", "| | |", "|---|---|"]
        lines += [f"| {k} | {_cell(v)} |" for k, v in rows if v]
        lines.append("")
    return "\n".join(lines)


def comparator_section(groups: ComparatorGroups) -> str:
    lines = ["## Comparator groups", "",
             "Membership has validity dates: a council counts in a period only if it existed at the period's end.",
             "", "| group | name | members (ever) |", "|---|---|---|"]
    for group_id in groups.group_ids():
        count = len({m.area_code for m in groups.memberships if m.group_id == group_id})
        lines.append(f"| `{group_id}` | {_cell(groups.group_name(group_id))} | {count} |")
    return "\n".join([*lines, ""])
