"""What a data export holds: every section of one account's own data, as plain JSON.

The owner is the viewer, and each section selects only rows the account owns or takes part
in (its resumes, its applications, its side of a connection, its own posts and comments), so
no visibility rule can hide anything from it; other people appear by name only (the owner's
contacts), never with their contact details. The password hash is never read.

The format is versioned (`FORMAT`): a field is only ever added within one version.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from api.events.tables import Rsvp
from api.jobs.tables import Application, ApplicationStageChange
from api.messaging.tables import Message, Participant
from api.networks.tables import Membership
from api.notifications.tables import Notification, NotificationPreference
from api.people.profiles import profile_rows
from api.people.tables import Account, Connection
from api.posts.tables import Comment, Post
from api.resumes.service import load_resume_row
from api.resumes.tables import OpenToWork, Resume, SavedSearch

FORMAT = "confrere-export/1"


def _json(value: Any) -> Any:
    """A JSON column as a value (SQLite hands them over as text)."""
    return json.loads(value) if isinstance(value, str) else value


def _exported(row: dict[str, Any], *columns: str, **renamed: str) -> dict[str, Any]:
    """The row's `columns` under their camelCase names, and each of `renamed` (name: column)."""
    exported = {_camel(column): row[column] for column in columns}
    exported.update({name: row[column] for name, column in renamed.items()})
    return exported


def _camel(column: str) -> str:
    first, *rest = column.split("_")
    return first + "".join(part.capitalize() for part in rest)


async def _account(account_id: int) -> dict[str, Any]:
    row = await (
        Account.select(
            Account.id,
            Account.email,
            Account.name,
            Account.created_at,
            Account.email_verified_at,
        )
        .where(Account.id == account_id)
        .first()
    )
    assert row is not None, account_id
    return {
        "id": row["id"],
        "email": row["email"],
        "name": row["name"],
        "createdAt": row["created_at"],
        "emailVerifiedAt": row["email_verified_at"],
    }


async def _profile(account_id: int) -> dict[str, Any]:
    row = (await profile_rows([account_id]))[account_id]
    return {
        "headline": row["headline"],
        "summary": row["summary"],
        "city": row["city"],
        "region": row["region"],
        "countryCode": row["country_code"],
        "industry": row["industry"],
        "links": _json(row["links"]),
        "email": row["email"],
        "phone": row["phone"],
        "visibility": row["visibility"],
        "contactVisibility": row["contact_visibility"],
        "updatedAt": row["updated_at"],
    }


async def _open_to_work(account_id: int) -> dict[str, Any] | None:
    row = await OpenToWork.select().where(OpenToWork.account == account_id).first()
    if row is None:
        return None
    return {
        "titles": _json(row["titles"]),
        "locations": _json(row["locations"]),
        "workplaceTypes": _json(row["workplace_types"]),
        "employmentTypes": _json(row["employment_types"]),
        "earliestStart": row["earliest_start"],
        "audience": row["audience"],
        "updatedAt": row["updated_at"],
    }


async def _resumes(account_id: int) -> list[dict[str, Any]]:
    rows = await Resume.select().where(Resume.owner == account_id).order_by(Resume.id)
    return [
        {
            "title": row["title"],
            "isPrimary": row["is_primary"],
            "visibility": row["visibility"],
            "createdAt": row["created_at"],
            "updatedAt": row["updated_at"],
            "jsonResume": load_resume_row(row)["document"],
        }
        for row in rows
    ]


