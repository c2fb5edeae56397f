"""Automations of things nobody would do by hand (BL4xx)."""

MODULES: tuple[str, ...] = ("auto_dm_on_follow", "follow_up_barrage", "mass_mentions", "inhuman_volume",
                            "quiet_hours", "cold_dm", "canned_reply", "fake_personal_touch")
