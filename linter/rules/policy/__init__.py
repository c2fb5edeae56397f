"""Platform policy: messaging windows, message tags, opt-outs, quiet hours by law (BL7xx)."""

MODULES: tuple[str, ...] = (
    "outside_messaging_window", "promotional_message_tag", "human_agent_tag_misuse", "unsupported_message_tag",
    "whatsapp_outside_window", "utility_template_marketing", "opt_in_incomplete", "sms_quiet_hours",
    "sms_keywords_unhandled", "sms_first_message_no_opt_out", "bot_not_disclosed", "handoff_beyond_window",
)
