"""Mail: the outbox written in the caller's transaction, the sender, the dev outbox page."""
