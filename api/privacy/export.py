"""Data export (portability): a member asks for a copy of their data, the worker prepares it
off the request path and mails a signed link to it; the link works until it expires.

Life of an export (`DataExport`): `request_export` records a PENDING row (one pending per
account, a few per day). The worker's duty (`prepare_due_exports`) claims a PENDING row under a
lease, gathers the archive (`api.privacy.archive`), writes it under data_dir/exports (a
temporary file, then `os.replace`, so a half-written file is never served), and in one
transaction marks it READY, expires the account's older exports and queues the mail with the
link. `prune_expired_exports` removes the files of exports past `expires_at`.

The link is `<site>/exports/<token>`: the token signs the row's random `token_id` with the
secret key for the DATA_EXPORT purpose (`api.people.tokens`), so a forged or altered token is
refused without a database read (404), and one token opens one export. It works any number of
times until it expires (a broken download can be retried); then, or once a newer export
replaced it, it answers 410 Gone. The link is the secret: no session is asked for (a browser
session never authenticates a GET).
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path

from piccolo.engine.postgres import PostgresEngine

from api.core.db import Queue, current_engine, queued, write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.settings import Settings
from api.core.viewer import Viewer
from api.mail.compose import compose
from api.mail.service import send
from api.people import tokens
from api.people.tables import Account
from api.people.throttle import Limit, Throttled, reserve
from api.privacy import archive
from api.privacy.tables import DataExport, ExportStatus

logger = logging.getLogger("confrere.privacy")

#: How long a download link works; the file is deleted after.
VALID_FOR = timedelta(days=7)
#: Exports one account may ask for per day (one pending at a time besides).
EXPORTS_PER_DAY = 3
EXPORT_WINDOW = timedelta(days=1)
#: How long a claim holds: far longer than gathering one account's data takes.
LEASE = timedelta(minutes=10)
#: Claims before an export that keeps failing (or killing its worker) is given up on.
MAX_ATTEMPTS = 3


class ExportPurpose(Enum):
    """The purpose an export link's token is signed for (no other token passes for it)."""

    DATA_EXPORT = "DATA_EXPORT"


class ExportErrorCode(Enum):
    EXPORT_PENDING = "EXPORT_PENDING"
    TOO_MANY_EXPORTS = "TOO_MANY_EXPORTS"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"


@dataclass(frozen=True)
class ExportRecord:
    """An export as its owner sees it."""

    id: int
    status: ExportStatus
    requested_at: datetime
    ready_at: datetime | None
    expires_at: datetime | None

    @classmethod
    def from_row(cls, row: dict) -> ExportRecord:
        return cls(
            id=row["id"],
            status=ExportStatus(row["status"]),
            requested_at=row["requested_at"],
            ready_at=row["ready_at"],
            expires_at=row["expires_at"],
        )


def exports_dir(settings: Settings) -> Path:
    return settings.data_dir / "exports"


def export_limit(account_id: int) -> Limit:
    return Limit(f"data-export|{account_id}", EXPORTS_PER_DAY, EXPORT_WINDOW)


def _now() -> datetime:
    return datetime.now(UTC)


def _pending() -> InvalidInput:
    return InvalidInput(
        FieldError(
            None,
            ExportErrorCode.EXPORT_PENDING,
            "An export you asked for is being prepared; its link will be mailed to you.",
        )
    )


async def request_export(viewer: Viewer) -> ExportRecord:
    """Record the signed-in viewer's request for an archive of their data."""
    account_id = viewer.require_account()
    pending = (DataExport.account == account_id) & (DataExport.status == ExportStatus.PENDING.value)
    if await DataExport.exists().where(pending):
        raise _pending()  # before the throttle: asking again meanwhile costs no attempt
    try:
        await reserve([export_limit(account_id)])
    except Throttled as throttled:
        raise InvalidInput(
            FieldError(
                None,
                ExportErrorCode.TOO_MANY_EXPORTS,
                f"You asked for {EXPORTS_PER_DAY} exports within a day; "
                f"try again in {throttled.wait_words}.",
            )
        ) from throttled
    async with write_transaction():
        if isinstance(current_engine(), PostgresEngine):
            # Two requests at once queue here (SQLite: the IMMEDIATE transaction does it).
            await Account.select(Account.id).where(Account.id == account_id).lock_rows()
        if await DataExport.exists().where(pending):
            raise _pending()
        rows = await DataExport.insert(
            DataExport(account=account_id, token_id=uuid.uuid4(), requested_at=_now())
        ).returning(*DataExport.all_columns())
        queued(Queue.EXPORTS)
    return ExportRecord.from_row(rows[0])


