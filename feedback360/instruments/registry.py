"""The instruments the app offers, loaded and validated once at start-up."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app

from .findings import InstrumentError
from .loading import DEFAULT_DIRECTORY, load_instruments
from .model import Instrument


def init_app(app: Flask) -> None:
    directory = Path(app.config["INSTRUMENTS_DIR"] or DEFAULT_DIRECTORY)
    try:
        app.extensions["feedback360.instruments"] = load_instruments(directory)
    except InstrumentError as error:
        # The same path:line: message lines as `flask instruments check`, no traceback.
        raise SystemExit(f"feedback360 cannot start: an instrument is invalid.\n{error}") from None


def instruments() -> dict[str, Instrument]:
    return current_app.extensions["feedback360.instruments"]


def instrument_or_404(key: str) -> Instrument:
    found = instruments().get(key)
    if found is None:
        abort(404)
    return found
