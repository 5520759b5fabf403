"""Progress of long work: a bar per stage on a terminal, plain periodic lines in logs and CI.

Why both: the BI team watches ``outcomes run`` in a terminal, while schedulers and CI keep logs where a
redrawn bar is noise. Each stage counts units (files, rows) done of a known total and shows the rate and
the time left. No Dagster here: the CLI and bench/ use it, and Dagster materialisations log the same counts
(pipelines.intake).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

LINE_EVERY_S = 5.0  # plain lines: at most one per this many seconds (and one at the end)


class Progress:
    """One stage: ``update(done)`` as work proceeds, ``finish()`` at the end."""

    def __init__(self, stage: str, total: int, unit: str = "rows", stream: TextIO | None = None,
                 tty: bool | None = None):
        self.stage = stage
        self.total = max(total, 0)
        self.unit = unit
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.started = time.perf_counter()
        self.done = 0
        self._last_line = self.started

    def text(self) -> str:
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 and self.total else 0.0
        share = self.done / self.total if self.total else 1.0
        return (f"{self.stage}: {self.done:,}/{self.total:,} {self.unit} ({share:4.0%}), "
                f"{rate:,.0f} {self.unit}/s, {left:,.0f} s left")

    def update(self, done: int) -> None:
        self.done = done
        now = time.perf_counter()
        if self.tty:
            width = 30
            filled = int(width * (self.done / self.total if self.total else 1.0))
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.text()}\x1b[K")
            self.stream.flush()
        elif now - self._last_line >= LINE_EVERY_S:
            self._last_line = now
            print(self.text(), file=self.stream, flush=True)

    def finish(self) -> None:
        elapsed = time.perf_counter() - self.started
        line = f"{self.stage}: {self.done:,} {self.unit} in {elapsed:,.1f} s"
        if self.tty:
            self.stream.write(f"\r{line}\x1b[K\n")
            self.stream.flush()
        else:
            print(line, file=self.stream, flush=True)