@dataclass(frozen=True)
class Claimed:
    id: int
    account_id: int
    token_id: uuid.UUID
    claim_token: uuid.UUID
    attempts: int


async def claim_next() -> Claimed | None:
    """Claim the oldest PENDING export whose lease (if any) ended; None when there is none."""
    now = _now()
    due = (DataExport.status == ExportStatus.PENDING.value) & (
        DataExport.claimed_until.is_null() | (DataExport.claimed_until < now)
    )
    if not await DataExport.exists().where(due):  # a plain read: no write lock for nothing
        return None
    claim = uuid.uuid4()
    async with write_transaction():
        query = DataExport.select(DataExport.id).where(due).order_by(DataExport.id).limit(1)
        if isinstance(current_engine(), PostgresEngine):
            query = query.lock_rows(skip_locked=True, of=(DataExport,))
        candidate = await query.first()
        if candidate is None:
            return None
        rows = (
            await DataExport.update(
                {
                    DataExport.claim_token: claim,
                    DataExport.claimed_until: now + LEASE,
                    DataExport.attempts: DataExport.attempts + 1,
                }
            )
            .where((DataExport.id == candidate["id"]) & due)
            .returning(DataExport.id, DataExport.account, DataExport.token_id, DataExport.attempts)
        )
    if not rows:
        return None
    row = rows[0]
    token_id = row["token_id"]
    return Claimed(
        id=row["id"],
        account_id=row["account"],
        token_id=token_id if isinstance(token_id, uuid.UUID) else uuid.UUID(str(token_id)),
        claim_token=claim,
        attempts=row["attempts"],
    )