async def _applications(account_id: int) -> list[dict[str, Any]]:
    rows = (
        await Application.select(
            Application.id,
            Application.job.title.as_alias("job_title"),
            Application.job.slug.as_alias("job_slug"),
            Application.job.organization.name.as_alias("employer"),
            Application.resume.title.as_alias("resume_title"),
            Application.note,
            Application.stage,
            Application.created_at,
            Application.updated_at,
        )
        .where(Application.applicant == account_id)
        .order_by(Application.id)
    )
    ids = [row["id"] for row in rows]
    history: dict[int, list[dict[str, Any]]] = {id_: [] for id_ in ids}
    if ids:
        changes = (
            await ApplicationStageChange.select(
                ApplicationStageChange.application,
                ApplicationStageChange.from_stage,
                ApplicationStageChange.stage,
                ApplicationStageChange.moved_at,
            )
            .where(ApplicationStageChange.application.is_in(ids))
            .order_by(ApplicationStageChange.id)
        )
        for change in changes:
            history[change["application"]].append(
                {
                    "from": change["from_stage"] or None,
                    "to": change["stage"],
                    "at": change["moved_at"],
                }
            )
    return [
        {
            "job": {"title": row["job_title"], "slug": row["job_slug"]},
            "employer": row["employer"],
            "resumeTitle": row["resume_title"],
            "note": row["note"],
            "stage": row["stage"],
            "stageHistory": history[row["id"]],
            "appliedAt": row["created_at"],
            "updatedAt": row["updated_at"],
        }
        for row in rows
    ]


async def _memberships(account_id: int) -> list[dict[str, Any]]:
    rows = (
        await Membership.select(
            Membership.organization.name.as_alias("organization_name"),
            Membership.organization.slug.as_alias("organization_slug"),
            Membership.organization.kind.as_alias("organization_kind"),
            Membership.role,
            Membership.status,
            Membership.school,
            Membership.degree,
            Membership.field_of_study,
            Membership.class_year,
            Membership.verification,
            Membership.verified_at,
            Membership.listed,
            Membership.created_at,
        )
        .where(Membership.account == account_id)
        .order_by(Membership.id)
    )
    return [
        {
            "organization": {
                "name": row["organization_name"],
                "slug": row["organization_slug"],
                "kind": row["organization_kind"],
            },
            "role": row["role"],
            "status": row["status"],
            "school": row["school"],
            "degree": row["degree"],
            "fieldOfStudy": row["field_of_study"],
            "classYear": row["class_year"],
            "verification": row["verification"],
            "verifiedAt": row["verified_at"],
            "listedInDirectory": row["listed"],
            "since": row["created_at"],
        }
        for row in rows
    ]


async def _connections(account_id: int) -> list[dict[str, Any]]:
    rows = (
        await Connection.select(
            Connection.requester,
            Connection.requester.name.as_alias("requester_name"),
            Connection.addressee.name.as_alias("addressee_name"),
            Connection.status,
            Connection.note,
            Connection.created_at,
            Connection.responded_at,
        )
        .where((Connection.requester == account_id) | (Connection.addressee == account_id))
        .order_by(Connection.id)
    )
    connections = []
    for row in rows:
        sent = row["requester"] == account_id
        connections.append(
            {
                "person": row["addressee_name"] if sent else row["requester_name"],
                "direction": "SENT" if sent else "RECEIVED",
                "status": row["status"],
                "note": row["note"],
                "requestedAt": row["created_at"],
                "respondedAt": row["responded_at"],
            }
        )
    return connections


async def _rsvps(account_id: int) -> list[dict[str, Any]]:
    rows = (
        await Rsvp.select(
            Rsvp.event.title.as_alias("event_title"),
            Rsvp.event.starts_at.as_alias("event_starts_at"),
            Rsvp.event.organization.name.as_alias("organization_name"),
            Rsvp.status,
            Rsvp.guests,
            Rsvp.created_at,
            Rsvp.updated_at,
        )
        .where(Rsvp.account == account_id)
        .order_by(Rsvp.id)
    )
    return [
        {
            "event": {
                "title": row["event_title"],
                "startsAt": row["event_starts_at"],
                "organization": row["organization_name"],
            },
            **_exported(row, "status", "guests", "updated_at", answeredAt="created_at"),
        }
        for row in rows
    ]


async def _posts(account_id: int) -> list[dict[str, Any]]:
    rows = (
        await Post.select(
            Post.organization.name.as_alias("organization_name"),
            Post.kind,
            Post.title,
            Post.body,
            Post.status,
            Post.audience,
            Post.created_at,
            Post.published_at,
            Post.updated_at,
        )
        .where(Post.author == account_id)
        .order_by(Post.id)
    )
    columns = ("kind", "title", "body", "status", "audience")
    dates = ("created_at", "published_at", "updated_at")
    return [_exported(row, *columns, *dates, organization="organization_name") for row in rows]


