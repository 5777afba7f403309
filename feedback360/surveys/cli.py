"""flask rounds ... commands."""

from flask.cli import AppGroup

rounds_cli = AppGroup("rounds", help="Feedback rounds.")
