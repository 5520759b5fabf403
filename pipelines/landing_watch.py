"""When the landing folder should start a run: the landing sensor's per-file cursor, without Dagster.

Why per file (not the folder's mtime): a folder's mtime misses a file rewritten in place and fires for
files that are only being moved out. Each file is remembered by name with its size, mtime and checksum:

- a new or changed file triggers one run once it is complete: its size and mtime are the same as at the
  previous tick, or it was last written more than ``settle_seconds`` ago;
- a file still being written (size or mtime changing, and written recently) waits;
- a file already requested does not trigger again until it changes (a rejected file that stays in the
  folder, or one whose run failed, is not retried in a loop);
- a file whose bytes were requested before under any name (a duplicate moved back in) triggers nothing;
  it rides along with the next run so that it is filed away.

The cursor is JSON (Dagster stores it between ticks); its checksum memory is bounded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sources.files import file_checksum
from sources.landing import landing_files

SETTLE_SECONDS = 60.0
REMEMBERED_CHECKSUMS = 10_000


class State:
    WAITING = "waiting"
    REQUESTED = "requested"
    DUPLICATE = "duplicate"


@dataclass
class SeenFile:
    size: int
    mtime_ns: int
    state: str
    checksum: str | None = None


@dataclass
class LandingCursor:
    files: dict[str, SeenFile] = field(default_factory=dict)
    requested: dict[str, str] = field(default_factory=dict)  # checksum -> file name, oldest first

    def to_json(self) -> str:
        return json.dumps({"files": {k: asdict(v) for k, v in sorted(self.files.items())},
                           "requested": self.requested}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | None) -> LandingCursor:
        if not text:
            return cls()
        data = json.loads(text)
        return cls({k: SeenFile(**v) for k, v in data.get("files", {}).items()}, dict(data.get("requested", {})))


@dataclass(frozen=True)
class Tick:
    """What one look at the landing folder found."""

    cursor: LandingCursor
    ready: list[tuple[str, str]]  # (file name, checksum) new or changed, complete: these trigger a run
    waiting: list[str]  # still being written
    duplicates: list[tuple[str, str]]  # (file name, name it repeats): filed by the next run, trigger nothing

    @property
    def run_files(self) -> list[str]:
        """The files a triggered run judges: the ready ones and the duplicates waiting to be filed."""
        return sorted({name for name, _ in self.ready} | {name for name, _ in self.duplicates})

    @property
    def run_key(self) -> str:
        """One key per set of file versions, so the same versions never start two runs."""
        digest = hashlib.sha256("\n".join(f"{n}:{c}" for n, c in sorted(self.ready)).encode()).hexdigest()
        return f"landing-{digest[:20]}"


def look(landing: Path, cursor: LandingCursor, now: float, settle_seconds: float = SETTLE_SECONDS) -> Tick:
    """Compare the landing folder with the cursor; return the new cursor and what to do."""
    files: dict[str, SeenFile] = {}
    requested = dict(cursor.requested)
    ready: list[tuple[str, str]] = []
    waiting: list[str] = []
    duplicates: list[tuple[str, str]] = []
    for path in landing_files(landing):
        try:
            stat = path.lstat()  # a symbolic link by its own metadata: never followed (the run refuses it)
        except FileNotFoundError:  # moved out between listing and looking
            continue
        name, size, mtime_ns = path.name, stat.st_size, stat.st_mtime_ns
        before = cursor.files.get(name)
        same_as_before = before is not None and (before.size, before.mtime_ns) == (size, mtime_ns)
        if same_as_before and before.state != State.WAITING:
            files[name] = before
            if before.state == State.DUPLICATE:
                duplicates.append((name, requested.get(before.checksum or "", "")))
            continue
        settled = same_as_before or now - stat.st_mtime > settle_seconds
        if not settled:
            files[name] = SeenFile(size, mtime_ns, State.WAITING)
            waiting.append(name)
            continue
        checksum = file_checksum(path)
        if checksum in requested:
            files[name] = SeenFile(size, mtime_ns, State.DUPLICATE, checksum)
            duplicates.append((name, requested[checksum]))
            continue
        files[name] = SeenFile(size, mtime_ns, State.REQUESTED, checksum)
        requested[checksum] = name
        ready.append((name, checksum))
    while len(requested) > REMEMBERED_CHECKSUMS:
        requested.pop(next(iter(requested)))
    return Tick(LandingCursor(files, requested), ready, waiting, duplicates)