async def _comments(account_id: int) -> list[dict[str, Any]]:
    rows = (
        await Comment.select(
            Comment.post.title.as_alias("post_title"),
            Comment.post.organization.name.as_alias("organization_name"),
            Comment.body,
            Comment.status,
            Comment.created_at,
            Comment.updated_at,
        )
        .where(Comment.author == account_id)
        .order_by(Comment.id)
    )
    return [
        {
            "post": {"title": row["post_title"], "organization": row["organization_name"]},
            **_exported(row, "body", "status", "created_at", "updated_at"),
        }
        for row in rows
    ]


async def _saved_searches(account_id: int) -> list[dict[str, Any]]:
    rows = (
        await SavedSearch.select().where(SavedSearch.owner == account_id).order_by(SavedSearch.id)
    )
    return [
        {
            **_exported(
                row,
                "kind",
                "name",
                "query",
                "sort",
                "created_at",
                "last_run_at",
                "alert_frequency",
                "last_alert_at",
            ),
            "filter": _json(row["filter"]),
        }
        for row in rows
    ]


async def _notifications(account_id: int) -> list[dict[str, Any]]:
    rows = (
        await Notification.select()
        .where(Notification.recipient == account_id)
        .order_by(Notification.created_at, Notification.id)
    )
    columns = ("kind", "subject_type", "subject_title", "detail", "created_at", "read_at")
    return [
        _exported(row, *columns, "emailed_at", count="occurrences", emailPlan="email_plan")
        for row in rows
    ]


async def _notification_preferences(account_id: int) -> list[dict[str, Any]]:
    """The choices the person made (the kinds they left alone follow the defaults)."""
    rows = (
        await NotificationPreference.select()
        .where(NotificationPreference.account == account_id)
        .order_by(NotificationPreference.kind)
    )
    return [_exported(row, "kind", "email") for row in rows]


async def _messages(account_id: int) -> list[dict[str, Any]]:
    """The messages the person wrote, each with the others in its conversation by name (a
    deleted one without its body, as everyone sees it)."""
    rows = (
        await Message.select(
            Message.conversation,
            Message.body,
            Message.created_at,
            Message.edited_at,
            Message.deleted_at,
        )
        .where(Message.author == account_id)
        .order_by(Message.id)
    )
    others: dict[int, list[str]] = {}
    conversations = sorted({row["conversation"] for row in rows})
    if conversations:
        for row in (
            await Participant.select(
                Participant.conversation, Participant.account.name.as_alias("name")
            )
            .where(
                Participant.conversation.is_in(conversations) & (Participant.account != account_id)
            )
            .order_by(Participant.id)
        ):
            others.setdefault(row["conversation"], []).append(row["name"])
    return [
        {
            "with": others.get(row["conversation"], []),
            **_exported(row, "created_at", "edited_at", "deleted_at"),
            "body": row["body"] if row["deleted_at"] is None else None,
        }
        for row in rows
    ]


async def gather(account_id: int, *, exported_at: datetime) -> dict[str, Any]:
    """The whole archive of the account, ready for `dumps`."""
    return {
        "format": FORMAT,
        "exportedAt": exported_at,
        "account": await _account(account_id),
        "profile": await _profile(account_id),
        "openToWork": await _open_to_work(account_id),
        "resumes": await _resumes(account_id),
        "applications": await _applications(account_id),
        "memberships": await _memberships(account_id),
        "connections": await _connections(account_id),
        "rsvps": await _rsvps(account_id),
        "posts": await _posts(account_id),
        "comments": await _comments(account_id),
        "savedSearches": await _saved_searches(account_id),
        "notifications": await _notifications(account_id),
        "notificationPreferences": await _notification_preferences(account_id),
        "messages": await _messages(account_id),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(archive: dict[str, Any]) -> bytes:
    """The archive as UTF-8 JSON, dates in ISO 8601."""
    return json.dumps(archive, default=_plain, ensure_ascii=False, indent=2).encode()
