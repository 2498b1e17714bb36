"""Plumbing shared by every capability: settings, database, auth, errors, pagination."""
