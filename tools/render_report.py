"""Render a report's HTML page to PNG with headless Chromium, to look at it as a reader would.

Usage (from the project root; needs Debian's ``chromium`` package: ``apt-get install chromium``):

    .venv/bin/python tools/render_report.py build/warehouse/reports/scrutiny_2024-25_Q1.html report.png \
        [--width 1400] [--height 5000]

The page is self-contained, so Chromium runs with networking and background services off. The window is
``--width`` x ``--height`` pixels; the PNG shows that much of the page from the top. tests/test_reports_html.py
uses the same function and skips when Chromium is absent.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars"]


def find_chromium() -> str | None:
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def render_png(html: Path, png: Path, width: int = 1400, height: int = 5000, timeout: float = 120) -> Path:
    """Screenshot ``html`` into ``png``; raises RuntimeError naming what failed."""
    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError("Chromium not found (apt-get install chromium)")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [chromium, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                   f"--screenshot={png.resolve()}", html.resolve().as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not png.is_file():
        raise RuntimeError(f"Chromium failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=5000)
    args = parser.parse_args(argv)
    try:
        print(render_png(args.html, args.png, args.width, args.height))
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
