"""Config errors point at the key that is wrong: file, line and column, in YAML and in TOML.

tomllib keeps no positions, so `linter.engine.config.toml_keys` finds each key in the text; a
key of the same name elsewhere (in [tool.ruff], a comment, a string) must not be taken for it.
"""

import textwrap
import tomllib

import pytest

from linter.core.errors import ConfigError
from linter.engine.config.files import find_config
from linter.engine.config.toml_keys import key_positions
from linter.engine.settings import Overrides, SettingsResolver

BOTLINT = ("tool", "botlint")

_RICH = '''\
[tool.ruff]
select = ["E"]  # select = ["X"]

[tool.other]
text = """
[tool.botlint]
select = "not a key"
"""
quotes = """a"""""
literal = \'\'\'it's [here]\'\'\'
escaped = "a\\"b = 1"
when = 1979-05-27 07:32:00Z

[ tool . "botlint" ]  # spaced and quoted
exclude = [
  "a",  # select = 1
  "b]",
  'c"',
]
"fail-on" = "error"
severity = {BL001 = "info", "BL6" = {}}
limits.max-steps = 20
"k\\u0041" = 1

[tool.botlint.per-path]
"ig/*" = {channel = "instagram"}

[[tool.botlint.list]]
a = 1
[[tool.botlint.list]]
a = [{b = 2}]
[tool.botlint.list.sub]
c = 3
'''


@pytest.mark.parametrize("path, where", [
    (("tool", "ruff", "select"), (2, 1)),
    (("tool", "other", "text"), (5, 1)),
    (("tool", "other", "quotes"), (9, 1)),
    (("tool", "other", "literal"), (10, 1)),
    (("tool", "other", "escaped"), (11, 1)),
    (("tool", "other", "when"), (12, 1)),
    (BOTLINT, (14, 10)),  # the header, at its own (quoted) name: `[ tool . "botlint" ]`
    (BOTLINT + ("exclude",), (15, 1)),
    (BOTLINT + ("fail-on",), (20, 1)),
    (BOTLINT + ("severity",), (21, 1)),
    (BOTLINT + ("severity", "BL001"), (21, 13)),  # inside an inline table
    (BOTLINT + ("severity", "BL6"), (21, 29)),
    (BOTLINT + ("limits",), (22, 1)),  # a dotted key names each table on its way
    (BOTLINT + ("limits", "max-steps"), (22, 8)),
    (BOTLINT + ("kA",), (23, 1)),  # a quoted key, with its escapes read
    (BOTLINT + ("per-path",), (25, 15)),
    (BOTLINT + ("per-path", "ig/*"), (26, 1)),
    (BOTLINT + ("per-path", "ig/*", "channel"), (26, 11)),
    (BOTLINT + ("list", 0, "a"), (29, 1)),  # [[...]]: entries are numbered
    (BOTLINT + ("list", 1, "a"), (31, 1)),
    (BOTLINT + ("list", 1, "a", 0, "b"), (31, 7)),
    (BOTLINT + ("list", 1, "sub", "c"), (33, 1)),  # a table inside the last entry
])
def test_the_toml_key_locator_finds_each_key_where_it_is_written(path, where):
    assert key_positions(_RICH)[path] == where


def test_only_keys_are_found_not_text_that_looks_like_one():
    found = key_positions(_RICH)
    assert BOTLINT + ("select",) not in found  # in a comment, and in a multi-line string
    assert ("tool", "other", "select") not in found


