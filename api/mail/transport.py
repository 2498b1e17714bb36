"""Where a message goes: an SMTP server (aiosmtplib), or `.eml` files when none is set."""

from __future__ import annotations

import logging
import os
import re
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlparse

import aiosmtplib

logger = logging.getLogger("confrere.mail")

#: Seconds one SMTP operation (connect, a command, the data) may take by default.
DEFAULT_TIMEOUT = 30.0


class DeliveryError(Exception):
    """The message was not accepted; `permanent` when retrying cannot help (a 5xx reply)."""

    def __init__(self, detail: str, *, permanent: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.permanent = permanent


class Transport(Protocol):
    async def deliver(self, sender: str, recipient: str, content: str, name: str) -> str:
        """Hand one message over; returns what the far end said. `DeliveryError` if not."""

    async def close(self) -> None: ...


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class SmtpServer:
    """`CONFRERE_SMTP_URL`, read: `smtp://user:password@host:587?starttls=true`, or
    `smtps://…` for TLS from the first byte (port 465)."""

    host: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool
    starttls: bool | None
    """True: required; False: never; None: used when the server offers it."""
    timeout: float

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parsed = urlparse(url)
        if parsed.scheme not in {"smtp", "smtps"} or not parsed.hostname:
            raise ValueError(
                "CONFRERE_SMTP_URL must start with smtp:// or smtps:// and name a host"
            )
        options = {key.lower(): values[-1] for key, values in parse_qs(parsed.query).items()}
        unknown = set(options) - {"starttls", "timeout"}
        if unknown:
            raise ValueError(
                "CONFRERE_SMTP_URL has unknown options "
                f"({', '.join(sorted(unknown))}); starttls and timeout are known"
            )
        starttls: bool | None = None
        raw = options.get("starttls", "").lower()
        if raw in _TRUE:
            starttls = True
        elif raw in _FALSE:
            starttls = False
        elif raw:
            raise ValueError("CONFRERE_SMTP_URL: starttls= must be true or false")
        implicit = parsed.scheme == "smtps"
        if implicit and starttls:
            raise ValueError(
                "CONFRERE_SMTP_URL: smtps:// is TLS already; starttls=true is for smtp://"
            )
        try:
            timeout = float(options.get("timeout", DEFAULT_TIMEOUT))
        except ValueError:
            timeout = -1
        if not 0 < timeout <= 600:
            raise ValueError(
                "CONFRERE_SMTP_URL: timeout= must be seconds, more than 0 and at most 600"
            )
        return cls(
            host=parsed.hostname,
            port=parsed.port or (465 if implicit else 25),
            username=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            implicit_tls=implicit,
            starttls=False if implicit else starttls,
            timeout=timeout,
        )


def _permanent(code: int) -> bool:
    return 500 <= code < 600


class SmtpTransport:
    """One connection kept open across messages, reopened when it breaks."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server
        self._client: aiosmtplib.SMTP | None = None

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is not None and self._client.is_connected:
            return self._client
        server = self.server
        client = aiosmtplib.SMTP(
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.implicit_tls,
            start_tls=server.starttls,
            timeout=server.timeout,
            tls_context=ssl.create_default_context(),
        )
        await client.connect()
        self._client = client
        return client

    async def deliver(self, sender: str, recipient: str, content: str, name: str) -> str:
        try:
            client = await self._connected()
            # A mailbox with a non-ASCII local part (the only thing `compose` leaves unencoded)
            # needs SMTPUTF8; aiosmtplib refuses to send it to a server that lacks it.
            options = [] if recipient.isascii() else ["SMTPUTF8"]
            errors, reply = await client.sendmail(
                sender, [recipient], content.encode("utf-8"), mail_options=options
            )
        except aiosmtplib.SMTPNotSupported as error:
            # The server will never take this address: failed for good, not retried.
            await self._reset()
            raise DeliveryError(f"{recipient}: {error}", permanent=True) from None
        except (aiosmtplib.SMTPAuthenticationError, aiosmtplib.SMTPSenderRefused) as error:
            # Our credentials or our sender refused: the server's settings or ours need a
            # fix, and every message would fail alike. Retried, not failed for good.
            await self.close()
            raise DeliveryError(f"{error.code} {error.message}", permanent=False) from None
        except aiosmtplib.SMTPRecipientsRefused as refused:
            codes = [r.code for r in refused.recipients]
            await self._reset()
            detail = "; ".join(f"{r.code} {r.message}" for r in refused.recipients)
            raise DeliveryError(detail, permanent=all(_permanent(c) for c in codes)) from None
        except aiosmtplib.SMTPResponseException as error:
            await self._reset()
            raise DeliveryError(
                f"{error.code} {error.message}", permanent=_permanent(error.code)
            ) from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            await self.close()
            raise DeliveryError(f"{type(error).__name__}: {error}", permanent=False) from None
        if errors:  # one recipient per message: a refusal raises above, but be exact
            detail = "; ".join(f"{code} {text}" for code, text in errors.values())
            raise DeliveryError(detail, permanent=False)
        return reply

    async def _reset(self) -> None:
        """After a refusal, the next message starts a clean transaction (RSET)."""
        if self._client is not None and self._client.is_connected:
            try:
                await self._client.rset()
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                await self.close()

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                client.close()


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class EmlDirectoryTransport:
    """No mail server: each message becomes one `.eml` file a newcomer can open."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def deliver(self, sender: str, recipient: str, content: str, name: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{_UNSAFE.sub('-', name).strip('-')}.eml"
        # Written aside and renamed: a reader never sees half a message, and a retry after a
        # crash rewrites the same file instead of adding another.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(content, encoding="utf-8", newline="")
            os.replace(temporary, path)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise DeliveryError(f"cannot write {path}: {error}", permanent=False) from None
        logger.info("mail to %s written to %s", recipient, path)
        return str(path)

    async def close(self) -> None:
        return None


def transport_for(smtp_url: str, mail_dir: Path) -> Transport:
    if smtp_url:
        return SmtpTransport(SmtpServer.from_url(smtp_url))
    return EmlDirectoryTransport(mail_dir)
