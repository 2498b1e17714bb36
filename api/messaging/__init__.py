"""Messaging: conversations between members, message requests from employers, application threads."""
