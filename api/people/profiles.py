"""Profiles: who a person is, where, and how to reach them (behind a stricter audience)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from piccolo.query.methods.select import Select

from api.core.db import write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.outbox import record_person_change
from api.core.prepared import prepared
from api.core.viewer import Viewer
from api.people.audience import Reach, narrower, reach_to, reaches
from api.people.tables import Account, Profile, Visibility

MAX_LINKS = 20
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_URL = re.compile(r"^https?://\S+$")
#: The longest each profile field may be (the name is the account's, as `register` limits it).
_LIMITS = {
    "name": 200,
    "headline": 200,
    "summary": 5_000,
    "city": 120,
    "region": 120,
    "industry": 120,
    "phone": 50,
}
_LINK_LIMITS = {"network": 60, "username": 120, "url": 1000}


class ProfileErrorCode(Enum):
    TOO_LONG = "TOO_LONG"
    INVALID_COUNTRY_CODE = "INVALID_COUNTRY_CODE"
    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_URL = "INVALID_URL"
    TOO_MANY_LINKS = "TOO_MANY_LINKS"
    NAME_REQUIRED = "NAME_REQUIRED"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"


@dataclass(frozen=True)
class ProfileView:
    """A profile as one viewer may see it."""

    account_id: int
    name: str
    row: dict[str, Any]
    show_contact: bool
    is_owner: bool


def _default_row(account_id: int) -> dict[str, Any]:
    return {
        "account": account_id,
        "headline": "",
        "summary": "",
        "city": "",
        "region": "",
        "country_code": "",
        "industry": "",
        "links": [],
        "email": "",
        "phone": "",
        "visibility": Visibility.PUBLIC.value,
        "contact_visibility": Visibility.CONNECTIONS.value,
        "updated_at": None,
    }


@prepared
def _account_names(account_ids: list[int]) -> Select:
    return Account.select(Account.id, Account.name).where(Account.id.is_in(account_ids))


@prepared
def _profiles(account_ids: list[int]) -> Select:
    return Profile.select().where(Profile.account.is_in(account_ids)).output(load_json=True)


async def profile_rows(account_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each account's profile (defaults where none was saved) with the account's name."""
    if not account_ids:
        return {}
    accounts = await _account_names(account_ids)
    saved = {row["account"]: row for row in await _profiles(account_ids)}
    return {
        account["id"]: {
            **saved.get(account["id"], _default_row(account["id"])),
            "name": account["name"],
        }
        for account in accounts
    }


@prepared
def _contact_audiences(account_ids: list[int]) -> Select:
    return Profile.select(Profile.account, Profile.contact_visibility).where(
        Profile.account.is_in(account_ids)
    )


async def contact_audiences(account_ids: list[int]) -> dict[int, Visibility]:
    """Who may see each account's contact details (the default, CONNECTIONS, where no
    profile was saved): one narrow query, for callers that need nothing else of it."""
    if not account_ids:
        return {}
    saved = {
        row["account"]: Visibility(row["contact_visibility"])
        for row in await _contact_audiences(account_ids)
    }
    default = Visibility(_default_row(0)["contact_visibility"])
    return {account_id: saved.get(account_id, default) for account_id in account_ids}


def contact_reached(row: dict[str, Any], reach: Reach) -> bool:
    """Contact details need the narrower of the profile's and the contact audience."""
    audience = narrower(Visibility(row["visibility"]), Visibility(row["contact_visibility"]))
    return reaches(audience, reach)


async def visible_profiles(viewer: Viewer, account_ids: list[int]) -> dict[int, ProfileView]:
    """The profiles among `account_ids` the viewer may see, keyed by account id."""
    rows = await profile_rows(account_ids)
    reach = await reach_to(viewer, list(rows))
    views = {}
    for account_id, row in rows.items():
        if reaches(Visibility(row["visibility"]), reach[account_id]):
            views[account_id] = ProfileView(
                account_id=account_id,
                name=row["name"],
                row=row,
                show_contact=contact_reached(row, reach[account_id]),
                is_owner=reach[account_id].is_owner,
            )
    return views


def _check_length(errors: list[FieldError], field: str, value: str) -> None:
    limit = _LIMITS.get(field)
    if limit and len(value) > limit:
        errors.append(
            FieldError(field, ProfileErrorCode.TOO_LONG, f"Use at most {limit} characters.")
        )


