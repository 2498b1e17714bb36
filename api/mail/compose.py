"""Rendering a message: Jinja2 templates (HTML autoescaped) into a multipart text + HTML
`EmailMessage` with the headers transactional mail carries."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any

import idna
import jinja2

from api.core.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"

#: 7-bit clean on the wire: any text that is not ASCII goes quoted-printable or base64, so
#: every server accepts the bytes, with or without 8BITMIME, and the queue row is plain text.
MAIL_POLICY = policy.SMTP.clone(cte_type="7bit")
#: For a mailbox whose local part is not ASCII (RFC 6531): headers in UTF-8, sent only to a
#: server that announces SMTPUTF8. Bodies stay 7-bit as above.
INTERNATIONAL_MAIL_POLICY = policy.SMTPUTF8.clone(cte_type="7bit")


def ascii_domain(domain: str) -> str:
    """A domain as DNS and SMTP know it: IDNA 2008 A-labels ("bücher.de" → "xn--bcher-kva.de").

    Raises `ValueError` for a domain no IDNA form exists for.
    """
    if domain.isascii():
        return domain.lower()
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError as error:
        raise ValueError(f"{domain!r} is not a valid domain name: {error}") from None


def mailbox(address: str) -> tuple[str, str]:
    """The envelope address for `address` (its domain in A-labels) and whether its local part
    needs SMTPUTF8."""
    local, _, domain = address.rpartition("@")
    return f"{local}@{ascii_domain(domain)}", not local.isascii()


@functools.cache
def _environment() -> jinja2.Environment:
    # HTML templates escape every value; plain-text templates must not (an "&" stays "&").
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class Message:
    """A rendered message, ready to be queued by `api.mail.service.send`."""

    kind: str
    message_id: str
    sender: str
    recipient: str
    subject: str
    content: str
    """The whole RFC 5322 message."""


def _domain(address: str) -> str:
    return parseaddr(address)[1].rpartition("@")[2] or "localhost"


def compose(
    settings: Settings,
    kind: str,
    *,
    to_address: str,
    to_name: str,
    subject: str,
    context: Mapping[str, Any],
    headers: Mapping[str, str] | None = None,
) -> Message:
    """Render `templates/<kind>.txt` and `<kind>.html` for one recipient, addressed by name.

    Each template sees `name` (the recipient's), `site_url` and `subject` beside `context`;
    `headers` are added as they are (`List-Unsubscribe`).
    """
    values = {"name": to_name, "site_url": settings.site_url, "subject": subject, **context}
    environment = _environment()
    text = environment.get_template(f"{kind}.txt").render(values)
    html = environment.get_template(f"{kind}.html").render(values)
    message_id = f"<{uuid.uuid4().hex}@{_domain(settings.mail_from)}>"

    recipient, international = mailbox(to_address)
    message = EmailMessage(policy=INTERNATIONAL_MAIL_POLICY if international else MAIL_POLICY)
    message["From"] = settings.mail_from
    # The name goes out as RFC 2047 encoded words, the domain as A-labels: an encoded word is
    # never allowed inside an address, which is what `Address` writes for a raw "bücher.de".
    local, _, domain = recipient.rpartition("@")
    message["To"] = Address(display_name=to_name, username=local, domain=domain)
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = message_id
    # RFC 3834: a machine wrote this; auto-responders (out of office) must not answer it.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return Message(
        kind=kind,
        message_id=message_id,
        sender=parseaddr(settings.mail_from)[1],
        recipient=recipient,
        subject=subject,
        content=message.as_string(),
    )
