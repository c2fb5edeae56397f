"""What each channel can deliver: lengths, buttons, segments (BL6xx)."""

MODULES = ("message_too_long",)
