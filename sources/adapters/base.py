"""What every adapter provides, and the table-reading steps they share.

Adapters read; they never validate or decide scope (sources.validate does). Each turns one file into a
raw frame of text cells (sources.canonical): one record per unit counted (a row, or a value cell of a
wide file), with the file's row number, so that every rejection can name the row and column as the file
shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from indicators.periods import Convention
from sources.files import FileRejected, Probe, cell_text, mapped_positions, normalise_header, read_csv_rows

ROW = "row"
VALUE_CELL = "value cell"


class Adapter(Protocol):
    id: str
    title: str
    expects: str  # shown when a file matches no adapter
    period_convention: Convention | None
    unit: str  # what one record counts: ROW, or VALUE_CELL for wide files

    def sniff(self, probe: Probe) -> bool: ...

    def read(self, path: Path) -> pd.DataFrame:
        """Raw frame: text cells in sources.canonical raw columns, selector columns, ``source_row``."""
        ...


@dataclass(frozen=True)
class HeaderMap:
    """Normalised header spelling -> raw column name, for sources whose header spellings vary.

    ``labels`` gives the spelling shown to analysts for each required header.
    """

    mapping: dict[str, str]
    required: frozenset[str]
    labels: dict[str, str] | None = None

    def missing(self, header: Sequence[str]) -> list[str]:
        return sorted(self.required - set(header))

    def describe(self, normalised: Sequence[str]) -> str:
        labels = self.labels or {}
        return ", ".join(f"'{labels.get(n, n)}'" for n in normalised)


def table_frame(path: Path, header_cells: Sequence[object], body: Sequence[Sequence[object]],
                first_row_number: int, columns: HeaderMap, what: str) -> pd.DataFrame:
    """A long table (one record per row) as a raw frame with the canonical column names.

    Rejects the file when the header lacks a required column (listing what was expected and what was
    found) or when there are no data rows. Blank rows are not records. A row with cells beyond the last
    header is kept but flagged in ``row_problem``: its values have probably shifted.
    """
    header_text = [cell_text(h) for h in header_cells]
    header = [normalise_header(h) for h in header_text]
    if not any(header):
        raise FileRejected(f"{path.name}: the file is empty (no header row)")
    missing = columns.missing(header)
    if missing:
        found = ", ".join(f"'{h}'" for h in header_text if h) or "nothing"
        raise FileRejected(f"{path.name}: missing required column(s) {columns.describe(missing)} for {what}; "
                           f"the header row has {found}")
    width = len(header)
    numbered = [(first_row_number + i, row) for i, row in enumerate(body) if any(cell_text(c) for c in row)]
    if not numbered:
        raise FileRejected(f"{path.name}: the file has a header but no data rows")
    keep = mapped_positions(header, columns.mapping)
    data = {name: [cell_text(row[i]) if i < len(row) else "" for _, row in numbered] for name, i in keep.items()}
    frame = pd.DataFrame(data, dtype=object)
    frame["source_row"] = [n for n, _ in numbered]
    frame["row_problem"] = [
        f"the row has {len(row)} cells with values beyond the {width} header columns: its values have "
        "probably shifted (a stray comma or a missing cell)"
        if any(cell_text(c) for c in row[width:]) else ""
        for _, row in numbered
    ]
    frame.attrs["source_columns"] = {name: header_text[i] for name, i in keep.items()}
    return frame


def melt_cells(frame: pd.DataFrame, id_columns: Sequence[str], value_columns: dict[str, str],
               location_prefix: str = "") -> pd.DataFrame:
    """A wide frame (several measures per row) as one record per value cell.

    ``value_columns`` maps each measure column of ``frame`` to the header text shown to analysts; the
    record's ``column`` selector holds that header and ``source_location`` holds it too (with the
    sheet as prefix where given), so two cells of one row are two units.
    """
    parts = []
    for column, header in value_columns.items():
        part = frame[list(id_columns)].copy()
        part["value"] = frame[column].to_numpy()
        part["column"] = header
        part["source_location"] = f"{location_prefix}{header}"
        parts.append(part)
    if not parts:
        return frame[list(id_columns)].iloc[0:0].assign(value="", column="", source_location="")
    out = pd.concat(parts, ignore_index=True)
    order = out.sort_values(["source_row"], kind="stable").index
    return out.loc[order].reset_index(drop=True)


def csv_table(path: Path, columns: HeaderMap, what: str) -> pd.DataFrame:
    """A CSV whose first record is the header, as a raw frame (row numbers as a spreadsheet shows them)."""
    rows = read_csv_rows(path)
    if not rows:
        raise FileRejected(f"{path.name}: the file is empty")
    return table_frame(path, rows[0], rows[1:], 2, columns, what)


def text_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column of the raw frame, or "" for every row when the file does not have it."""
    return frame[name] if name in frame.columns else pd.Series("", index=frame.index, dtype=object)


def wide_csv_table(path: Path, ids: HeaderMap, what: str, ignore: frozenset[str] = frozenset()) -> pd.DataFrame:
    """A CSV with identifying columns (``ids``) and one column per measure, as one record per value cell.

    Every column that is not identifying (nor in ``ignore``, normalised names) is a measure; its header is
    the record's ``column`` selector, which the catalogue's ``source.column`` matches.
    """
    rows = read_csv_rows(path)
    if not rows:
        raise FileRejected(f"{path.name}: the file is empty")
    header_text = [cell_text(h) for h in rows[0]]
    measures = {f"_m{i}": h for i, h in enumerate(header_text)
                if h and normalise_header(h) not in ids.mapping and normalise_header(h) not in ignore}
    if not measures:
        raise FileRejected(f"{path.name}: no measure columns besides the identifying columns of {what}")
    extended = HeaderMap({**ids.mapping, **{normalise_header(h): k for k, h in measures.items()}},
                         ids.required, ids.labels)
    frame = table_frame(path, header_text, rows[1:], 2, extended, what)
    id_columns = [c for c in frame.columns if c not in measures]
    melted = melt_cells(frame, id_columns, {k: h for k, h in measures.items() if k in frame.columns})
    melted.attrs["source_columns"] = {k: v for k, v in frame.attrs["source_columns"].items() if k not in measures}
    return melted
