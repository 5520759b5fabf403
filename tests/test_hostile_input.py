"""Hostile and broken input beyond the adapters' corpus (tests/test_broken_inputs.py): archives built to
exhaust memory, XML entities, oversized files, strange paths, symbolic links, a file replaced while it is
read, and YAML that tries to run code or expand.

What "refused quickly, memory bounded" means here is measured: the hostile files are judged in a fresh child
process (tests/harness/processes.py) that reports each file's time and the process's peak memory. The
hostile archives are small on disk; what they would expand to is the point.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from indicators.catalogue import CatalogueError, load_catalogue
from pipelines.landing_watch import LandingCursor, look
from reports.config import ReportConfigError, load_config
from sources.files import MAX_XLSX_PARTS, XML_PROLOG_BYTES
from sources.filing import REJECTED_DIR, REPORT_SUFFIX
from sources.landing import landing_files
from sources.validate import CHANGED_WHILE_READ, validate_file
from tests.harness.pipeline import Breakpoint, PipelineProcess, materialize_run
from tests.harness.processes import PROJECT_ROOT, child_env, validate_measured
from warehouse.connection import connect_read_only

pytestmark = pytest.mark.reliability("Hostile and broken input")

LIMIT_MB = 16  # the input limit the measured child runs with (OUTCOMES_MAX_INPUT_MB); XLSX may unpack to 4x
QUICK_SECONDS = 3.0  # a hostile file is refused within this (generous: two busy cores)
BOUNDED_MB = 100  # and the judging process grows by less than this
SHEET = "xl/worksheets/sheet1.xml"
NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
BILLION_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)) + "]>").encode()
RETURNS = "SAMPLE_returns_quarterly.csv"
FINGERTIPS = "SAMPLE_fingertips_90284.csv"


# ---------------------------------------------------------------- hostile workbooks, built here


def _workbook_parts() -> dict[str, bytes]:
    """The parts of a small, valid "years across columns" workbook (what the hostile ones start from)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "NI192"
    sheet.append(["Area code", "2019/20"])
    sheet.append(["E10000018", 44.1])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_zip(path: Path, parts: dict[str, bytes], level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _cells(megabytes: float, noise_every: int | None = None) -> bytes:
    """Sheet XML of ``megabytes`` of real cells; a random cell every ``noise_every`` rows keeps the
    compression ratio realistic (about 150 for 40, 400 for 200) instead of deflate's maximum (~1000)."""
    rng = random.Random(7)
    row = b'<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c></row>'
    block = row * (noise_every or 1000)
    chunks, size = [NS], len(NS)
    while size < megabytes * 1e6:
        chunk = block + (b'<row><c t="n"><v>%d</v></c></row>' % rng.randrange(10**9) if noise_every else b"")
        chunks.append(chunk)
        size += len(chunk)
    return b"".join([*chunks, b"</sheetData></worksheet>"])


def _with_doctype(xml: bytes, doctype: bytes) -> bytes:
    if xml.startswith(b"<?xml"):
        declaration, rest = xml.split(b"?>", 1)
        return declaration + b"?>" + doctype + rest
    return doctype + xml


def _declare_size(path: Path, member: str, size: int) -> None:
    """Rewrite the uncompressed size the archive declares for ``member`` (local header and directory)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        struct.pack_into("<I", data, archive.getinfo(member).header_offset + 22, size)
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if bytes(data[entry + 46:entry + 46 + name_length]) == member.encode():
            struct.pack_into("<I", data, entry + 24, size)
        entry = data.find(b"PK\x01\x02", entry + 4)
    path.write_bytes(bytes(data))


def _overlapping(path: Path, copies: int) -> Path:
    """An archive whose directory lists ``copies`` sheets that all point at one compressed sheet (the
    overlapping-entries zip bomb: each entry's sizes are honest, the compressed data is shared)."""
    _write_zip(path, {**_workbook_parts(), SHEET: _cells(4, noise_every=200)})
    data = path.read_bytes()
    end = data.rfind(b"PK\x05\x06")
    directory_size, directory_offset = struct.unpack_from("<II", data, end + 12)
    directory = data[directory_offset:directory_offset + directory_size]
    entries, position = [], 0
    while position < len(directory):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", directory, position + 28)
        entries.append(directory[position:position + 46 + name_length + extra_length + comment_length])
        position += 46 + name_length + extra_length + comment_length
    sheet = next(e for e in entries if e[46:46 + struct.unpack_from("<H", e, 28)[0]] == SHEET.encode())
    for n in range(2, copies + 1):
        name = f"xl/worksheets/sheet{n}.xml".encode()
        head = bytearray(sheet[:46])
        struct.pack_into("<HHH", head, 28, len(name), 0, 0)
        entries.append(bytes(head) + name)
    new_directory = b"".join(entries)
    tail = bytearray(data[end:end + 22])
    struct.pack_into("<HHII", tail, 8, len(entries), len(entries), len(new_directory), directory_offset)
    path.write_bytes(data[:directory_offset] + new_directory + bytes(tail))
    return path


RATIO, SIZE, LIAR, OVERLAP, PARTS = ("zip bomb: 60 MB of zeros in 58 KB (ratio over 1,000)",
                                     f"zip bomb: 80 MB of real cells at a normal ratio (over {4 * LIMIT_MB} MB)",
                                     "zip bomb: 100 MB of cells declared as 1 MB (the directory lies)",
                                     "zip bomb: 12 directory entries sharing one compressed sheet",
                                     f"archive of {MAX_XLSX_PARTS + 1:,} parts")
LAUGHS, LAUGHS_BOOK, XXE, PADDED = ("XML entity expansion (billion laughs) in a sheet",
                                    "XML entity expansion in the workbook part (sheet names)",
                                    "external entity (XXE) naming /etc/passwd",
                                    "DTD hidden behind 64 KB of comment")
HOSTILE_WORKBOOKS = [RATIO, SIZE, LIAR, OVERLAP, PARTS, LAUGHS, LAUGHS_BOOK, XXE, PADDED]


def _hostile_workbooks(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each of HOSTILE_WORKBOOKS -> (its file, words its refusal must contain)."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = _workbook_parts()
    liar = _write_zip(folder / "liar.xlsx", {**parts, SHEET: _cells(100)})
    _declare_size(liar, SHEET, 1_000_000)
    laughs = parts[SHEET].replace(b"<v>44.1</v>", b"<v>&lol9;</v>")
    xxe = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    padding = b"<!--" + b" " * (XML_PROLOG_BYTES + 10) + b"-->"
    many = {**parts, **{f"xl/media/part{n}.bin": b"" for n in range(MAX_XLSX_PARTS + 1)}}
    return {
        RATIO: (_write_zip(folder / "ratio.xlsx", {"xl/workbook.xml": parts["xl/workbook.xml"],
                                                   SHEET: NS + b"\0" * 60_000_000}, level=9), "times its size on disk"),
        SIZE: (_write_zip(folder / "size.xlsx", {**parts, SHEET: _cells(80, noise_every=40)}),
               f"the limits are {4 * LIMIT_MB} MB"),
        LIAR: (liar, "larger than its declared uncompressed size"),
        OVERLAP: (_overlapping(folder / "overlap.xlsx", 12), "refused"),
        PARTS: (_write_zip(folder / "parts.xlsx", many, level=1), "parts"),
        LAUGHS: (_write_zip(folder / "laughs-sheet.xlsx", {**parts, SHEET: _with_doctype(laughs, BILLION_LAUGHS)}),
                 "document type declaration"),
        LAUGHS_BOOK: (_write_zip(folder / "laughs-book.xlsx", {**parts, "xl/workbook.xml": _with_doctype(
            parts["xl/workbook.xml"].replace(b'name="NI192"', b'name="&lol9;"'), BILLION_LAUGHS)}),
            "document type declaration"),
        XXE: (_write_zip(folder / "xxe.xlsx", {**parts, SHEET: _with_doctype(
            parts[SHEET].replace(b"<v>44.1</v>", b"<v>&xxe;</v>"), xxe)}), "document type declaration"),
        PADDED: (_write_zip(folder / "padded.xlsx", {**parts, SHEET: _with_doctype(laughs, padding + BILLION_LAUGHS)}),
                 "prolog longer than any workbook has"),
    }


def _big_csv(sample_dir: Path, path: Path, megabytes: float) -> Path:
    """A Fingertips export of about ``megabytes`` (the sample's rows, repeated), written in tmp."""
    lines = (sample_dir / FINGERTIPS).read_bytes().splitlines(keepends=True)
    body = b"".join(lines[1:])
    with path.open("wb") as out:
        out.write(lines[0])
        while out.tell() < megabytes * 1e6:
            out.write(body)
    return path


@pytest.fixture(scope="module")
def measured(sample_dir, tmp_path_factory) -> dict:
    """Every hostile workbook, then an oversized CSV, then a large CSV under the limit, judged in that order
    in one child process with the input limit at LIMIT_MB."""
    folder = tmp_path_factory.mktemp("hostile")
    cases = _hostile_workbooks(folder)
    over = _big_csv(sample_dir, folder / "over the limit.csv", LIMIT_MB * 2.5)
    under = _big_csv(sample_dir, folder / "under the limit.csv", LIMIT_MB * 0.75)
    results = validate_measured([p for p, _ in cases.values()] + [over, under],
                                env={"OUTCOMES_MAX_INPUT_MB": str(LIMIT_MB)})
    results["cases"] = cases
    results["over"], results["under"] = over, under
    return results


@pytest.mark.parametrize("case", HOSTILE_WORKBOOKS)
def test_hostile_workbook_is_refused_quickly_with_bounded_memory(case, measured, proof):
    """A workbook built to exhaust memory or expand entities is refused, quickly, with a clear message,
    before calamine reads it (or by calamine at the size the archive declared), and memory stays bounded."""
    path, words = measured["cases"][case]
    found = measured["files"][path.name]
    grown = found["grew_mb"]
    proof.saw(f"{path.stat().st_size / 1e6:,.2f} MB on disk; refused in {found['seconds']:.2f} s, peak memory "
              f"+{grown:.0f} MB: \"{found['message'].split(': ', 1)[-1][:150]}\"")
    assert found["status"] == "rejected" and found["message"].startswith(path.name)
    assert words in found["message"], found["message"]
    assert found["seconds"] < QUICK_SECONDS
    assert grown < BOUNDED_MB


def test_an_oversized_csv_is_refused_unread_and_its_rows_counted(measured, proof):
    """A CSV over the configurable input size limit (OUTCOMES_MAX_INPUT_MB) is refused without being read
    into memory; its rows are still counted (streamed), so the loads table shows what was not loaded."""
    over, under = measured["over"], measured["under"]
    found, fine = measured["files"][over.name], measured["files"][under.name]
    lines = sum(1 for line in over.read_bytes().splitlines() if line.strip()) - 1
    assert "over the input size limit of 16.0 MB (OUTCOMES_MAX_INPUT_MB)" in found["message"]
    assert found["rows_read"] == lines
    assert found["grew_mb"] < BOUNDED_MB
    assert fine["rows_read"] > 0 and "size limit" not in fine["message"]
    proof.saw(f"{over.stat().st_size / 1e6:.0f} MB CSV, limit {LIMIT_MB} MB: refused in {found['seconds']:.2f} s, "
              f"{found['rows_read']:,} rows counted, peak memory +{found['grew_mb']:.0f} MB")
    proof.saw(f"{under.stat().st_size / 1e6:.0f} MB CSV under the limit: judged whole ({fine['rows_read']:,} rows) "
              f"in {fine['seconds']:.1f} s, peak memory +{fine['grew_mb']:.0f} MB "
              f"(about {fine['grew_mb'] / (under.stat().st_size / 1e6):.0f} times the file's size)")


@pytest.mark.slow
def test_a_1_gb_csv_in_a_full_run_is_refused_by_the_default_limit(sample_dir, tmp_path, proof):
    """A 1 GB CSV dropped into the landing folder beside a good file: `outcomes run` refuses it by the default
    input size limit without exhausting memory, loads the good file, and files the big one with its report."""
    landing = tmp_path / "landing"
    landing.mkdir()
    big = _big_csv(sample_dir, landing / "national extract.csv", 1000)
    shutil.copy2(sample_dir / RETURNS, landing / RETURNS)
    run = PipelineProcess(landing, tmp_path / "wh" / "outcomes.duckdb", tmp_path / "run").start()
    try:
        code = run.wait(timeout=900)
        _check_refused_in_a_run(run, code, landing, big.name, "over the input size limit of 512.0 MB")
        assert run.peak_memory_mb < 1000, "the run used as much memory as the file is large"
        proof.saw(f"{(landing / REJECTED_DIR / big.name).stat().st_size / 1e9:.2f} GB file; run exit {code}; "
                  f"peak memory of the whole run {run.peak_memory_mb:.0f} MB; good file loaded; big file in "
                  "rejected/ with its report")
    finally:
        for path in (landing / big.name, landing / REJECTED_DIR / big.name):
            path.unlink(missing_ok=True)


def test_an_oversized_csv_in_a_run_is_refused_and_filed(sample_dir, tmp_path, proof):
    """The same through `outcomes run` with a lowered limit: the good file loads, the oversized one goes to
    rejected/ with its report, and the run's peak memory stays below what reading it would need."""
    landing = tmp_path / "landing"
    landing.mkdir()
    big = _big_csv(sample_dir, landing / "national extract.csv", 60)
    shutil.copy2(sample_dir / RETURNS, landing / RETURNS)
    run = PipelineProcess(landing, tmp_path / "wh" / "outcomes.duckdb", tmp_path / "run",
                          env={"OUTCOMES_MAX_INPUT_MB": "8"}).start()
    code = run.wait(timeout=300)
    _check_refused_in_a_run(run, code, landing, big.name, "over the input size limit of 8.0 MB")
    proof.saw(f"60 MB CSV with the limit at 8 MB: run exit {code}, peak memory {run.peak_memory_mb:.0f} MB; "
              "good file loaded; the big one in rejected/ with its report; its rows counted in loads")


def _check_refused_in_a_run(run: PipelineProcess, code: int, landing: Path, name: str, words: str) -> None:
    assert code == 2, run.output()[-3000:]
    assert (landing / "processed" / RETURNS).is_file()
    report = (landing / REJECTED_DIR / (name + REPORT_SUFFIX)).read_text(encoding="utf-8")
    assert words in report
    with connect_read_only(run.published) as con:
        rows = dict(con.execute("SELECT source_file, rows_read FROM loads WHERE status = 'rejected'").fetchall())
        assert rows.keys() == {name} and rows[name] > 0
        assert con.execute("SELECT count(*) FROM observations WHERE source_file = $1", [RETURNS]).fetchall()[0][0]


# ---------------------------------------------------------------- paths, links, pipes, files that change


STRANGE_NAMES = ["Leics returns – été 2024 (final).csv", "-starts with a dash.csv", "returns..v2 ; 'q' \"dq\".csv",
                 "名前 データ.csv", "line\nbreak.csv"]
HIDDEN = "..starts with two dots.csv"  # hidden, like an editor's temporary file: never an input (README)


def test_strange_path_names_load_and_file_under_their_own_names(sample_dir, tmp_path, proof):
    """A landing folder reached through `..`, with spaces and non-ASCII letters in its path, holding files
    whose names have spaces, unicode, quotes, a leading dash, a line break and `..`: each loads and is filed
    under exactly its own name."""
    real = tmp_path / "Données – été 2024" / "landing folder"
    real.mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    landing = tmp_path / "elsewhere" / ".." / "Données – été 2024" / "landing folder"
    sources = sorted(p for p in sample_dir.iterdir() if p.name.startswith("SAMPLE_dfe_neet"))
    for name, source in zip([*STRANGE_NAMES, HIDDEN], sources, strict=False):
        shutil.copy2(source, real / name)
    published = tmp_path / "wh ü" / "out comes.duckdb"
    assert materialize_run(landing, published).success
    assert sorted(p.name for p in (real / "processed").iterdir()) == sorted(STRANGE_NAMES)
    assert landing_files(real) == [] and (real / HIDDEN).is_file()  # the hidden one is left alone
    with connect_read_only(published) as con:
        loaded = sorted(r[0] for r in con.execute("SELECT source_file FROM loads WHERE rows_accepted > 0").fetchall())
    assert loaded == sorted(STRANGE_NAMES)
    proof.saw(f"{len(STRANGE_NAMES)} files, e.g. {STRANGE_NAMES[2]!r} and {STRANGE_NAMES[4]!r}: all loaded and "
              "filed in processed/ under their own names; landing path with `..`, spaces and accents; "
              f"{HIDDEN!r} left alone as a hidden file")


def test_links_out_of_the_landing_folder_are_refused_unread(sample_dir, tmp_path, proof):
    """Symbolic links in the landing folder (to a valid file outside it, to /etc/passwd, to nothing, to a
    file inside it) are refused unread and filed to rejected/ with a report; a named pipe is left alone
    (reading it would wait for ever); the good file loads and the run finishes."""
    landing = tmp_path / "landing"
    outside = tmp_path / "outside"
    landing.mkdir()
    outside.mkdir()
    shutil.copy2(sample_dir / RETURNS, outside / "returns.csv")  # valid: would load if it were read
    shutil.copy2(sample_dir / FINGERTIPS, landing / FINGERTIPS)
    links = {"outside.csv": outside / "returns.csv", "passwd.csv": Path("/etc/passwd"),
             "dangling.csv": tmp_path / "nothing-here.csv", "inside.csv": landing / FINGERTIPS}
    for name, target in links.items():
        (landing / name).symlink_to(target)
    os.mkfifo(landing / "pipe.csv")
    before = (outside / "returns.csv").read_bytes()

    tick = look(landing, LandingCursor(), now=time.time() + 3600)  # all settled; never reads through a link
    assert sorted(name for name, _ in tick.ready) == sorted([*links, FINGERTIPS])

    run = PipelineProcess(landing, tmp_path / "wh" / "outcomes.duckdb", tmp_path / "run").start()
    code = run.wait(timeout=300)
    assert code == 2, run.output()[-3000:]
    rejected = landing / REJECTED_DIR
    for name, target in links.items():
        assert (rejected / name).is_symlink() and os.readlink(rejected / name) == str(target)
        assert "refused unread: this is a symbolic link" in (rejected / (name + REPORT_SUFFIX)).read_text()
    assert (landing / "processed" / FINGERTIPS).is_file()
    assert (landing / "pipe.csv").exists() and not (landing / "pipe.csv").is_file()
    assert (outside / "returns.csv").read_bytes() == before
    with connect_read_only(run.published) as con:
        refused = con.execute("SELECT source_file, rows_read, rows_accepted FROM loads WHERE status = 'rejected' "
                              "ORDER BY 1").fetchall()
        from_outside = con.execute("SELECT count(*) FROM observations WHERE source_file IN "
                                   "('outside.csv', 'inside.csv')").fetchall()[0][0]
    assert refused == [(name, 0, 0) for name in sorted(links)] and from_outside == 0
    proof.saw(f"links {sorted(links)}: each refused unread, moved (as a link) to rejected/ with a report; "
              f"nothing loaded through them; the pipe left alone; run exit {code}, the good file loaded")


def test_a_file_replaced_while_being_read_is_not_judged_and_is_read_again(sample_dir, tmp_path, proof):
    """A landing file replaced by a new version after the run took its checksum but before it read it: the
    checksum after reading differs, so nothing from it is loaded, it stays in the landing folder, and the
    next run loads the new version."""
    landing = tmp_path / "landing"
    landing.mkdir()
    name = "returns.csv"
    original = (sample_dir / RETURNS).read_text(encoding="utf-8")
    (landing / name).write_text(original, encoding="utf-8")
    header, first, *rest = original.splitlines(keepends=True)
    cells = first.split(",")
    value_at = header.split(",").index("value")
    cells[value_at] = str(round(float(cells[value_at]) + 1.25, 2))
    revised = header + ",".join(cells) + "".join(rest)
    published = tmp_path / "wh" / "outcomes.duckdb"

    point = Breakpoint("sources.validate:check_input", match=name, when="before")  # checksum taken, not yet read
    run = PipelineProcess(landing, published, tmp_path / "run", point).start()
    run.wait_for_breakpoint()
    replacement = landing / ".incoming"
    replacement.write_text(revised, encoding="utf-8")
    os.replace(replacement, landing / name)  # how an editor or a copy tool replaces a file
    run.resume()
    code = run.wait(timeout=300)
    assert code == 2, run.output()[-3000:]
    assert (landing / name).read_text(encoding="utf-8") == revised  # left in place for the next run
    with connect_read_only(published) as con:
        (status, message, checksum, rows), = con.execute(
            "SELECT status, message, checksum, rows_accepted FROM loads").fetchall()
        assert con.execute("SELECT count(*) FROM observations").fetchall() == [(0,)]
    assert status == "rejected" and "changed while it was being read" in message and rows == 0
    assert checksum.endswith(CHANGED_WHILE_READ)

    assert materialize_run(landing, published).success
    with connect_read_only(published) as con:
        loaded = con.execute("SELECT count(*) FROM observations WHERE source_file = $1", [name]).fetchall()[0][0]
    assert loaded == len(rest) + 1 and (landing / "processed" / name).read_text(encoding="utf-8") == revised
    proof.saw(f"replaced between the checksum and the read: run exit {code}, load recorded as rejected "
              f"(\"{message.split(': ', 1)[1][:60]}...\"), nothing loaded, file left in landing; the next run "
              f"loaded the new version ({loaded} rows)")


def test_validate_file_notices_a_change_during_the_read(sample_dir, tmp_path, context, monkeypatch, proof):
    """The same check without a pipeline: the adapter reads one version while the file becomes another."""
    path = tmp_path / "returns.csv"
    shutil.copy2(sample_dir / RETURNS, path)
    from sources.registry import detect_adapter

    adapter = detect_adapter(path)
    original_read = type(adapter).read

    def read_then_replace(self, file: Path):
        frame = original_read(self, file)
        file.write_bytes(file.read_bytes() + b"\r\n")  # one more (blank) line: other bytes
        return frame

    monkeypatch.setattr(type(adapter), "read", read_then_replace)
    result = validate_file(path, context, adapter)
    assert result.file_error and "changed while it was being read" in result.file_error
    assert result.rows_read == 0 and result.reconciles and result.checksum.endswith(CHANGED_WHILE_READ)
    proof.saw(f"rewritten during the adapter's read: {result.summary().splitlines()[-1].strip()[:120]}")


# ---------------------------------------------------------------- YAML


def _layer(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "layer.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_catalogue_yaml_with_python_object_tags_cannot_run_code(tmp_path, proof):
    """A catalogue layer with Python object tags (os.system, a Python name) is refused with a clear message
    and nothing runs: the catalogue is read with safe loading only."""
    marker = tmp_path / "pwned"
    bodies = {
        "object/apply": f'outcome: cgf\nindicators:\n  - !!python/object/apply:os.system ["touch {marker}"]\n',
        "name": "outcome: cgf\nindicators: !!python/name:os.system\n",
        "object/new": f'outcome: cgf\nx: !!python/object/new:subprocess.Popen [["touch", "{marker}"]]\n',
    }
    for tag, body in bodies.items():
        with pytest.raises(CatalogueError, match="not valid YAML: could not determine a constructor for the tag"):
            load_catalogue([_layer(tmp_path, body)], include_env=False)
        assert not marker.exists(), f"!!python/{tag} ran"
    done = subprocess.run([Path(sys.executable).with_name("outcomes"), "validate", "--catalogue",
                           str(_layer(tmp_path, bodies["object/apply"])), str(tmp_path / "layer.yaml")],
                          capture_output=True, text=True, env=child_env(), cwd=PROJECT_ROOT, timeout=120)
    assert done.returncode != 0 and "could not determine a constructor" in done.stderr + done.stdout
    assert not marker.exists()
    with pytest.raises(ReportConfigError, match="could not determine a constructor"):
        load_config(_layer(tmp_path, bodies["object/apply"]))
    assert not marker.exists()
    proof.saw(f"tags {sorted(bodies)} in a catalogue layer and in the report configuration: refused, nothing "
              f"ran (also through `outcomes validate --catalogue`, exit {done.returncode})")


def test_yaml_alias_bombs_are_refused_at_once(tmp_path, proof):
    """Nested YAML aliases ("billion laughs": ten lines that expand to a billion values) in a catalogue
    layer or the report configuration are refused in well under a second, naming the line."""
    lines = ["outcome: cgf", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    body = "\n".join([*lines, "indicators: []"]) + "\n"
    started = time.perf_counter()
    with pytest.raises(CatalogueError, match=r"found the alias \*a0: aliases are not allowed") as caught:
        load_catalogue([_layer(tmp_path, body)], include_env=False)
    with pytest.raises(ReportConfigError, match="aliases are not allowed"):
        load_config(_layer(tmp_path, body))
    seconds = time.perf_counter() - started
    assert seconds < 2 and "line 3" in str(caught.value)
    proof.saw(f"10^9-value alias bomb: refused in {seconds:.2f} s at line 3 (before the fix: 33 s and a "
              "MemoryError under a 4 GB limit)")
