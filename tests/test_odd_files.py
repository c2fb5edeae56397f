"""Odd files in a checkout: each gets one clear message and the rest of the run goes on.

Symbolic link loops, unreadable files, folders named like flow files, files in another
encoding (with a declaration), and named pipes, which would block a reader for ever.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import check_in_process as check
from linter.core.errors import FlowSyntaxError
from linter.parse import parse_file
from linter.parse.source import decode

REPO = Path(__file__).resolve().parents[1]
GOOD = (REPO / "examples" / "messenger-welcome.flow").read_text(encoding="utf-8")  # lints clean
BAD = (REPO / "examples" / "tone-bad.flow").read_text(encoding="utf-8")  # has findings


def check_subprocess(*paths, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """The same in a child process, for cases that could block: a hang fails the test, not the suite."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "linter", "check", "--no-color", "--jobs", "1", *map(str, paths)],
                          cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def symlinks_supported(tmp_path: Path) -> bool:
    try:
        (tmp_path / ".probe").symlink_to(tmp_path)
    except (OSError, NotImplementedError):
        return False
    (tmp_path / ".probe").unlink()
    return True


@pytest.fixture
def links(tmp_path):
    if not symlinks_supported(tmp_path):
        pytest.skip("this file system has no symbolic links")
    return tmp_path


# --- symbolic links -------------------------------------------------------------------------------

def test_a_folder_linking_to_its_parent_is_not_walked_round_and_round(links):
    (links / "flows").mkdir()
    (links / "flows" / "bad.flow").write_text(BAD, encoding="utf-8")
    (links / "flows" / "up").symlink_to("..", target_is_directory=True)
    (links / "flows" / "self").symlink_to(".", target_is_directory=True)
    code, output = check("flows", cwd=links)
    assert code == 1
    assert output.count("flows/bad.flow:") == len([line for line in output.splitlines()
                                                   if line.startswith("flows/bad.flow:")]) > 0
    assert "up/" not in output and "self/" not in output  # each file once, by its own path
    assert "in 1 file" in output


def test_a_file_link_loop_named_like_a_flow_is_skipped_with_a_note(links):
    (links / "a.flow").symlink_to("b.flow")
    (links / "b.flow").symlink_to("a.flow")
    (links / "x.flow").symlink_to("a.flow")
    (links / "good.flow").write_text(GOOD, encoding="utf-8")
    code, output = check(".", cwd=links)
    assert code == 0, output
    for name in ("a.flow", "b.flow", "x.flow"):
        assert f"note: skipped {name}: a loop of symbolic links" in output
    assert "All checks passed (1 file checked)." in output


def test_a_dangling_link_is_skipped_with_a_note(links):
    (links / "gone.flow").symlink_to("nowhere.flow")
    (links / "good.flow").write_text(GOOD, encoding="utf-8")
    code, output = check(".", cwd=links)
    assert code == 0 and "note: skipped gone.flow: a symbolic link to nothing (dangling)" in output


def test_a_link_loop_inside_a_composer_bot_is_walked_once(links):
    bot = links / "plantbot"
    shutil.copytree(REPO / "tests" / "fixtures" / "composer" / "plantbot", bot)
    (bot / "dialogs" / "loop").symlink_to("..", target_is_directory=True)
    (bot / "dialogs" / "loop2").symlink_to("../dialogs", target_is_directory=True)
    from linter.parse import import_unit

    _, looped = import_unit(bot, "plantbot", "composer")
    shutil.rmtree(bot)
    shutil.copytree(REPO / "tests" / "fixtures" / "composer" / "plantbot", bot)
    _, plain = import_unit(bot, "plantbot", "composer")
    assert looped.files == plain.files  # every dialog and .lg file read once, not once per loop


# --- unreadable files -----------------------------------------------------------------------------

