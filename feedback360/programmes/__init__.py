"""Programmes: organisations run feedback for a cohort, with leads and coaches."""
