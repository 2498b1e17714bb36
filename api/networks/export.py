"""The admin export of a member directory: `/organizations/<slug>/directory.csv` and `.vcf`.

Bearer-token authentication as for /graphql (401 without a valid token), owners and admins
only (403), and every privacy choice honored: the export holds what a fellow member sees
(`api.networks.directory.export_entries`), so unlisted members are absent and hidden fields
blank.

The vCards are vCard 4.0 (RFC 6350), written here: no vCard library is a dependency
(vobject would be a new one, and icalendar's content-line writer sorts properties and its
vCard support is partial), and the format needs only careful escaping (backslash, comma,
semicolon, newline in text; `;` between the components of structured values), CRLF line
ends and lines folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.response import Response

from api.core.auth import InvalidToken, request_viewer
from api.core.errors import Forbidden, InvalidInput
from api.networks.directory import DirectoryEntry, export_entries

CSV_COLUMNS = (
    "name",
    "headline",
    "verified",
    "email",
    "phone",
    "location",
    "employer",
    "title",
    "industry",
    "school",
    "degree",
    "field_of_study",
    "class_year",
    "joined_at",
)
MAX_LINE_OCTETS = 75


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell starting with these is a formula to a spreadsheet: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def directory_csv(entries: Iterable[DirectoryEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(
            [
                _cell(entry.name),
                _cell(entry.headline),
                "yes" if entry.verified else "no",
                _cell(entry.email),
                _cell(entry.phone),
                _cell(entry.location),
                _cell(entry.employer),
                _cell(entry.title),
                _cell(entry.industry),
                _cell(entry.school),
                _cell(entry.degree),
                _cell(entry.field_of_study),
                _cell(entry.class_year),
                entry.joined_at.date().isoformat(),
            ]
        )
    return out.getvalue()


def escape_text(value: str) -> str:
    """A TEXT value per RFC 6350 section 3.4."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 6350 section 3.2), never inside a character."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_LINE_OCTETS
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
            limit = MAX_LINE_OCTETS - 1  # continuation lines start with a space
        current += character
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _name_parts(name: str) -> tuple[str, str]:
    """(family, given): the last word is taken as the family name, as most address books do."""
    words = name.split()
    if len(words) < 2:
        return name, ""
    return words[-1], " ".join(words[:-1])


def vcard(entry: DirectoryEntry, organization_name: str) -> str:
    family, given = _name_parts(entry.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"FN:{escape_text(entry.name)}",
        f"N:{escape_text(family)};{escape_text(given)};;;",
    ]
    if entry.email:
        lines.append(f"EMAIL;TYPE=work:{escape_text(entry.email)}")
    if entry.phone:
        lines.append(f"TEL;VALUE=text:{escape_text(entry.phone)}")
    if entry.employer:
        lines.append(f"ORG:{escape_text(entry.employer)}")
    if entry.title:
        lines.append(f"TITLE:{escape_text(entry.title)}")
    if entry.place and any(entry.place):
        city, region, country = (escape_text(part) for part in entry.place)
        # ADR: post office box; extended address; street; locality; region; postal code;
        # country (RFC 6350 section 6.3.1). The profile has no street: the first three are empty.
        lines.append(f"ADR:;;;{city};{region};;{country}")
    note = [f"Member of {organization_name}" + (" (verified)" if entry.verified else "")]
    education = ", ".join(
        str(part)
        for part in (entry.degree, entry.field_of_study, entry.school, entry.class_year)
        if part
    )
    if education:
        note.append(education)
    if entry.industry:
        note.append(f"Industry: {entry.industry}")
    lines.append(f"NOTE:{escape_text(chr(10).join(note))}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


async def _admin_entries(
    request: Request[Any, Any, Any], state: State, slug: str
) -> tuple[dict[str, Any], list[DirectoryEntry]] | Response[str]:
    """The organization and its export, or the 401/403/404 answer."""
    try:
        viewer = await request_viewer(request, state.settings)  # the same as /graphql
    except InvalidToken as problem:
        return _refusal(401, problem.message, invalid_token=True)
    if viewer.account_id is None:
        return _refusal(401, "Sign in first: send `Authorization: Bearer <token>`.")
    try:
        return await export_entries(viewer, slug)
    except Forbidden as problem:
        return _refusal(403, problem.message)
    except InvalidInput as invalid:
        return _refusal(404, invalid.errors[0].message)


def _refusal(status: int, message: str, *, invalid_token: bool = False) -> Response[str]:
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"' if invalid_token else "Bearer"
    return Response(message, status_code=status, media_type="text/plain", headers=headers)


def _attachment(slug: str, extension: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{slug}-directory.{extension}"',
        "Cache-Control": "no-store",
    }


async def directory_csv_export(
    request: Request[Any, Any, Any], state: State, slug: str
) -> Response[str]:
    """`GET /organizations/<slug>/directory.csv`, for the organization's owners and admins
    (routed by `api.routes`)."""
    found = await _admin_entries(request, state, slug)
    if isinstance(found, Response):
        return found
    organization, entries = found
    return Response(
        directory_csv(entries),
        media_type="text/csv; charset=utf-8",
        headers=_attachment(organization["slug"], "csv"),
    )


async def directory_vcard_export(
    request: Request[Any, Any, Any], state: State, slug: str
) -> Response[str]:
    """`GET /organizations/<slug>/directory.vcf`: vCards (4.0), for the organization's owners
    and admins (routed by `api.routes`)."""
    found = await _admin_entries(request, state, slug)
    if isinstance(found, Response):
        return found
    organization, entries = found
    return Response(
        "".join(vcard(entry, organization["name"]) for entry in entries),
        media_type="text/vcard; charset=utf-8",
        headers=_attachment(organization["slug"], "vcf"),
    )
