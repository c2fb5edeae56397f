"""What each channel can deliver: lengths, buttons, segments (BL6xx)."""

MODULES = ("message_too_long", "too_many_options", "option_label_too_long", "interactive_text_too_long",
           "sms_encoding", "sms_segments", "linkedin_note_too_long")
