"""botlint under process faults: killed runs, closed or full output, readers that go away, full
disks, parallel writers, and a report aimed at one of its own inputs.

The process-tree tests (slow tier) read /proc (Linux); the full-disk tests mount a small tmpfs
in a user namespace (`unshare`) and are skipped, with the reason, where that is not allowed.
"""

from __future__ import annotations

import errno
import io
import json
import multiprocessing
import os
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from linter.cli import main
from linter.files import write_file

REPO = Path(__file__).resolve().parents[1]
BOTLINT = [sys.executable, "-m", "linter"]
# As a user's shell runs botlint: standard output block-buffered in a pipe (this environment may not).
BUFFERED = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
FINDING = 'flow f{index}:\n  step s:\n    goto nowhere\n'  # BL001, an error, with a hint
LINUX_PROC = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")


def write_flows(folder: Path, count: int, flows_per_file: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        text = "".join(FINDING.format(index=index) for index in range(flows_per_file))
        (folder / f"f{number}.flow").write_text(text, encoding="utf-8")
    return folder


# --- killed runs (defect: orphaned workers) -------------------------------------------------

def _state_and_parent(pid: int) -> tuple[str, int] | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1])


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            info = _state_and_parent(int(entry))
            if info and info[1] == parent:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    info = _state_and_parent(pid)
    return info is not None and info[0] != "Z"


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _start_parallel_run(tmp_path: Path, **popen) -> tuple[subprocess.Popen, list[int]]:
    """`botlint check --jobs 2` on enough flows to be still linting (and filling its cache), read
    through a pipe (as `| cat` reads it); returns once both workers run."""
    write_flows(tmp_path / "flows", 1500)
    botlint = subprocess.Popen([*BOTLINT, "check", "--jobs", "2", "flows"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=BUFFERED,
                               preexec_fn=_as_in_a_terminal, **popen)
    if not _wait_for(lambda: len(_children(botlint.pid)) >= 2 or botlint.poll() is not None, 60):
        botlint.kill()
        pytest.fail("the workers never started")
    assert botlint.poll() is None, "the run ended before it could be stopped"
    return botlint, _children(botlint.pid)


def _as_in_a_terminal() -> None:
    """Ctrl-C as a terminal's foreground job gets it: a shell starts a background job (`cmd &`,
    as some CI runners start the tests) with SIGINT ignored, and a child inherits that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _read_to_end(stream, seconds: float) -> bool:
    """Whether `stream` reaches end of file (every writer gone) within `seconds`."""
    reader = threading.Thread(target=stream.read, daemon=True)
    reader.start()
    reader.join(seconds)
    return not reader.is_alive()


def _stop(botlint: subprocess.Popen, workers: list[int]) -> None:
    """A failed test must not leave them running (a worker only while its number is still one of
    botlint's: numbers are reused)."""
    if botlint.poll() is None:
        botlint.kill()
    botlint.wait()
    for pid in workers:
        try:
            if _alive(pid) and b"linter" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


@pytest.mark.slow  # process trees: a few seconds
@LINUX_PROC
@pytest.mark.parametrize("stop, code, line", [
    (signal.SIGKILL, -signal.SIGKILL, None),
    (signal.SIGTERM, 143, "botlint: terminated"),
    (signal.SIGINT, 130, "botlint: interrupted"),
])
def test_a_stopped_run_takes_its_workers_with_it_and_closes_the_pipe(tmp_path, stop, code, line):
    botlint, workers = _start_parallel_run(tmp_path)
    try:
        started = time.monotonic()
        os.kill(botlint.pid, stop)
        assert _read_to_end(botlint.stdout, 10), "the report's pipe stays open"
        assert botlint.wait(timeout=10) == code
        assert time.monotonic() - started < 10
        assert _wait_for(lambda: not any(map(_alive, workers)), 5), "a worker outlived its parent"
        errors = botlint.stderr.read().decode()
        if line is not None:
            assert errors == line + "\n"
            assert not list(tmp_path.rglob("*.tmp")), "a cache entry was left half-written"
    finally:
        _stop(botlint, workers)


@pytest.mark.slow
@LINUX_PROC
def test_ctrl_c_stops_the_whole_run_with_one_line(tmp_path):
    # A terminal sends SIGINT to every process of the foreground group: the workers too.
    botlint, workers = _start_parallel_run(tmp_path, start_new_session=True)
    try:
        os.killpg(botlint.pid, signal.SIGINT)
        assert _read_to_end(botlint.stdout, 10), "the report's pipe stays open"
        assert botlint.wait(timeout=10) == 130
        assert botlint.stderr.read().decode() == "botlint: interrupted\n"
        assert _wait_for(lambda: not any(map(_alive, workers)), 5)
    finally:
        _stop(botlint, workers)


# --- closed or full standard output ---------------------------------------------------------

CLOSED = "botlint: cannot write the report: standard output is closed\n"
FULL = "botlint: cannot write the report: No space left on device\n"


def _start_with_stdout(arguments: list[str], redirect: str, cwd: Path) -> subprocess.Popen:
    """botlint with its standard output redirected by a shell (`>&-`, `>/dev/full`)."""
    return subprocess.Popen(["sh", "-c", f'exec "$@" {redirect}', "sh", *BOTLINT, *arguments], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=BUFFERED)


def test_output_that_cannot_be_written_is_one_clear_line(tmp_path):
    write_flows(tmp_path, 1)
    redirects = {">&-": CLOSED, ">/dev/full": FULL} if os.path.exists("/dev/full") else {">&-": CLOSED}
    # Every way to standard output: argparse, a reporter, an audit renderer, print(), a plain write.
    commands = [["--version"], ["check", "f0.flow"], ["check", "--format", "json", "f0.flow"], ["audit", "f0.flow"],
                ["rules"], ["schema"]]
    started = {(redirect, *command): _start_with_stdout(command, redirect, tmp_path)
               for redirect in redirects for command in commands}
    for (redirect, *command), botlint in started.items():
        _, errors = botlint.communicate(timeout=120)
        assert (botlint.returncode, errors) == (2, redirects[redirect]), (redirect, command)


def test_a_report_to_a_file_needs_no_standard_output(tmp_path):
    write_flows(tmp_path, 1)
    botlint = _start_with_stdout(["check", "-o", "report.txt", "f0.flow"], ">&-", tmp_path)
    assert (botlint.wait(timeout=120), botlint.stderr.read()) == (1, "")
    assert "BL001" in (tmp_path / "report.txt").read_text(encoding="utf-8")


# --- readers that go away (defect: a broken pipe hid the findings) --------------------------

def _run_into_closed_pipe(arguments: list[str], cwd: Path) -> subprocess.Popen:
    """botlint writing into a pipe whose reader is already gone, as `| head -1` leaves it."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.Popen([*BOTLINT, *arguments], cwd=cwd, stdout=write_end, stderr=subprocess.PIPE,
                                env=BUFFERED)
    finally:
        os.close(write_end)


class _ReaderGone(io.TextIOBase):
    """Standard output into a pipe whose reader went away: as soon as anything is written
    (`at="write"`, a report larger than the stream's buffer), or at the last flush."""

    def __init__(self, at: str) -> None:
        self.at = at

    def write(self, text: str) -> int:
        if self.at == "write":
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")
        return len(text)

    def flush(self) -> None:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def _every_format():
    from linter.report import audit_formats, formats

    return [("check", fmt) for fmt in formats()] + [("audit", fmt) for fmt in audit_formats()]


@pytest.mark.parametrize("at", ["write", "flush"])
@pytest.mark.parametrize("command, fmt", _every_format())
def test_a_reader_that_goes_away_never_turns_findings_into_success(project, monkeypatch, capsys, command, fmt, at):
    write_flows(project, 1)
    monkeypatch.setattr(sys, "stdout", _ReaderGone(at))
    code = main([command, "--format", fmt, "f0.flow"])
    # check: the code its findings give; the audit, which exits 0 on findings: a lost report's 141
    assert code == (1 if command == "check" else 141)
    assert capsys.readouterr().err == ""


def test_a_reader_gone_in_a_real_pipe(tmp_path):
    write_flows(tmp_path / "small", 1)
    write_flows(tmp_path / "large", 2, flows_per_file=50)  # more than the stream's 8 KB buffer
    runs = {("check", "large"): 1, ("audit", "small"): 141, ("check", "small", "--exit-zero"): 141}
    started = {run: _run_into_closed_pipe([run[0], "--jobs", "1", *run[2:], run[1]], tmp_path) for run in runs}
    for run, botlint in started.items():
        assert (botlint.wait(timeout=120), botlint.stderr.read()) == (runs[run], b""), run


def test_pipefail_sees_the_findings_through_head(tmp_path):
    if shutil.which("bash") is None or shutil.which("head") is None:
        pytest.skip("needs bash and head")
    write_flows(tmp_path, 20, flows_per_file=50)
    command = shlex.join(BOTLINT)
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {command} check --no-cache . | head -1"],
                          cwd=tmp_path, capture_output=True, text=True, env=BUFFERED, timeout=120)
    assert done.returncode in (1, 141) and done.stdout.count("\n") == 1 and done.stderr == ""


# --- writing files: whole or not at all ------------------------------------------------------

def _leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def _fail_with(exception):
    def fail(*args, **kwargs):
        raise exception
    return fail


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_write_leaves_the_file_as_it_was_and_no_temporary_file(tmp_path, monkeypatch, failure):
    target = tmp_path / "report.json"
    target.write_text('{"old": true}\n', encoding="utf-8")
    monkeypatch.setattr(os, "fsync", _fail_with(failure))  # the disk fills as the data reaches it
    with pytest.raises(type(failure)):
        write_file(target, '{"new": true}\n' * 10000)
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
    assert os.listdir(tmp_path) == ["report.json"]


def test_a_failed_rename_leaves_no_temporary_file(tmp_path):
    (tmp_path / "taken").mkdir()  # a folder where the file should go
    with pytest.raises(OSError):
        write_file(tmp_path / "taken", "text")
    assert os.listdir(tmp_path) == ["taken"]


def test_written_files_get_the_usual_modes_and_links_stay_links(tmp_path):
    fresh = tmp_path / "fresh.txt"
    write_file(fresh, "one")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
    fresh.chmod(0o640)
    write_file(fresh, "two")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640 and fresh.read_text() == "two"
    link = tmp_path / "link.txt"
    link.symlink_to("fresh.txt")
    write_file(link, "three")
    assert link.is_symlink() and fresh.read_text() == "three"


def test_a_device_is_written_to_not_replaced(tmp_path):
    write_file(Path(os.devnull), "nothing")  # as `-o /dev/stdout` or `-o /dev/null` must work
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert not [name for name in os.listdir(os.path.dirname(os.devnull)) if name.endswith(".tmp")]


def test_a_failed_cache_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    from linter import cache
    from linter.engine.result_cache import ResultCache

    results = ResultCache(tmp_path)
    results.store("k", [], [], set(), 1)  # makes the folder
    (results.folder / "taken.json").mkdir()
    results.store("taken", [], [], set(), 1)  # the rename fails: no cache entry, same results
    assert _leftovers(results.folder) == []

    monkeypatch.setenv("BOTLINT_CACHE_DIR", str(tmp_path / "shipped"))
    monkeypatch.setattr(os, "replace", _fail_with(OSError(errno.ENOSPC, "No space left on device")))
    assert cache.cached_json("data", [], lambda: {"built": 1}) == {"built": 1}
    assert _leftovers(tmp_path / "shipped") == []


def test_a_stopped_baseline_write_leaves_the_old_baseline_and_no_temporary_file(tmp_path, monkeypatch):
    from linter.engine.baseline import load_baseline, write_baseline

    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, [])
    monkeypatch.setattr(os, "fsync", _fail_with(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        write_baseline(baseline, [])
    assert load_baseline(baseline) == [] and _leftovers(tmp_path) == []


def _write_baselines(path: str, start, rounds: int) -> None:
    from linter.core.findings import Finding
    from linter.engine.baseline import write_baseline

    findings = [Finding("BL001", "x", "error", f"message {index}", None, "a.flow", index, 1, index, 1)
                for index in range(200)]
    start.wait()
    for _ in range(rounds):
        write_baseline(Path(path), findings)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="forks the writers")
def test_two_processes_write_the_same_baseline_at_once(tmp_path):
    from linter.engine.baseline import load_baseline

    baseline = tmp_path / "baseline.json"
    context = multiprocessing.get_context("fork")
    start = context.Barrier(2)
    writers = [context.Process(target=_write_baselines, args=(str(baseline), start, 100)) for _ in range(2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
    assert [writer.exitcode for writer in writers] == [0, 0]
    assert len(load_baseline(baseline)) == 200 and _leftovers(tmp_path) == []


def test_two_commands_write_the_same_baseline_at_once(tmp_path):
    write_flows(tmp_path / "flows", 30)
    writers = [subprocess.Popen([*BOTLINT, "check", "--no-cache", "--write-baseline", "baseline.json", "flows"],
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    assert len(json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["findings"]) == 30
    assert _leftovers(tmp_path) == []


def _in_full_tmpfs(tmp_path: Path, script: str) -> subprocess.CompletedProcess:
    """`script` (sh) run in a user and mount namespace where `disk/` is a 64 KB tmpfs; skips the
    test where this system does not allow one."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is missing")
    (tmp_path / "disk").mkdir()
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs disk"],
                           cwd=tmp_path, capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs in a user namespace here: {probe.stderr.strip()}")
    botlint = shlex.join(BOTLINT)
    return subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs disk && "
                           + script.replace("BOTLINT", botlint)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_a_full_disk_leaves_the_previous_report_whole(tmp_path):
    write_flows(tmp_path / "flows", 20, flows_per_file=20)  # a JSON report of more than 64 KB
    old = '{"findings": []}'
    done = _in_full_tmpfs(tmp_path, f"echo '{old}' > disk/report.json && "
                                    "BOTLINT check --no-cache --format json -o disk/report.json flows; "
                                    "echo \"exit $?\"; cat disk/report.json; ls -A disk")
    assert done.stdout.splitlines() == ["exit 2", old, "report.json"], done.stdout + done.stderr
    assert done.stderr == "disk/report.json: error: cannot write the report: No space left on device\n"


def test_a_full_disk_costs_the_cache_not_the_run(tmp_path):
    # The cache (in the working folder, on the full disk) fills up after a few entries.
    write_flows(tmp_path / "flows", 100, flows_per_file=5)
    done = _in_full_tmpfs(tmp_path, "cd disk && BOTLINT check --no-cache --format json ../flows > ../expected.json; "
                                    "BOTLINT check --format json ../flows > ../report.json; echo \"exit $?\"; "
                                    "ls .botlint_cache/*/ | wc -l; find . -name '*.tmp' | wc -l")
    exit_code, entries, leftovers = done.stdout.split()[1:]
    assert (exit_code, leftovers) == ("1", "0"), done.stdout + done.stderr
    assert 0 < int(entries) < 100  # the disk did fill
    report, expected = (json.loads((tmp_path / name).read_text()) for name in ("report.json", "expected.json"))
    assert report["findings"] == expected["findings"] and len(report["findings"]) == 500


# --- a report aimed at an input ---------------------------------------------------------------

@pytest.mark.parametrize("command", [["check"], ["audit", "--format", "md"]])
@pytest.mark.parametrize("output, inputs", [
    ("canary.flow", ["canary.flow"]),  # the file itself
    ("notes.txt", ["notes.txt"]),  # an input, even one botlint cannot read
    ("bots/canary.flow", ["."]),  # a file the folder's run lints
    ("bots/../bots/canary.flow", ["bots"]),
    ("alias.flow", ["bots"]),  # a link to it
])
def test_the_report_never_overwrites_an_input(project, capsys, command, output, inputs):
    (project / "bots").mkdir()
    canary = 'flow canary:\n  step s:\n    say "Hello"\n    end\n'
    for name in ("canary.flow", "bots/canary.flow"):
        (project / name).write_text(canary, encoding="utf-8")
    (project / "notes.txt").write_text("notes", encoding="utf-8")
    (project / "alias.flow").symlink_to("bots/canary.flow")
    before = {name: (project / name).read_text(encoding="utf-8") for name in ("canary.flow", "bots/canary.flow",
                                                                              "notes.txt")}
    assert main([*command, "-o", output, *inputs]) == 2
    err = capsys.readouterr().err
    assert err == f"{output}: error: --output-file is a file this run reads: the report would overwrite it\n"
    assert {name: (project / name).read_text(encoding="utf-8") for name in before} == before


def test_a_report_beside_the_flows_is_written(project, capsys):
    write_flows(project, 1)
    (project / "report.txt").write_text("last week's report", encoding="utf-8")
    assert main(["check", "-o", "report.txt", "."]) == 1  # not a flow: the run does not read it
    assert main(["check", "-o", "new.flow", "."]) == 1  # nothing there yet: nothing to overwrite
    assert "BL001" in (project / "report.txt").read_text(encoding="utf-8")
    assert capsys.readouterr().err == ""


def test_a_report_in_a_project_folder_is_written_unless_it_is_named(project, capsys):
    shutil.copytree(REPO / "tests" / "fixtures" / "rasa" / "cafe", project / "cafe")
    (project / "cafe" / "report.json").write_text("{}", encoding="utf-8")
    assert main(["check", "--format", "json", "-o", "cafe/report.json", "cafe"]) == 1
    assert json.loads((project / "cafe" / "report.json").read_text(encoding="utf-8"))["findings"]
    domain = (project / "cafe" / "domain.yml").read_text(encoding="utf-8")
    assert main(["check", "-o", "cafe/domain.yml", "cafe/domain.yml"]) == 2
    assert (project / "cafe" / "domain.yml").read_text(encoding="utf-8") == domain
    assert capsys.readouterr().err.endswith("the report would overwrite it\n")
