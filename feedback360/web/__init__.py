"""What every page shares: security headers, error pages, log redaction, links, the home page."""
