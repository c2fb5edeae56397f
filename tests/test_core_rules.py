"""BL001, BL002 and BL601 end to end: a flow each must flag and a near-miss each must not."""

from conftest import codes


def test_bl001_flags_goto_to_missing_step(lint):
    result = lint(select=["BL001"], source="""\
        flow f:
          step start:
            ask "Want prices?":
              reply "Yes" -> prices
          step pricing:
            end
        """)
    [finding] = result.findings
    assert finding.code == "BL001"
    assert (finding.line, finding.col) == (4, 7)
    assert "'prices'" in finding.message
    assert finding.hint == "did you mean 'pricing'?"


def test_bl001_checks_every_kind_of_reference(lint):
    result = lint(select=["BL001"], source="""\
        flow f:
          step start:
            ask "Q?":
              capture answer -> nowhere_1
              otherwise -> nowhere_2
            wait for reply timeout 2d -> nowhere_3
            if replied -> nowhere_4 else -> nowhere_5
            handoff:
              unanswered -> nowhere_6
        """)
    assert sorted(f.message.split("'")[3] for f in result.findings) == [f"nowhere_{i}" for i in range(1, 7)]


def test_bl001_near_miss_all_targets_exist(lint):
    result = lint(select=["BL001"], source="""\
        flow f:
          step start:
            ask "Want prices?":
              reply "Yes" -> pricing
              otherwise -> start
          step pricing:
            followup after 2d:
              goto start
        """)
    assert codes(result) == []


def test_bl002_flags_second_definition(lint):
    result = lint(select=["BL002"], source="""\
        flow f:
          step a:
            goto b
          step b:
            end
          step b:
            end
        """)
    [finding] = result.findings
    assert (finding.code, finding.line, finding.col) == ("BL002", 6, 3)
    assert "line 4" in finding.message


def test_bl002_near_miss_same_name_in_two_flows(lint):
    result = lint(select=["BL002"], source="""\
        flow one:
          step start:
            end
        flow two:
          step start:
            end
        """)
    assert codes(result) == []


def _long(n: int) -> str:
    return "a" * n


def test_bl601_flags_message_over_channel_limit(lint):
    result = lint(select=["BL601"], source=f"""\
        flow f:
          channel instagram
          step start:
            say "{_long(1001)}"
            end
        """)
    [finding] = result.findings
    assert finding.code == "BL601"
    assert "1001 characters; instagram allows 1000" in finding.message


def test_bl601_near_miss_at_the_limit_and_on_a_longer_channel(lint):
    result = lint(select=["BL601"], source=f"""\
        flow f:
          channel instagram
          step start:
            say "{_long(1000)}"
            end
        flow g:
          channel messenger
          step start:
            say "{_long(1500)}"
            end
        """)
    assert codes(result) == []


def test_bl601_uses_configured_default_channel_and_stays_silent_when_unknown(lint):
    source = f"""\
        flow f:
          step start:
            ask "{_long(1200)}"
        """
    assert codes(lint(source, select=["BL601"])) == []
    assert codes(lint(source, select=["BL601"], config="channel: instagram\n")) == ["BL601"]


def test_bl601_limit_is_data_a_user_ruleset_can_change(lint, tmp_path):
    (tmp_path / "limits.yaml").write_text("channels:\n  messenger:\n    text_max_chars: 10\n", encoding="utf-8")
    result = lint(select=["BL601"], source="""\
        flow f:
          channel messenger
          step start:
            say "Hello there, friend"
            end
        """, config="rulesets: [limits.yaml]\n")
    assert codes(result) == ["BL601"]
    assert "allows 10" in result.findings[0].message
