"""The SMTP server fixtures (tests/mail/smtp.py)."""

from tests.mail.smtp import inbox, mail_graphql, mail_http, mail_settings, smtp_server

__all__ = ["inbox", "mail_graphql", "mail_http", "mail_settings", "smtp_server"]
