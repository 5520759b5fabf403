"""Where the warehouse files live (ARCHITECTURE.md "Files, paths and exit codes").

``--warehouse PATH`` names the published, analyst-facing file. The working database (opened only by the
pipeline) and the signed-off quarterly copies live in a folder beside it: PATH without suffix + ``.d/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WarehousePaths:
    published: Path

    @property
    def folder(self) -> Path:
        return self.published.with_suffix("").with_name(self.published.stem + ".d")

    @property
    def working(self) -> Path:
        return self.folder / "working.duckdb"

    @property
    def quarters(self) -> Path:
        return self.folder / "quarters"

    def quarter_snapshot(self, quarter_label: str) -> Path:
        """``2024/25 Q1`` -> quarters/2024-25_Q1.duckdb"""
        return self.quarters / (quarter_label.replace("/", "-").replace(" ", "_") + ".duckdb")

    def ensure(self) -> None:
        self.published.parent.mkdir(parents=True, exist_ok=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.quarters.mkdir(parents=True, exist_ok=True)
