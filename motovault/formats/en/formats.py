# The one date format of every page and message (settings.FORMAT_MODULE_PATH): `{{ day|date }}`
# in templates, `date_format(day)` in Python. "Mar 14, 2026".
DATE_FORMAT = "M j, Y"
