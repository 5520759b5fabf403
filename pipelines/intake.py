"""Taking landing files in, for a source asset: judge and load each file, then file it away.

Wiring only: ``warehouse.ingest`` judges (through ``sources.validate``) and loads, ``sources.filing`` moves
the file to processed/ or rejected/ and writes the rejection report, ``warehouse.status`` says where an
earlier delivery of the same bytes went. Each file is loaded and filed before the next one (the next ones
are only judged meanwhile, which writes nothing), so a failure leaves every later file untouched in the
landing folder and names the file it stopped at.
"""

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.progress import Progress
from sources.adapters.base import Adapter
from sources.files import file_checksum
from sources.filing import Destination, Filed, file_duplicate, file_judged
from sources.landing import LandingFile
from sources.validate import FileResult, ValidationContext
from warehouse.ingest import Ingested, ingest_each, record_unreadable
from warehouse.status import earlier_load


@dataclass(frozen=True)
class TakenIn:
    """One landing file after this run: what sources/ judged (None if its bytes were loaded before) and
    where it went."""

    ingested: Ingested
    filed: Filed

    @property
    def result(self) -> FileResult | None:
        return self.ingested.result

    @property
    def needs_action(self) -> bool:
        return self.filed.destination is Destination.REJECTED


def select_files(waiting: Sequence[LandingFile], adapter_id: str, only: Sequence[str] | None,
                 log: Callable[[str], None]) -> list[LandingFile]:
    """The waiting files this adapter reads: all of them, or only those the landing sensor named (files
    still being written wait for a later run). ``waiting`` is every file in the landing folder."""
    mine = [f for f in waiting if f.adapter_id == adapter_id]
    if only is None:
        return mine
    gone = set(only) - {f.path.name for f in waiting}
    if gone:
        log(f"named by the sensor but no longer in the landing folder: {', '.join(sorted(gone))}")
    return [f for f in mine if f.path.name in set(only)]


def take_in_one(con: duckdb.DuckDBPyConnection, file: LandingFile, landing: Path,
                loaded: Iterator[Ingested] | None) -> TakenIn:
    """Load (one transaction) and file one landing file: the next of ``loaded`` (warehouse.ingest), or,
    with None (no adapter reads the file), its record as unreadable."""
    if loaded is None:
        done = record_unreadable(con, file.path, file.problem or "matches no known source format")
    else:
        done = next(loaded)
    if done.result is not None:
        return TakenIn(done, file_judged(done.result, landing))
    earlier = earlier_load(con, int(done.outcome.duplicate_of))
    return TakenIn(done, file_duplicate(file.path, landing, file_checksum(file.path), earlier))


def take_in(con: duckdb.DuckDBPyConnection, files: Sequence[LandingFile], landing: Path,
            context: ValidationContext, adapter: Adapter | None, log: Callable[[str], None]) -> list[TakenIn]:
    """Take every file in, in order; a failure names the file it stopped at and says what to do. Each file's
    counts go to ``log`` (the materialisation's log); on a terminal a progress bar shows files and rows."""
    taken: list[TakenIn] = []
    bar = Progress("take in", len(files), "files") if files and sys.stderr.isatty() else None
    loaded = ingest_each(con, [f.path for f in files], context, adapter) if adapter is not None else None
    try:
        for n, file in enumerate(files, start=1):
            try:
                one = take_in_one(con, file, landing, loaded)
            except Exception as exc:
                reports = [f"  {t.filed.source.name}: rejection report {t.filed.report.resolve()}"
                           for t in taken if t.filed.report is not None]
                raise dg.Failure(
                    description=(
                        f"Stopped at landing file {file.path.name}: {type(exc).__name__}: {exc}\n"
                        f"Nothing from {file.path.name} was loaded (each file is one transaction) and it is still in "
                        f"{landing}. The {len(taken)} file(s) before it were loaded and filed"
                        + (", with rejections:\n" + "\n".join(reports) if reports else ".") + "\n"
                        "What to do: if the message names a problem in the file, correct the file; otherwise send "
                        "this message and the run id to the pipeline's maintainers. Then run again (the landing "
                        "sensor starts a run when the file changes, or launch the job from the UI)."),
                    metadata={"file": str(file.path), "error": f"{type(exc).__name__}: {exc}"},
                    allow_retries=False,
                ) from exc
            taken.append(one)
            log(_progress_line(n, len(files), one))
            if bar is not None:
                bar.update(n)
    finally:
        if loaded is not None:  # also on success: ends the take-in (DuckDB's threads restored, judges closed)
            loaded.close()  # after a failure, the files judged ahead are dropped, not loaded
    if bar is not None:
        bar.finish()
    return taken


def _progress_line(n: int, total: int, one: TakenIn) -> str:
    where = one.filed.moved_to or one.filed.source
    head = one.result.summary().replace("\n", ";") if one.result else f"{one.filed.source.name}: {one.filed.note}"
    return f"{n}/{total} {head} -> {one.filed.destination.value}: {where}"
