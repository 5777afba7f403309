"""flask report ... and flask demo commands."""

from flask.cli import AppGroup

report_cli = AppGroup("report", help="Reports.")
