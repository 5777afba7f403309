"""Browser tests: the real app server, a real SMTP server and headless Chromium."""
