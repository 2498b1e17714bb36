"""Messaging: conversations between members, employers' message requests, application threads."""
