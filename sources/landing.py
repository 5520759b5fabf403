"""The landing folder: which files are waiting and which adapter reads each one.

Only files directly in the folder are considered (``processed/`` and ``rejected/`` hold finished files);
hidden files and the README the sample generator writes are not inputs, nor are folders, pipes or devices
(reading a pipe would wait for ever). A symbolic link is listed, so that it is refused with a message
(sources.files.check_input) and filed to ``rejected/`` rather than silently ignored; it is never read through.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sources.files import FileRejected
from sources.registry import INPUT_SUFFIXES, detect_adapter

UNRECOGNISED = "unrecognised"


@dataclass(frozen=True)
class LandingFile:
    path: Path
    adapter_id: str  # an adapter id, or UNRECOGNISED
    problem: str | None = None


def landing_files(landing: Path) -> list[Path]:
    if not landing.is_dir():
        return []
    return sorted(p for p in landing.iterdir()
                  if (p.is_symlink() or p.is_file()) and not p.name.startswith(".")
                  and p.suffix.lower() in INPUT_SUFFIXES)


def classify(landing: Path) -> list[LandingFile]:
    """Every waiting file with the adapter that reads it (by content), or why none does."""
    out = []
    for path in landing_files(landing):
        try:
            out.append(LandingFile(path, detect_adapter(path).id))
        except FileRejected as exc:
            out.append(LandingFile(path, UNRECOGNISED, str(exc)))
    return out
