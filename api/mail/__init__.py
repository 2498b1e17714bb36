"""Outgoing mail: a queue in the database, written in the caller's transaction, and a
deliverer that sends it over SMTP (or into `.eml` files when no server is configured)."""
