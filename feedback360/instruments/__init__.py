"""Instruments: the questionnaires, read from YAML into frozen dataclasses and checked."""
