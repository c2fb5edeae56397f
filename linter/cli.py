"""The `botlint` command line. Imports are lazy: a pre-commit run should start fast."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from linter.core.severity import SEVERITIES

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# What a shell reports for a program that a signal ended (128 + its number): SIGINT, SIGPIPE, SIGTERM.
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE, EXIT_TERMINATED = 130, 141, 143


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: one line, exit 2
        self.print_usage(sys.stderr)
        sys.stderr.write(f"botlint: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of jobs") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("--jobs must be 1 or more")
    return jobs


def _add_lint_options(command: argparse.ArgumentParser) -> None:
    """What to lint and with which rules: the same for `check` and `audit`."""
    from linter.resources import importer_modules
    command.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH",
                         help="files or folders (default: .)")
    command.add_argument("--select", type=_codes, default=None, metavar="CODES",
                         help="only these rules (codes or prefixes, comma-separated; ALL for every rule)")
    command.add_argument("--extend-select", type=_codes, default=[], metavar="CODES", help="add these rules")
    command.add_argument("--ignore", type=_codes, default=[], metavar="CODES", help="skip these rules")
    command.add_argument("--config", type=Path, default=None, metavar="FILE",
                         help="use this config file instead of discovering one")
    command.add_argument("--input-format", choices=("flow", "yaml", *importer_modules()), default=None,
                         help="read every path as this format instead of detecting it")
    command.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                         help="lint files in N processes (default: the number of CPUs)")
    command.add_argument("--follow-links", action="store_true",
                         help="read files through symbolic links that point outside the linted folder "
                              "(default: skip them, with a note)")


def build_parser() -> argparse.ArgumentParser:
    from linter import __version__
    from linter.report import audit_formats, formats

    parser = _Parser(prog="botlint", description="Lint chatbot and messenger-automation flows.")
    parser.add_argument("--version", action="version", version=f"botlint {__version__}")
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="lint flow files and folders")
    _add_lint_options(check)
    check.add_argument("--format", choices=formats(), default="text", help="output format")
    check.add_argument("--output-file", "-o", type=Path, default=None, metavar="FILE",
                       help="write the report to FILE instead of standard output")
    check.add_argument("--fail-on", choices=SEVERITIES, default=None,
                       help="lowest severity that makes the exit code 1 (default: warning)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--baseline", type=Path, default=None, metavar="FILE",
                       help="report (and fail on) only findings that FILE does not already hold")
    check.add_argument("--write-baseline", type=Path, default=None, metavar="FILE",
                       help="record today's findings in FILE, for --baseline; exits 0 unless a file cannot be read")
    check.add_argument("--no-cache", action="store_true",
                       help="lint every file again instead of reusing results from .botlint_cache/")
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only")
    check.add_argument("--no-color", action="store_true", help="never colour the output")
    check.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    audit = commands.add_parser("audit", help="a report for people: each flow as the recipient lives it")
    _add_lint_options(audit)
    audit.add_argument("--format", choices=audit_formats(), default="text",
                       help="text: a summary on the terminal; md or html: a report to read or share")
    audit.add_argument("--output-file", "-o", type=Path, default=None, metavar="FILE",
                       help="write the report to FILE (the usual way for md and html)")
    audit.add_argument("--no-color", action="store_true", help="never colour the output")
    audit.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    listing = commands.add_parser("rules", help="list every rule")
    listing.add_argument("--format", choices=("text", "markdown"), default="text",
                         help="markdown: the table README.md shows")
    show = commands.add_parser("rule", help="show a rule's documentation")
    show.add_argument("code", metavar="CODE")
    commands.add_parser("schema", help="print the JSON Schema of the YAML flow format")
    return parser


def _use_color(stream, disabled: bool) -> bool:
    return not disabled and "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def _check(args: argparse.Namespace) -> int:
    from linter.engine.runner import lint_paths
    from linter.report import get_reporter

    resolver = _resolver(args)
    _refuse_output_onto_input(args, resolver)
    cache = None
    if not args.no_cache:
        from linter.engine.result_cache import ResultCache

        cache = ResultCache(resolver.cwd)
    baseline = None
    if args.baseline is not None:
        from linter.engine.baseline import load_baseline

        baseline = load_baseline(args.baseline)  # a bad baseline stops the run before any work
    result = lint_paths(args.paths, resolver, args.input_format, jobs=_job_count(args), cache=cache,
                        debug=args.debug, follow_links=args.follow_links)
    if args.write_baseline is not None:
        from linter.engine.baseline import write_baseline
        from linter.report.text import format_error

        write_baseline(args.write_baseline, result.findings)
        for error in result.errors:
            sys.stderr.write(format_error(error) + "\n")
        sys.stderr.write(f"botlint: wrote {len(result.findings)} finding{'s' if len(result.findings) != 1 else ''} "
                         f"to the baseline {args.write_baseline}\n")
        return EXIT_ERROR if result.errors else EXIT_OK
    if baseline is not None:
        from linter.engine.baseline import apply_baseline

        apply_baseline(result, baseline, result.linted)
    if result.errors:
        code = EXIT_ERROR
    else:
        code = EXIT_FINDINGS if result.failing() and not args.exit_zero else EXIT_OK
    try:
        with _ReportOutput(args) as (out, color):
            get_reporter(args.format)(result, out, color=color, quiet=args.quiet)
    except BrokenPipeError:  # `| head`: the reader has what it wanted, the code still says what was found
        return _reader_gone(code)
    return code


def _resolver(args: argparse.Namespace):
    from linter.engine.settings import Overrides, SettingsResolver

    overrides = Overrides(select=args.select, extend_select=args.extend_select, ignore=args.ignore,
                          fail_on=getattr(args, "fail_on", None))
    return SettingsResolver(overrides, args.config)


def _job_count(args: argparse.Namespace) -> int:
    return args.jobs or os.cpu_count() or 1


def _refuse_output_onto_input(args: argparse.Namespace, resolver) -> None:
    """`--output-file` must not name what the run reads (`botlint check -o a.flow a.flow`): the
    report would replace it. A file the run does not read is fine (`-o report.txt .`), and so is
    one in a project folder read as a whole (a Rasa bot at `.`) unless named on the command line:
    which of its files an importer reads is the importer's business, and a report beside them is
    the usual set-up."""
    output = args.output_file
    if output is None or not output.exists():
        return
    inputs = [path for path in args.paths if path.exists()]
    if any(os.path.samefile(output, path) for path in inputs):
        raise _output_is_input(output)
    from linter.parse.source import within

    real = os.path.realpath(output)
    folders = [path for path in inputs if path.is_dir() and within(real, os.path.realpath(path))]
    if not folders:
        return
    # Ask discovery, as the run will.
    from linter.engine.discover import Unit, discover

    def excluded(candidate: Path) -> bool:
        return resolver.for_path(candidate).is_excluded(candidate)

    for unit in discover(folders, excluded, args.input_format, args.follow_links):
        if isinstance(unit, Unit) and unit.path.is_file() and os.path.samefile(output, unit.path):
            raise _output_is_input(output)


def _output_is_input(output: Path):
    from linter.core.errors import BotlintError

    return BotlintError("--output-file is a file this run reads: the report would overwrite it", str(output))


class _ReportOutput:
    """The report's stream: standard output, or --output-file written whole once the report is done."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.path: Path | None = args.output_file
        self.no_color = args.no_color

    def __enter__(self):
        if self.path is None:
            return sys.stdout, _use_color(sys.stdout, self.no_color)
        import io

        self.buffer = io.StringIO()
        return self.buffer, False

    def __exit__(self, kind, value, traceback) -> None:
        if self.path is None or kind is not None:
            return
        from linter.core.errors import BotlintError
        from linter.files import write_file

        try:
            if not self.path.parent.exists():
                self.path.parent.mkdir(parents=True)
            write_file(self.path, self.buffer.getvalue())
        except OSError as exc:
            raise BotlintError(f"cannot write the report: {exc.strerror or exc}", str(self.path)) from None


