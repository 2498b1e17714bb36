"""Roster import: an admin verifies members in bulk from the school's list of graduates.

The roster is CSV with a header row: `email` (required) and optionally `name`, `school`,
`degree`, `field_of_study`, `class_year`. Every row whose email belongs to an active member
makes that member VERIFIED (by the importing admin), and the member gets the roster's alumni
facts for the fields they left blank. Other rows are reported with a reason. The whole roster
costs a fixed handful of statements per 500 rows: accounts and memberships are looked up
with IN lists and updated in bulk, never row by row. With `invite_unmatched`, each
invitation mailed adds its own two (the invitation row and the queued message).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import anyio.to_thread

from api.core.db import write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.settings import Settings
from api.core.viewer import Viewer
from api.networks import invitations
from api.networks import service as networks
from api.networks.directory import (
    BATCH_SIZE,
    DirectoryErrorCode,
    alumni_errors,
    record_directory_changes,
)
from api.networks.tables import Membership, MembershipRole, MembershipStatus, Verification
from api.people.tables import Account
from api.people.verified import require_verified_email

MAX_ROWS = 10_000
COLUMNS = ("email", "name", "school", "degree", "field_of_study", "class_year")
ALUMNI_FIELDS = ("school", "degree", "field_of_study", "class_year")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class UnmatchedReason(Enum):
    NO_ACCOUNT = "NO_ACCOUNT"
    NOT_A_MEMBER = "NOT_A_MEMBER"
    INVALID_ROW = "INVALID_ROW"


@dataclass(frozen=True)
class UnmatchedRow:
    line: int
    email: str
    reason: UnmatchedReason
    message: str


@dataclass(frozen=True)
class RosterRow:
    line: int
    email: str
    values: dict[str, Any]


@dataclass
class RosterReport:
    rows: int = 0
    verified: int = 0
    already_verified: int = 0
    updated_fields: int = 0
    invitations_sent: int = 0
    unmatched: list[UnmatchedRow] = field(default_factory=list)


def _csv_error(message: str, code: DirectoryErrorCode = DirectoryErrorCode.INVALID_CSV) -> Any:
    return InvalidInput(FieldError("csv", code, message))


def parse_roster(text: str) -> tuple[list[RosterRow], list[UnmatchedRow], int]:
    """The roster's valid rows, its invalid ones (with line numbers), and the row count."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise _csv_error(f"The header cannot be read as CSV: {error}.") from None
    if header is None or not any(cell.strip() for cell in header):
        raise _csv_error("The roster is empty; start with a header row, like `email,class_year`.")
    names = [cell.strip().lower().replace(" ", "_") for cell in header]
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise _csv_error(
            f"Unknown column {unknown[0]!r}; use {', '.join(COLUMNS)} (email is required)."
        )
    if "email" not in names:
        raise _csv_error("The header needs an `email` column.")
    if len(set(names)) != len(names):
        raise _csv_error("A column appears twice in the header.")
    valid: list[RosterRow] = []
    invalid: list[UnmatchedRow] = []
    first_line: dict[str, int] = {}
    count = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            invalid.append(
                UnmatchedRow(reader.line_num, "", UnmatchedReason.INVALID_ROW, f"{error}.")
            )
            continue
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are not rows
        count += 1
        if count > MAX_ROWS:
            raise _csv_error(
                f"A roster holds at most {MAX_ROWS} rows; split it into several imports.",
                DirectoryErrorCode.TOO_MANY_ROWS,
            )
        row = _check_row(line, names, cells, first_line)
        if isinstance(row, UnmatchedRow):
            invalid.append(row)
        else:
            valid.append(row)
    return valid, invalid, count


def _check_row(
    line: int, names: list[str], cells: list[str], first_line: dict[str, int]
) -> RosterRow | UnmatchedRow:
    def invalid(email: str, message: str) -> UnmatchedRow:
        return UnmatchedRow(line, email, UnmatchedReason.INVALID_ROW, message)

    if len(cells) != len(names):
        return invalid("", f"Expected {len(names)} fields as in the header, found {len(cells)}.")
    raw = {name: cell.strip() for name, cell in zip(names, cells, strict=True)}
    email = raw["email"].lower()
    if not _EMAIL.match(email):
        return invalid(raw["email"], "This is not an email address.")
    if email in first_line:
        return invalid(email, f"This email is already on line {first_line[email]}.")
    first_line[email] = line
    values: dict[str, Any] = {
        name: raw[name] for name in ("school", "degree", "field_of_study") if raw.get(name)
    }
    if raw.get("class_year"):
        if not raw["class_year"].isdigit():
            return invalid(email, f"Class year {raw['class_year']!r} is not a year.")
        values["class_year"] = int(raw["class_year"])
    problems = alumni_errors(values)
    if problems:
        return invalid(email, problems[0].message)
    return RosterRow(line, email, values)


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[start : start + BATCH_SIZE] for start in range(0, len(items), BATCH_SIZE)]


