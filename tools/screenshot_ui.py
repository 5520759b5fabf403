"""Screenshot the Dagster UI's asset graph: start `dagster dev` from the project root, look with headless Chromium.

Why: to see that the graph reads well to the BI team (names, groups, kinds, check badges) after a real run.

    .venv/bin/python tools/screenshot_ui.py            # writes build/ui/*.png
    .venv/bin/python tools/screenshot_ui.py --no-run   # the graph only, nothing materialised

What it does, all on 127.0.0.1 and in a demo folder (build/ui/demo) so the project's own run history and
landing folder are untouched:
1. writes SAMPLE DATA into a demo landing folder and runs `outcomes run` into a demo warehouse, recorded in
   a demo Dagster instance (DAGSTER_HOME = build/ui/demo/home, with this project's dagster.yaml settings);
2. starts `dagster dev -h 127.0.0.1` from the project root (this code location) on that instance, with the
   OUTCOMES_* variables pointing at the demo folder;
3. drives Debian's `chromium` (headless, over the DevTools protocol) to each page, dismisses the first-visit
   dialog, waits until the graph has drawn, and saves a PNG per page.
Needs: `apt-get install chromium`. Stops every process it started.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"]
WIDTH, HEIGHT, SCALE = 1800, 1000, 1.25
PAGES = {  # file name -> (path in the UI, text that shows the page has drawn, is the asset graph)
    "asset-graph": ("/asset-groups", "sources", True),
    "source-checks": ("/assets/source_fingertips_csv?view=checks", "rows_reconcile", False),
    "automation": ("/automation", "landing_sensor", False),
}
DISMISS_DIALOG = """(() => { for (const b of document.querySelectorAll('button')) {
    if (b.textContent.trim() === 'Skip') { b.click(); return true; } } return false; })()"""
# More room for the graph: hide the main navigation and the asset tree beside the graph.
HIDE_PANELS = """(() => { for (const b of document.querySelectorAll('button')) {
    const icon = b.querySelector('[aria-label]');
    if (b.innerText.trim() === 'Hide navigation' || /^panel_show/.test(icon ? icon.getAttribute('aria-label') : ''))
        b.click(); } })()"""


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {seconds:.0f} s")


def demo_instance(demo: Path) -> Path:
    """A Dagster home with this project's dagster.yaml, its storage folders moved into the demo folder."""
    home = demo / "home"
    home.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "dagster.yaml").read_text(encoding="utf-8").replace("base_dir: .dagster/", f"base_dir: {home}/")
    (home / "dagster.yaml").write_text(text, encoding="utf-8")
    return home


class Browser:
    """Headless Chromium driven over the DevTools protocol (one tab)."""

    def __init__(self, port: int, profile: Path) -> None:
        self.process = subprocess.Popen(
            ["chromium", *CHROMIUM_FLAGS, f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(f"http://127.0.0.1:{port}/json/version", 30)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
            tab = next(t for t in json.load(response) if t["type"] == "page")
        self.stack = ExitStack()
        self.socket = self.stack.enter_context(connect(tab["webSocketDebuggerUrl"], max_size=None, open_timeout=10))
        self.next_id = 0
        self.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=SCALE,
                  mobile=False)

    def call(self, method: str, **params: object) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression: str) -> object:
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def expand_all_groups(self) -> None:
        """The UI's own shortcut for "Expand all groups" (Alt+E), so every asset shows inside its group."""
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, modifiers=1, key="e", code="KeyE", windowsVirtualKeyCode=69)

    def shoot(self, url: str, ready_text: str, out: Path, graph: bool, seconds: float = 60) -> None:
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.evaluate(DISMISS_DIALOG)
            if self.evaluate(f"document.body && document.body.innerText.includes({json.dumps(ready_text)})"):
                break
            time.sleep(0.5)
        else:
            raise TimeoutError(f"{url}: {ready_text!r} did not appear within {seconds:.0f} s")
        if graph:
            self.evaluate(HIDE_PANELS)
            time.sleep(1)
            self.expand_all_groups()
        time.sleep(4)  # let the graph finish its layout animation
        self.evaluate(DISMISS_DIALOG)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        out.write_bytes(base64.b64decode(data))
        print(f"wrote {out} ({out.stat().st_size // 1024} KB) from {url}")

    def close(self) -> None:
        self.stack.close()
        self.process.terminate()
        self.process.wait(timeout=20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "ui"), help="folder for the PNGs (default %(default)s)")
    parser.add_argument("--port", type=int, default=3133, help="port for dagster dev on 127.0.0.1")
    parser.add_argument("--devtools-port", type=int, default=9333)
    parser.add_argument("--no-run", action="store_true", help="do not run the pipeline on SAMPLE DATA first")
    args = parser.parse_args(argv)
    if shutil.which("chromium") is None:
        print("chromium not found: apt-get install chromium", file=sys.stderr)
        return 1
    out = Path(args.out)
    demo = out / "demo"
    shutil.rmtree(demo, ignore_errors=True)
    env = {**os.environ, "DAGSTER_HOME": str(demo_instance(demo)),
           "OUTCOMES_LANDING": str(demo / "landing"), "OUTCOMES_WAREHOUSE": str(demo / "warehouse" / "outcomes.duckdb"),
           "OUTCOMES_ALERTS_LOG": str(demo / "alerts.log")}
    if not args.no_run:
        subprocess.run([BIN / "outcomes", "sample", env["OUTCOMES_LANDING"]], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([BIN / "outcomes", "run", "--quarter", "2024/25 Q4", "--log-level", "WARNING"], cwd=ROOT,
                       env=env, check=False)  # exit 2 (rejections) still draws a graph worth seeing
    dev = subprocess.Popen([BIN / "dagster", "dev", "-h", "127.0.0.1", "-p", str(args.port)], cwd=ROOT, env=env,
                           stdout=(demo / "dagster-dev.log").open("w"), stderr=subprocess.STDOUT,
                           start_new_session=True)
    browser = None
    try:
        base = f"http://127.0.0.1:{args.port}"
        wait_for(f"{base}/server_info", 120)
        browser = Browser(args.devtools_port, demo / "chromium-profile")
        for name, (path, ready, graph) in PAGES.items():
            browser.shoot(base + path, ready, out / f"{name}.png", graph)
    finally:
        if browser is not None:
            browser.close()
        os.killpg(dev.pid, 15)  # dagster dev and the daemon and webserver it started, by their group id
        dev.wait(timeout=60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
