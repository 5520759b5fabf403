"""The sources' part of the data dictionary: each registered format, what it expects and what it counts."""

from __future__ import annotations

from sources.registry import ADAPTERS


def sources_section() -> str:
    lines = ["## Source formats", "",
             "Each file in the landing folder is matched to one format by its content (header row, sheet names). "
             "Every unit read (a row, or a value cell of a wide table) is accepted, rejected with its reason, or "
             "skipped as out of scope with its reason.", "",
             "| source id | format | unit counted | recognised by |", "|---|---|---|---|"]
    for adapter in ADAPTERS:
        lines.append(f"| `{adapter.id}` | {adapter.title} | {adapter.unit} | {adapter.expects} |")
    return "\n".join([*lines, ""])