async def import_roster(
    viewer: Viewer,
    organization_id: int,
    text: str,
    *,
    settings: Settings | None = None,
    invite_unmatched: bool = False,
) -> RosterReport:
    """Verify the roster's active members and fill in their blank alumni facts; with
    `invite_unmatched` (and the `settings` to mail with), invite every address with no account
    (`api.networks.invitations`: once, not again within a week)."""
    if invite_unmatched and settings is None:
        raise ValueError("inviting needs the settings to mail with")
    if await networks.organization(organization_id) is None:
        viewer.require_account()
        raise InvalidInput(
            FieldError(
                "organizationId", DirectoryErrorCode.NOT_FOUND, "No organization has this id."
            )
        )
    await networks.require_admin(viewer, organization_id)
    if invite_unmatched:
        await require_verified_email(viewer, "inviteUnmatched")
    rows, invalid, count = await anyio.to_thread.run_sync(parse_roster, text)
    report = RosterReport(rows=count, unmatched=list(invalid))
    by_email = {row.email: row for row in rows}
    accounts: dict[str, int] = {}
    for chunk in _chunks(list(by_email)):
        for account in await Account.select(Account.id, Account.email).where(
            Account.email.is_in(chunk)
        ):
            accounts[account["email"].lower()] = account["id"]
    memberships: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(accounts.values()))):
        for membership in await Membership.select().where(
            (Membership.organization == organization_id)
            & Membership.account.is_in(chunk)
            & (Membership.status == MembershipStatus.ACTIVE.value)
        ):
            memberships[membership["account"]] = membership
    to_verify: list[int] = []
    fills: dict[str, dict[int, Any]] = {name: {} for name in ALUMNI_FIELDS}
    touched: list[int] = []
    invitees: list[invitations.Invitee] = []
    for row in rows:
        account_id = accounts.get(row.email)
        if account_id is None:
            invitees.append(invitations.Invitee(row.email, MembershipRole.MEMBER, row.values))
            report.unmatched.append(
                UnmatchedRow(
                    row.line,
                    row.email,
                    UnmatchedReason.NO_ACCOUNT,
                    "No account has this email; invite them to register.",
                )
            )
            continue
        membership = memberships.get(account_id)
        if membership is None:
            report.unmatched.append(
                UnmatchedRow(
                    row.line,
                    row.email,
                    UnmatchedReason.NOT_A_MEMBER,
                    "This person is not an active member of the organization.",
                )
            )
            continue
        if membership["verification"] == Verification.VERIFIED.value:
            report.already_verified += 1
        else:
            to_verify.append(membership["id"])
        for name, value in row.values.items():
            if membership[name] in (None, ""):
                fills[name][membership["id"]] = value
                report.updated_fields += 1
        touched.append(membership["id"])
    report.verified = len(to_verify)
    report.unmatched.sort(key=lambda unmatched: unmatched.line)
    if not touched and not (invite_unmatched and invitees):
        return report
    now = datetime.now(UTC)
    async with write_transaction():
        if invite_unmatched and settings is not None:
            sent = await invitations.invite_by_email(
                settings, viewer, organization_id, invitees, from_roster=True
            )
            report.invitations_sent = len(sent)
        for chunk in _chunks(to_verify):
            await Membership.update(
                {
                    Membership.verification: Verification.VERIFIED.value,
                    Membership.verified_by: viewer.account_id,
                    Membership.verified_at: now,
                    Membership.updated_at: now,
                }
            ).where(Membership.id.is_in(chunk))
        await _fill_blanks(fills)
        if touched:
            await record_directory_changes(touched)
    return report


async def _fill_blanks(fills: Mapping[str, Mapping[int, Any]]) -> None:
    """One UPDATE per 500 memberships, setting each blank field from a CASE on the id."""
    ids = sorted({membership_id for values in fills.values() for membership_id in values})
    sql_types = {"class_year": "INTEGER"}
    for chunk in _chunks(ids):
        assignments: list[str] = []
        arguments: list[Any] = []
        for name, values in fills.items():
            cases = [i for i in chunk if i in values]
            if not cases:
                continue
            sql_type = sql_types.get(name, "VARCHAR")
            for membership_id in cases:
                arguments.extend([membership_id, values[membership_id]])
            whens = " ".join(f"WHEN {{}} THEN CAST({{}} AS {sql_type})" for _ in cases)
            assignments.append(f'"{name}" = CASE "id" {whens} ELSE "{name}" END')
        arguments.extend(chunk)
        placeholders = ", ".join("{}" for _ in chunk)
        # Column names come from ALUMNI_FIELDS, never from the roster; values are bound.
        await Membership.raw(
            f'UPDATE "membership" SET {", ".join(assignments)} WHERE "id" IN ({placeholders})',  # noqa: S608
            *arguments,
        )