def _audit(args: argparse.Namespace) -> int:
    from linter.audit.command import run_audit
    from linter.report import get_audit_renderer
    from linter.report.text import format_error

    resolver = _resolver(args)
    _refuse_output_onto_input(args, resolver)
    return run_audit(args, resolver, _job_count(args), _ReportOutput(args), get_audit_renderer(args.format),
                     format_error)


def _rules(fmt: str = "text") -> int:
    from linter.engine.settings import Overrides, resolve
    from linter.rules import all_rules

    sys.stdout.write(rules_table(fmt, resolve(None, Overrides(), Path.cwd()).selected, all_rules()))
    return EXIT_OK


def rules_table(fmt: str, defaults, rules) -> str:
    if fmt == "markdown":
        lines = ["| code | name | family | severity | default | what it flags |", "|---|---|---|---|---|---|"]
        lines += [f"| {code} | {rule.name} | {rule.family} | {rule.severity} | {'on' if code in defaults else 'off'} "
                  f"| {rule.summary} |" for code, rule in rules.items()]
    else:
        lines = [f"{'code':<7} {'name':<30} {'family':<11} {'severity':<8} default"]
        lines += [f"{code:<7} {rule.name:<30} {rule.family:<11} {rule.severity:<8} {'on' if code in defaults else 'off'}"
                  for code, rule in rules.items()]
    return "\n".join(lines) + "\n"


