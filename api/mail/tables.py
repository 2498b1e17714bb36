"""The outgoing mail queue: one row per message, one row per delivery attempt."""

from enum import Enum

from piccolo.columns import UUID, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class MailStatus(Enum):
    """Where a message is: waiting (or being tried), accepted by the server, or given up on."""

    QUEUED = "QUEUED"
    SENT = "SENT"
    FAILED = "FAILED"


class MailMessage(Table, tablename="mail_message"):
    """One message, rendered in full when it was queued, so every retry sends the same bytes
    with the same Message-ID.

    A deliverer claims a due row by setting `claim_token` and `claimed_until` (its lease): no
    other deliverer takes it until the lease ends, and a claim left by a process that died
    ends by itself, so the message is tried again.
    """

    message_id = Varchar(length=255, unique=True)
    """The `Message-ID` header, angle brackets included."""
    kind = Varchar(length=40)
    """The template it was rendered from (`verify_email`, `password_reset`, ...)."""
    sender = Varchar(length=254)
    recipient = Varchar(length=254, index=True)
    subject = Varchar(length=300)
    content = Text()
    """The whole RFC 5322 message, 7-bit clean."""
    status = Varchar(length=10, choices=MailStatus, default=MailStatus.QUEUED.value, index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    claim_token = UUID(null=True, default=None)
    claimed_until = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)


class AttemptOutcome(Enum):
    """How one delivery attempt ended (none yet: it is under way, or its process died)."""

    SENT = "SENT"
    RETRY = "RETRY"
    """Refused for now (a 4xx reply, a connection or timeout error): tried again later."""
    REFUSED = "REFUSED"
    """Refused for good (a 5xx reply): the message failed."""


class MailAttempt(Table, tablename="mail_attempt"):
    """One try at handing a message to the mail server (or writing its `.eml` file)."""

    message = ForeignKey(references=MailMessage, on_delete=OnDelete.cascade, index=True)
    worker = Varchar(length=200)
    """Which process tried: host and process id."""
    started_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)
    outcome = Varchar(length=10, choices=AttemptOutcome, null=True, default=None)
    detail = Text(default="")
    """The server's reply, or the error."""