def test_an_unreadable_file_is_an_error_and_the_others_are_linted(tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading (see the simulated test)")
    (tmp_path / "secret.flow").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.flow").write_text(BAD, encoding="utf-8")
    (tmp_path / "secret.flow").chmod(0)
    try:
        code, output = check(".", cwd=tmp_path)
    finally:
        (tmp_path / "secret.flow").chmod(0o644)
    assert code == 2
    assert "secret.flow: error: cannot read file: Permission denied" in output
    assert "bad.flow:" in output and "BL10" in output


def test_an_unreadable_file_simulated(tmp_path, monkeypatch):
    """The same as root, where chmod cannot make a file unreadable: the open fails as it would."""
    (tmp_path / "secret.flow").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.flow").write_text(BAD, encoding="utf-8")
    real_open = os.open

    def deny(path, *args, **kwargs):
        if str(path).endswith("secret.flow"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    code, output = check(".", cwd=tmp_path)
    assert code == 2
    assert "secret.flow: error: cannot read file: Permission denied" in output
    assert "bad.flow:" in output and "in 2 files" in output


def test_an_unreadable_folder_is_an_error(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "bad.flow").write_text(BAD, encoding="utf-8")
    real_scandir = os.scandir

    def deny(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    code, output = check(".", cwd=tmp_path)
    assert code == 2
    assert "locked: error: cannot read folder: Permission denied" in output
    assert "bad.flow:" in output


# --- folders named like flow files ----------------------------------------------------------------

def test_folders_named_like_flow_files_are_folders(tmp_path):
    (tmp_path / "odd.flow").mkdir()
    (tmp_path / "odd.flow" / "inner.flow").write_text(BAD, encoding="utf-8")
    (tmp_path / "x.flow.yaml").mkdir()
    (tmp_path / "y.flow.yml").mkdir()
    code, output = check(".", cwd=tmp_path)
    assert code == 1
    assert "odd.flow/inner.flow:" in output and "in 1 file" in output
    assert "error" not in output.split("Found")[0].replace("[error]", "")
    code, output = check("odd.flow", "x.flow.yaml", cwd=tmp_path)  # named on the command line too
    assert code == 1 and "odd.flow/inner.flow:" in output


def test_a_folder_inside_a_project_named_like_its_files_is_reported(tmp_path):
    agent = tmp_path / "agent"
    shutil.copytree(REPO / "tests" / "fixtures" / "dialogflow_cx" / "coffee-agent", agent)
    pages = next(agent.glob("flows/*/pages"))
    (pages / "Folder.json").mkdir()
    code, output = check("agent", cwd=tmp_path)
    assert code == 2
    assert f"{(pages / 'Folder.json').relative_to(tmp_path)}: error: cannot read file: it is a directory" in output
    assert "in 14 files" in output  # the rest of the agent is read and linted


# --- encodings ------------------------------------------------------------------------------------

SAY = 'flow a:\n  channel sms\n  step s:\n    say "{text}"\n    end\n'


@pytest.mark.parametrize("declaration, encoding, text", [
    ("# -*- coding: latin-1 -*-\n", "latin-1", "Grüße aus Köln"),
    ("# botlint: encoding=cp1251\n", "cp1251", "Привет, мир"),
    ("# vim: set fileencoding=koi8-r :\n", "koi8-r", "Здравствуйте"),
    ("#!/usr/bin/env botlint\n# coding: iso-8859-2\n", "iso-8859-2", "Dobar dan, čćžšđ"),
    ("# coding: utf-8\n", "utf-8", "😀 still UTF-8"),
])
def test_a_declared_encoding_is_decoded(tmp_path, declaration, encoding, text):
    path = tmp_path / "declared.flow"
    path.write_bytes((declaration + SAY.format(text=text)).encode(encoding))
    say = parse_file(path, "declared.flow").document.flows[0].steps[0].do[0]
    assert say.say == text
    assert say.span.line == declaration.count("\n") + 4  # positions count lines as written


def test_a_declared_encoding_in_a_yaml_flow(tmp_path):
    path = tmp_path / "declared.flow.yaml"
    path.write_bytes("# botlint: encoding=latin-1\nflows:\n  - kind: flow\n    name: a\n    steps:\n"
                     "      - name: s\n        do: [{say: 'Grüße'}]\n".encode("latin-1"))
    assert parse_file(path, "declared.flow.yaml").document.flows[0].steps[0].do[0].say == "Grüße"


@pytest.mark.parametrize("data, line, col, words", [
    (b"# -*- coding: klingon -*-\nflow a:\n", 1, 15, "unknown encoding 'klingon' in the encoding declaration"),
    (b"# comment\n# botlint: encoding=nope\n", 2, 21, "unknown encoding 'nope'"),
    (b"# coding: utf-16\n", 1, 11, "encoding 'utf-16' cannot be declared"),
    (b"# coding: punycode\n", 1, 11, "cannot be declared"),
    (b"# coding: rot13\n", 1, 11, "cannot be declared"),
    (b"\xef\xbb\xbf# coding: latin-1\n", 1, 11, "starts with a UTF-8 byte order mark but declares 'latin-1'"),
    (b"# coding: cp1252\nflow a:\n  step s:\n    say \"\x81\"\n", 4, 10, "not valid cp1252 (byte 0x81)"),
])
def test_bad_declarations_are_errors_with_a_position(data, line, col, words):
    with pytest.raises(FlowSyntaxError) as info:
        decode(data, "enc.flow")
    error = info.value
    assert (error.path, error.line, error.col) == ("enc.flow", line, col), error.message
    assert words in error.message


def test_without_a_declaration_files_stay_utf8_only(tmp_path):
    path = tmp_path / "latin1.flow"
    path.write_bytes('flow a:\n  step s:\n    say "Grüße"\n'.encode("latin-1"))
    with pytest.raises(FlowSyntaxError) as info:
        parse_file(path, "latin1.flow")
    assert info.value.message == "not valid UTF-8 (byte 0xfc); save the file as UTF-8"  # as before
    assert (info.value.line, info.value.col) == (3, 12)


@pytest.mark.parametrize("data", [
    b"flow a:\n# coding: latin-1\n",  # line 2 declares only after a comment or blank line 1
    b"# one\n# two\n# coding: latin-1\n",  # line 3 is too late
    b'flow a:  # coding: latin-1\n  step s:\n    say "\xfc"\n',  # line 1 is not a comment
])
def test_declarations_only_count_where_python_reads_them(data):
    with pytest.raises(FlowSyntaxError) as info:
        decode(data + b"\xfc", "late.flow")
    assert "not valid UTF-8" in info.value.message


def test_an_encoding_error_through_the_cli_names_file_line_col(tmp_path):
    (tmp_path / "enc.flow").write_bytes(b"# botlint: encoding=klingon\nflow a:\n")
    (tmp_path / "bad.flow").write_text(BAD, encoding="utf-8")
    code, output = check(".", cwd=tmp_path)
    assert code == 2
    assert "enc.flow:1:21: error: unknown encoding 'klingon' in the encoding declaration" in output
    assert "bad.flow:" in output


# --- named pipes and other non-files --------------------------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")


@needs_fifo
def test_a_named_pipe_named_like_a_flow_is_skipped_with_a_note(tmp_path):
    os.mkfifo(tmp_path / "x.flow")
    os.mkfifo(tmp_path / "y.flow.yaml")
    os.mkfifo(tmp_path / "pipe.json")  # sniffing JSON must not open it either
    (tmp_path / "bad.flow").write_text(BAD, encoding="utf-8")
    result = check_subprocess(".", cwd=tmp_path)  # a hang would be the timeout, not a stuck suite
    assert result.returncode == 1, result.stdout + result.stderr
    assert "note: skipped x.flow: a named pipe (FIFO), not a regular file" in result.stdout
    assert "note: skipped y.flow.yaml: a named pipe (FIFO), not a regular file" in result.stdout
    assert "pipe.json" not in result.stdout
    assert "bad.flow:" in result.stdout


@needs_fifo
def test_a_named_pipe_named_on_the_command_line(tmp_path):
    os.mkfifo(tmp_path / "x.flow")
    result = check_subprocess("--no-cache", "x.flow", cwd=tmp_path)
    assert result.returncode == 0 and "note: skipped x.flow: a named pipe (FIFO)" in result.stdout


@needs_fifo
@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["cache", "no-cache"])
def test_a_named_pipe_inside_a_project_does_not_block_it(tmp_path, cache):
    """Neither linting nor the result cache, which hashes every file of a project, opens it."""
    agent = tmp_path / "agent"
    shutil.copytree(REPO / "tests" / "fixtures" / "dialogflow_cx" / "coffee-agent", agent)
    pages = next(agent.glob("flows/*/pages"))
    os.mkfifo(pages / "Pipe.json")
    for _ in range(2):  # the second run reads the cache
        result = check_subprocess(*cache, "agent", cwd=tmp_path)
        assert result.returncode == 2
        assert "Pipe.json: error: cannot read file: it is a named pipe (FIFO), not a regular file" in result.stdout