def _validate_links(links: list[dict[str, str]], errors: list[FieldError]) -> list[dict[str, str]]:
    if len(links) > MAX_LINKS:
        errors.append(
            FieldError("links", ProfileErrorCode.TOO_MANY_LINKS, f"Keep at most {MAX_LINKS} links.")
        )
    cleaned = []
    for index, link in enumerate(links):
        parts = {key: (link.get(key) or "").strip() for key in _LINK_LIMITS}
        for key, limit in _LINK_LIMITS.items():
            if len(parts[key]) > limit:
                errors.append(
                    FieldError(
                        f"links[{index}].{key}",
                        ProfileErrorCode.TOO_LONG,
                        f"Use at most {limit} characters.",
                    )
                )
        url = parts["url"]
        if url and not _URL.match(url):
            errors.append(
                FieldError(
                    f"links[{index}].url",
                    ProfileErrorCode.INVALID_URL,
                    "Give a full web address starting with https://.",
                )
            )
        cleaned.append(parts)
    return cleaned


async def update_profile(viewer: Viewer, changes: dict[str, Any]) -> None:
    """Save the given fields of the viewer's own profile (others are left as they are)."""
    account_id = viewer.require_account()
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    for field in ("headline", "summary", "city", "region", "industry", "phone"):
        if field in changes:
            values[field] = (changes[field] or "").strip()
            _check_length(errors, field, values[field])
    if "country_code" in changes:
        code = (changes["country_code"] or "").strip().upper()
        if code and not _COUNTRY_CODE.match(code):
            errors.append(
                FieldError(
                    "countryCode",
                    ProfileErrorCode.INVALID_COUNTRY_CODE,
                    "Use the two-letter ISO 3166 code, like DE or US.",
                )
            )
        values["country_code"] = code
    if "email" in changes:
        email = (changes["email"] or "").strip()
        if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
            errors.append(
                FieldError("email", ProfileErrorCode.INVALID_EMAIL, "Enter a valid email.")
            )
        values["email"] = email
    if "links" in changes:
        values["links"] = _validate_links(changes["links"] or [], errors)
    for field in ("visibility", "contact_visibility"):
        if changes.get(field) is not None:
            values[field] = Visibility(changes[field]).value
    name = changes.get("name")
    if name is not None and not name.strip():
        errors.append(FieldError("name", ProfileErrorCode.NAME_REQUIRED, "Enter your name."))
    elif name is not None:
        _check_length(errors, "name", name.strip())
    if errors:
        raise InvalidInput(*errors)
    values["updated_at"] = datetime.now(UTC)
    async with write_transaction():
        if name is not None:
            await Account.update({Account.name: name.strip()}).where(Account.id == account_id)
        exists = await Profile.exists().where(Profile.account == account_id)
        if exists:
            await Profile.update(values).where(Profile.account == account_id)
        else:
            await Profile.insert(Profile(account=account_id, **values))
        await record_person_change(account_id)


#: The profile fields an imported resume may fill when the person left them empty.
FILLABLE_FIELDS = ("headline", "summary", "city", "region", "country_code", "links")
PLACE_FIELDS = ("city", "region", "country_code")


async def fill_empty_fields(account_id: int, candidates: Mapping[str, Any]) -> list[str]:
    """Give the profile's EMPTY fields the candidate values (from a resume's basics, say);
    what the person set themself is never overwritten, and a value the profile would refuse
    (a country that is no ISO code, a link that is no web address) is left out. Runs inside
    the caller's write transaction; returns the fields it filled."""
    saved = (
        await Profile.select().where(Profile.account == account_id).output(load_json=True).first()
    )
    existing = saved or _default_row(account_id)
    values: dict[str, Any] = {}
    # A place is one thing: a city the person gave is not paired with another's region.
    has_place = any(existing.get(field) for field in PLACE_FIELDS)
    for field in FILLABLE_FIELDS:
        if existing.get(field) or not candidates.get(field):
            continue
        if field in PLACE_FIELDS and has_place:
            continue
        if field == "links":
            errors: list[FieldError] = []
            links = _validate_links(list(candidates[field])[:MAX_LINKS], errors)
            bad = {error.field for error in errors}
            links = [
                link
                for index, link in enumerate(links)
                if f"links[{index}].url" not in bad and (link["url"] or link["username"])
            ]
            if links:
                values[field] = links
            continue
        value = str(candidates[field]).strip()
        if field == "country_code":
            value = value.upper()
            if not _COUNTRY_CODE.match(value):
                continue
        limit = _LIMITS.get(field)
        if value:
            values[field] = value[:limit] if limit else value
    if not values:
        return []
    stored = {**values, "updated_at": datetime.now(UTC)}
    if saved:
        await Profile.update(stored).where(Profile.account == account_id)
    else:
        await Profile.insert(Profile(account=account_id, **stored))
    await record_person_change(account_id)
    return sorted(values)
