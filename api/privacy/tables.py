"""Data exports: one row per archive a member asked for, from the request to its removal."""

from enum import Enum

from piccolo.columns import UUID, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from api.people.tables import Account


class ExportStatus(Enum):
    """PENDING: asked for, not prepared yet. READY: the archive is written and its link
    mailed. EXPIRED: its link ended (or a newer export replaced it) and the file is gone.
    FAILED: it could not be prepared."""

    PENDING = "PENDING"
    READY = "READY"
    EXPIRED = "EXPIRED"
    FAILED = "FAILED"


class DataExport(Table, tablename="data_export"):
    """One archive of an account's data.

    The worker claims a PENDING row by setting `claim_token` and `claimed_until` (a lease,
    as the mail queue does): another worker takes it only when that lease ended without it
    being prepared (its process died), so an export is prepared once and never lost.
    """

    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    status = Varchar(
        length=10, choices=ExportStatus, default=ExportStatus.PENDING.value, index=True
    )
    requested_at = Timestamptz(default=TimestamptzNow())
    claim_token = UUID(null=True, default=None)
    claimed_until = Timestamptz(null=True, default=None)
    attempts = Integer(default=0)
    token_id = UUID(unique=True, index=True)
    """Signed into the download link (`api.people.tokens`, purpose DATA_EXPORT)."""
    file_name = Varchar(length=200, default="")
    """The archive's name under data_dir/exports once READY."""
    ready_at = Timestamptz(null=True, default=None)
    expires_at = Timestamptz(null=True, default=None, index=True)
    downloaded_at = Timestamptz(null=True, default=None)
    """The first download."""
    downloads = Integer(default=0)
    last_error = Text(default="")