def _write(directory: Path, name: str, content: bytes) -> None:
    """Write the file whole or not at all: a reader sees the old name or the complete file."""
    directory.mkdir(parents=True, exist_ok=True)
    temporary = directory / f".{name}.{uuid.uuid4().hex}.tmp"
    try:
        with temporary.open("wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, directory / name)
    finally:
        temporary.unlink(missing_ok=True)


def _remove(settings: Settings, file_names: list[str]) -> None:
    for name in file_names:
        if name:
            (exports_dir(settings) / name).unlink(missing_ok=True)


def download_link(settings: Settings, token: str) -> str:
    return f"{settings.site_url}exports/{token}"


async def prepare(settings: Settings, claimed: Claimed) -> None:
    """Gather and write the claimed export's archive, then mark it READY and mail its link."""
    now = _now()
    content = archive.dumps(await archive.gather(claimed.account_id, exported_at=now))
    name = f"confrere-export-{now:%Y%m%d}-{claimed.token_id.hex}.json"
    _write(exports_dir(settings), name, content)
    expires_at = now + VALID_FOR
    replaced: list[str] = []
    async with write_transaction():
        moved = (
            await DataExport.update(
                {
                    DataExport.status: ExportStatus.READY.value,
                    DataExport.file_name: name,
                    DataExport.ready_at: now,
                    DataExport.expires_at: expires_at,
                    DataExport.claim_token: None,
                    DataExport.claimed_until: None,
                }
            )
            .where(
                (DataExport.id == claimed.id)
                & (DataExport.claim_token == claimed.claim_token)
                & (DataExport.status == ExportStatus.PENDING.value)
            )
            .returning(DataExport.id)
        )
        if not moved:  # our lease ended and another worker took it over: theirs counts
            _remove(settings, [name])
            return
        older = (
            await DataExport.update(
                {DataExport.status: ExportStatus.EXPIRED.value, DataExport.expires_at: now}
            )
            .where(
                (DataExport.account == claimed.account_id)
                & (DataExport.status == ExportStatus.READY.value)
                & (DataExport.id != claimed.id)
            )
            .returning(DataExport.file_name)
        )
        replaced = [row["file_name"] for row in older]
        account = (
            await Account.select(Account.email, Account.name)
            .where(Account.id == claimed.account_id)
            .first()
        )
        assert account is not None  # deleting an account deletes its exports
        token = tokens.sign(
            settings.resolved_secret_key(), ExportPurpose.DATA_EXPORT, claimed.token_id
        )
        await send(
            compose(
                settings,
                "data_export_ready",
                to_address=account["email"],
                to_name=account["name"],
                subject="Your data export is ready",
                context={
                    "link": download_link(settings, token),
                    "valid_for": f"{VALID_FOR.days} days",
                },
            )
        )
    _remove(settings, replaced)


async def _failed(claimed: Claimed, error: Exception) -> None:
    """Leave it PENDING for another try after the lease, or give up after `MAX_ATTEMPTS`."""
    async with write_transaction():
        values: dict = {DataExport.last_error: repr(error)[:2000]}
        if claimed.attempts >= MAX_ATTEMPTS:
            values[DataExport.status] = ExportStatus.FAILED.value
        await DataExport.update(values).where(
            (DataExport.id == claimed.id) & (DataExport.claim_token == claimed.claim_token)
        )


async def prepare_due_exports(settings: Settings) -> int:
    """Prepare every PENDING export, one claim at a time; returns how many were prepared."""
    prepared = 0
    while (claimed := await claim_next()) is not None:
        try:
            await prepare(settings, claimed)
        except Exception as error:  # counted, so an export that always fails cannot loop
            logger.exception("preparing data export %d failed", claimed.id)
            await _failed(claimed, error)
            continue
        prepared += 1
    return prepared


async def prune_expired_exports(settings: Settings) -> int:
    """Mark READY exports past their expiry EXPIRED and delete their files; returns how many."""
    now = _now()
    due = (DataExport.status == ExportStatus.READY.value) & (DataExport.expires_at <= now)
    if not await DataExport.exists().where(due):  # a plain read: no write lock for nothing
        return 0
    async with write_transaction():
        rows = (
            await DataExport.update({DataExport.status: ExportStatus.EXPIRED.value})
            .where((DataExport.status == ExportStatus.READY.value) & (DataExport.expires_at <= now))
            .returning(DataExport.file_name)
        )
    _remove(settings, [row["file_name"] for row in rows])
    return len(rows)


class DownloadRefused(Exception):
    """The link opens nothing: `gone` when it was good once (expired, replaced), else it is
    not a link this server made (404, which says nothing of any account)."""

    def __init__(self, *, gone: bool) -> None:
        super().__init__("gone" if gone else "not found")
        self.gone = gone


@dataclass(frozen=True)
class Download:
    path: Path
    file_name: str


async def open_download(settings: Settings, token: str) -> Download:
    """The archive a download link opens, counting the download; `DownloadRefused` if none."""
    token_id = tokens.read(settings.resolved_secret_key(), ExportPurpose.DATA_EXPORT, token)
    if token_id is None:
        raise DownloadRefused(gone=False)
    now = _now()
    async with write_transaction():
        rows = (
            await DataExport.update({DataExport.downloads: DataExport.downloads + 1})
            .where(
                (DataExport.token_id == token_id)
                & (DataExport.status == ExportStatus.READY.value)
                & (DataExport.expires_at > now)
            )
            .returning(DataExport.id, DataExport.file_name)
        )
        if rows:
            await DataExport.update({DataExport.downloaded_at: now}).where(
                (DataExport.id == rows[0]["id"]) & DataExport.downloaded_at.is_null()
            )
    if not rows:
        # Signed by us, so it named an export once; prepared or not, it opens nothing now.
        raise DownloadRefused(gone=True)
    path = exports_dir(settings) / rows[0]["file_name"]
    if not path.is_file():
        raise DownloadRefused(gone=True)
    return Download(path=path, file_name=rows[0]["file_name"])


async def delete_exports_of(settings: Settings, account_id: int) -> int:
    """Forget every export of the account and delete their files (for erasing an account:
    its rows would go with it by cascade, its files would not). Returns how many."""
    async with write_transaction():
        rows = (
            await DataExport.delete()
            .where(DataExport.account == account_id)
            .returning(DataExport.file_name)
        )
    _remove(settings, [row["file_name"] for row in rows])
    return len(rows)
