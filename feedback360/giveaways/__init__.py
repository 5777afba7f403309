"""Where a comment may give its writer away: the rules, the check, and what pages show of it.

The check runs in the request that renders a page and keeps nothing: no table, no log, no
cookie learns whether anything was found or what was changed afterwards.
"""
