"""Privacy: the worker's data download, retention, and the clean-up after a close."""
