"""Badge evidence: the worker's own reflection, ready for an SSSC Open Badge application.

Only what the worker wrote goes in: never a colleague's comment and no figure at all
(docs/evidence.md says why). feedback360 never issues badges; it hands the worker their words.
"""