@pytest.mark.parametrize("text", [
    _RICH,
    '[tool]\nbotlint.select = ["BL"]\nbotlint.severity = {BL001 = "info"}\n',
    'tool.botlint.select = ["BL"]\n[tool.ruff]\nx = [[1, 2], [3, {y = "}"}]]\n',
    "a = '''\n'''\nb = \"\"\"\\\n  x\"\"\"\n",
])
def test_every_key_tomllib_reads_is_found_at_its_name(text):
    def keys(node, prefix=()):
        if isinstance(node, dict):
            for key, value in node.items():
                yield prefix + (key,)
                yield from keys(value, prefix + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from keys(value, prefix + (index,))

    found = key_positions(text)
    lines = text.split("\n")
    for path in keys(tomllib.loads(text)):
        line, col = found[path]
        written = lines[line - 1][col - 1:]
        assert written.startswith(path[-1]) or written[0] in "\"'", (path, written)


def _error(tmp_path, name: str, text: str, ruleset: str | None = None) -> ConfigError:
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    if ruleset is not None:
        (tmp_path / "rules.yaml").write_text(ruleset, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        SettingsResolver(Overrides(), cwd=tmp_path).for_path(tmp_path / "a.flow")
    return caught.value


TOML_CASES = [
    # `select` in [tool.ruff] comes first in the file: the error is at botlint's own.
    ('[tool.ruff]\nselect = ["E"]\n\n[tool.botlint]\nlanguage = "en"\nselect = "BL001"\n', "6:1",
     "'select' must be a list, not 'BL001'"),
    ('[tool]\nruff.select = ["E"]\nbotlint.select = "BL"\n', "3:9", "'select' must be a list"),
    ('tool.botlint.language = 5\n', "1:14", "'language' must be a str, not 5"),
    ('[tool.botlint]\nseverity = {BL601 = "info", BL001 = "loud"}\n', "2:29",
     "severity for BL001 must be one of info, warning, error, not 'loud'"),
    ('[tool.botlint.severity]\nBL601 = "info"\nBL001 = "loud"\n', "3:1", "severity for BL001"),
    ('[tool.other]\ntext = """\nignore = ["BL001"]\n"""\n[tool.botlint]\n# ignore = ["BL001"]\n'
     'exclude = [\n  "x",  # ignore\n]\nignore = ["NOPE"]\n', "10:1", "unknown rule code or prefix 'NOPE'"),
    ('[tool.botlint]\nselect = [\n  "BL001",\n  "BL999",\n]\n', "2:1", "unknown rule code or prefix 'BL999'"),
    ('[tool.botlint]\n"fail-on" = "never"\n', "2:1", "fail-on must be one of info, warning, error"),
    ('[tool.botlint.limits]\nmax-steps = 5\nmax-stepz = 5\n', "3:1", "unknown limit 'max-stepz'"),
    ('[tool.botlint]\nper-path = {"ig/*" = {chanel = "instagram"}}\n', "2:23", "unknown or bad key 'chanel'"),
    ('[tool.botlint]\npolicy = {sms = "nope"}\n', "2:11", "unknown policy profile 'nope' for sms"),
    ('[tool.botlint.policy]\nsms = 1\n', "2:1", "policy for sms must be a profile name or \"none\", not 1"),
    ('[tool]\nbotlint = 5\n', "2:1", "[tool.botlint] must be a table"),
    ('[[tool.botlint]]\nselect = ["BL"]\n', "1:8", "[tool.botlint] must be a table"),
]
YAML_CASES = [
    ("select: BL001\n", "1:1", "'select' must be a list, not 'BL001'"),
    ("# select: [BL001]\nlanguage: en\nselect: [BL001, BL999]\n", "3:1", "unknown rule code or prefix 'BL999'"),
    ("language: en\nextend-ignore: [NOPE]\n", "2:1", "unknown rule code or prefix 'NOPE'"),
    ("severity:\n  BL601: info\n  BL001: loud\n", "3:3", "severity for BL001"),
    ("limits:\n  max-steps: 5\n  max-depth: 0\n", "3:3", "limit 'max-depth' must be a whole number, 1 or more, not 0"),
    ("per-path:\n  'ig/*': {chanel: instagram}\n", "2:12", "unknown or bad key 'chanel'"),
    ("per-path:\n  'ig/*': {channel: 5}\n", "2:12", "per-path 'ig/*': 'channel' must be a str, not 5"),
    ("exclude: [generated, 1]\n", "1:1", "'exclude' must list paths or patterns as text, not 1"),
    ("policy:\n  sms: true\n", "2:3", "policy for sms must be a profile name or \"none\", not True"),
]


@pytest.mark.parametrize("name, text, where, words", [("pyproject.toml", *case) for case in TOML_CASES]
                         + [(".botlint.yaml", *case) for case in YAML_CASES])
def test_a_config_error_is_at_its_key(tmp_path, name, text, where, words):
    error = _error(tmp_path, name, text)
    assert (error.path, f"{error.line}:{error.col}") == (str(tmp_path / name), where)
    assert words in error.message


@pytest.mark.parametrize("name, text, where, words", [
    (".botlint.yaml", "selct: []\nlanguage: 5\n", "1:1", "unknown config key 'selct'"),
    (".botlint.yaml", "language: 5\nselct: []\n", "1:1", "'language' must be a str"),
    ("pyproject.toml", "[tool.botlint]\nselct = []\nlanguage = 5\n", "2:1", "unknown config key 'selct'"),
    ("pyproject.toml", "[tool.botlint]\nlanguage = 5\nselct = []\n", "2:1", "'language' must be a str"),
])
def test_of_several_errors_the_first_in_the_file_is_reported(tmp_path, name, text, where, words):
    error = _error(tmp_path, name, text)
    assert f"{error.line}:{error.col}" == where and words in error.message


@pytest.mark.parametrize("ruleset, where, words", [
    ("policies:\n  - {profile: a, channel: sms}\n  - profile: b\n", "3:5", "a policy profile needs 'channel'"),
    ("policies:\n  - 5\n", "2:5", "a policy profile must be a mapping"),
])
def test_a_bad_policy_in_a_users_ruleset_is_at_its_entry(tmp_path, ruleset, where, words):
    error = _error(tmp_path, ".botlint.yaml", "rulesets: [rules.yaml]\n", ruleset)
    assert (error.path, f"{error.line}:{error.col}") == (str(tmp_path / "rules.yaml"), where)
    assert words in error.message


@pytest.mark.parametrize("text, is_config", [
    ("[tool.botlint]\n", True),
    ('[tool]\nbotlint.select = ["BL"]\n', True),
    ('[ tool . "botlint" ]\nselect = ["BL"]\n', True),
    ('[project.scripts]\nbotlint = "linter.cli:run"\n', False),  # names botlint, configures nothing
    ('[tool.botlinter]\nx = 1\n', False),
    ('dependencies = ["botlint"\n', False),  # broken, and not botlint's table: not ours to report
])
def test_a_pyproject_is_a_config_when_it_has_a_botlint_table(tmp_path, text, is_config):
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    found = find_config(tmp_path / "a.flow")
    assert (found == tmp_path / "pyproject.toml") is is_config