def _rule(code: str) -> int:
    from linter.core.errors import BotlintError
    from linter.rules import UnknownRule, get_rule

    try:
        rule = get_rule(code)
    except UnknownRule:
        raise BotlintError(f"unknown rule code '{code}' (see `botlint rules`)", "command line") from None
    from linter.engine.settings import shipped_rule_defaults

    print(f"{rule.code} {rule.name}  [family: {rule.family}, default severity: {rule.severity}]\n")
    print(rule.documentation(shipped_rule_defaults(rule.code)))
    return EXIT_OK


def _schema() -> int:
    from linter.model.schema import flow_schema_json

    sys.stdout.write(flow_schema_json())
    return EXIT_OK


def run() -> None:
    """The `botlint` command: main(), then an ordinary exit (profilers and coverage see the end)."""
    import gc
    import signal

    # Start-up makes a few hundred thousand long-lived objects (pydantic, lark, the rules) that
    # the cyclic collector, at its default pace, scans again and again: 3% of a 200-file run,
    # 5 ms of a one-file one. botlint's own data makes few cycles, so collecting rarely costs no memory.
    gc.set_threshold(100_000, 50, 100)
    # SIGTERM (a cancelled CI job, `timeout`, `kill`) unwinds the run as Ctrl-C does: the workers
    # stop, temporary files go, and one line says why.
    signal.signal(signal.SIGTERM, _terminate)
    try:
        code = main()
    finally:
        # The interpreter's last collection would scan them all once more: 25 ms of a one-file
        # run's 35 ms teardown. Every file botlint wrote is closed by now: no cycle needs finalizing.
        gc.freeze()
    try:
        sys.stdout.flush()
    except (OSError, ValueError, AttributeError):  # main() said what it could not write; the exit must not again
        _discard_standard_output()
    sys.exit(code)


class _Terminated(BaseException):
    """SIGTERM, raised where the run is, as Ctrl-C raises KeyboardInterrupt (and, like it, no
    `except Exception` takes it for a failure to report)."""


def _terminate(signum, frame) -> None:
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends botlint at once
    raise _Terminated


class _ReportNotWritten(Exception):
    """Standard output refused the report: it is closed (`>&-`), or the disk is full."""


class _StandardOutput:
    """sys.stdout while a command runs: a write that fails ends the run with one line, not an
    internal error. A reader that went away (BrokenPipeError) is told apart: that is no failure."""

    def __init__(self, stream) -> None:
        self._stream = stream  # None when botlint started with its standard output closed

    def write(self, text: str) -> int:
        return self._do("write", text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._stream is not None:  # nothing written, nothing lost: `check -o FILE >&-` is fine
            self._do("flush")

    def _do(self, action: str, *arguments):
        if self._stream is None:
            raise _ReportNotWritten("standard output is closed")
        try:
            return getattr(self._stream, action)(*arguments)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _ReportNotWritten(exc.strerror or str(exc)) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _reader_gone(code: int | None) -> int:
    """The reader of the report went away (`| head -1`): stop quietly, with the run's code when it
    is known and not 0; else 141, as for a program SIGPIPE ends, since the report did not all arrive."""
    _discard_standard_output()
    return code or EXIT_BROKEN_PIPE


def _discard_standard_output() -> None:
    """Point descriptor 1 at /dev/null: what is left in the stream's buffer goes nowhere at exit,
    rather than failing once more there, with a message of the interpreter's."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # closed, or no file (a test's capture)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    stdout, sys.stdout = sys.stdout, _StandardOutput(sys.stdout)
    code = None
    try:
        code = _command(parser, _parse(parser, argv))
        sys.stdout.flush()  # a full disk or a reader gone may refuse only the end of the report
        return code
    except KeyboardInterrupt:
        sys.stderr.write("botlint: interrupted\n")
        return EXIT_INTERRUPTED
    except _Terminated:
        sys.stderr.write("botlint: terminated\n")
        return EXIT_TERMINATED
    except BrokenPipeError:
        return _reader_gone(code)
    except _ReportNotWritten as exc:
        _discard_standard_output()
        sys.stderr.write(f"botlint: cannot write the report: {exc}\n")
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 (the one place that turns any failure into one line)
        from linter.core.errors import BotlintError

        if debug:
            raise
        if isinstance(exc, BotlintError):
            from linter.report.text import format_error

            sys.stderr.write(format_error(exc) + "\n")
        else:
            sys.stderr.write(f"botlint: internal error: {type(exc).__name__}: {exc} "
                             "(run with --debug for a traceback, and please report it)\n")
        return EXIT_ERROR
    finally:
        sys.stdout = stdout


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    try:
        return parser.parse_args(argv)
    except SystemExit as done:
        if done.code == 0:  # --help or --version printed: it must reach standard output
            sys.stdout.flush()
        raise


def _command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command == "check":
        return _check(args)
    if args.command == "audit":
        return _audit(args)
    if args.command == "rules":
        return _rules(args.format)
    if args.command == "rule":
        return _rule(args.code)
    if args.command == "schema":
        return _schema()
    parser.print_help(sys.stderr)
    return EXIT_ERROR
