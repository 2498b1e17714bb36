"""The hostile cases today's code fails, in groups, each with what fails (and issue 11's item).

A case is named "<database>/<viewer>/<target> <argument> <kind>", e.g.
"sqlite/staff/Query.node id id:huge". A group matches names by patterns (fnmatch, with
`{a,b}` alternatives) and may leave some out (`unless`). Every case a group matches is an
xfail(strict=True): when a fix lands, its cases pass, the run fails on the unexpected pass,
and the fix removes (or narrows) its group here.

`python -m tests.hostile.known report.xml` lists the failing cases of a
`pytest tests/hostile --runxfail --junitxml=report.xml` run, by kind, to redraw the groups.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from collections import defaultdict
from dataclasses import dataclass


def expand(pattern: str) -> list[str]:
    """`a.{b,c} d` -> ["a.b d", "a.c d"] (nested braces are not needed here)."""
    match = re.search(r"\{([^{}]*)\}", pattern)
    if not match:
        return [pattern]
    head, tail = pattern[: match.start()], pattern[match.end() :]
    return [p for option in match.group(1).split(",") for p in expand(head + option + tail)]


@dataclass(frozen=True)
class Known:
    reason: str
    cases: tuple[str, ...]
    unless: tuple[str, ...] = ()

    def matches(self, name: str) -> bool:
        def any_of(patterns: tuple[str, ...]) -> bool:
            return any(
                fnmatch.fnmatchcase(name, expanded)
                for pattern in patterns
                for expanded in expand(pattern)
            )

        return any_of(self.cases) and not any_of(self.unless)


# Text positions, named once: mutations store these as given today.
EVENT_TEXT = (
    "{Mutation.createEvent,Mutation.updateEvent} {input.address,input.description,input.title,"
    "input.venue}"
)
JOB_TEXT = (
    "{Mutation.createJob,Mutation.updateJob} {input.description,input.educationLevel,"
    "input.identifier,input.salary.currency,input.title}"
)
JOB_LISTS = (
    "{Mutation.createJob,Mutation.updateJob} {input.locations.address,input.locations.city,"
    "input.locations.postalCode,input.locations.region,input.skills}"
)
ORGANIZATION_TEXT = (
    "{Mutation.createOrganization,Mutation.updateOrganization} {input.description,"
    "input.interest,input.location,input.name}"
)
POST_TEXT = "{Mutation.createPost,Mutation.updatePost} {input.body,input.title}"
RESUME_TITLE = "{Mutation.importResume,Mutation.updateResume} input.title"
PROFILE_TEXT = (
    "Mutation.updateProfile {input.city,input.headline,input.industry,input.name,input.phone,"
    "input.region,input.summary}"
)
PROFILE_LINKS = "Mutation.updateProfile {input.links.network,input.links.username}"
SAVED_SEARCH_LISTS = (
    "Mutation.saveCandidateSearch input.filter.{cities,countries,currentTitles,degrees,"
    "excludedSkills,languages,niceToHaveSkills,pastEmployers,regions,schools,skills}"
)
SAVED_SEARCH_TEXT = "Mutation.saveCandidateSearch {input.name,input.query}"
OPEN_TO_WORK = "Mutation.setOpenToWork {input.locations,input.titles}"
SMALL_TEXT = (
    "{Mutation.addComment input.body,Mutation.submitPerk input.code,"
    "Mutation.updateBusinessListing input.blurb}"
)
REASONS = (
    "{Mutation.rejectJob input.reason,Mutation.rejectPerk input.reason,"
    "Mutation.reportJob input.reason,Mutation.reportComment input.details,"
    "Mutation.reportPost input.details}"
)
STORED_TEXT = (
    EVENT_TEXT,
    JOB_TEXT,
    JOB_LISTS,
    ORGANIZATION_TEXT,
    POST_TEXT,
    RESUME_TITLE,
    PROFILE_TEXT,
    PROFILE_LINKS,
    SAVED_SEARCH_LISTS,
    SAVED_SEARCH_TEXT,
    OPEN_TO_WORK,
    SMALL_TEXT,
)

KNOWN_FAILURES: list[Known] = [
    # --- crashes (INTERNAL_SERVER_ERROR or HTTP 5xx) ---
    Known(
        "issue 11 item 8: an id past 64 bits reaches the database (OverflowError on SQLite, "
        "DataError on PostgreSQL)",
        ("*/*/* * id:huge",),
        unless=(
            # refused before the id is read: not staff, not the owner, already applied
            "sqlite/member/{Mutation.approveJob,Mutation.rejectJob} input.id id:huge",
            "sqlite/member/Mutation.verifyEmployer input.organizationId id:huge",
            "sqlite/member/{Mutation.applyForBusinessMembership,Mutation.submitPerk} "
            "input.chamberId id:huge",
            "sqlite/*/Mutation.applyToJob input.resumeId id:huge",  # applied by an earlier case
            "sqlite/member/{Mutation.createJob,Mutation.updateJob} "
            "input.membersOnlyOrganizationId id:huge",
            # read by the search index, never by SQL
            "*/Query.searchJobs filter.organizationIds id:huge",
        ),
    ),
    Known(
        "issue 11 item 8: a cursor past 64 bits reaches the database (OverflowError, DataError)",
        ("*/*/* after cursor:huge",),
        unless=(
            # search positions are checked against the 1000-result cap first
            "*/{Query.directory,Query.searchCandidates,Query.searchJobs,SavedSearch.results} "
            "after cursor:huge",
            # ranked in Python, or refused before the cursor is read (member: not an admin)
            "*/{Person.mutualConnections,Query.businessMemberships} after cursor:huge",
            "sqlite/member/{Job.applications,Organization.members,Query.jobsAwaitingReview,"
            "Query.postReports} after cursor:huge",
        ),
    ),
    Known(
        "issue 11 item 8: a cursor below -2**63 reaches the database, and a negative search "
        "position reaches Whoosh ('offset must be between 0 and 1000')",
        ("*/*/* after cursor:negative",),
        unless=(
            "*/{Person.mutualConnections,Query.businessMemberships} after cursor:negative",
            "sqlite/*/{Account.connections,Account.peopleYouMayKnow} after cursor:negative",
            "sqlite/member/{Job.applications,Organization.members,Query.jobsAwaitingReview,"
            "Query.postReports} after cursor:negative",
        ),
    ),
    Known(
        "issue 11 item 8: minYearsOfExperience/maxYearsOfExperience of ±1e308 (and the 1e309 "
        "literal, infinity) overflow in search filters and saved searches",
        ("*/*/* * float:huge",),
    ),
    Known(
        "issue 11 item 8: 250 nested parentheses in a search query (RecursionError)",
        (
            "sqlite/staff/{Query.directory,Query.searchCandidates,Query.searchJobs} query "
            "string:nested",
            "sqlite/staff/Mutation.saveCandidateSearch input.query string:nested",
        ),
    ),
    Known(
        "not in issue 11: a bad id in filter.organizationIds of jobs/searchJobs raises "
        "InvalidInput inside a query, which nothing turns into an error with a code",
        (
            "sqlite/*/{Query.jobs,Query.searchJobs} filter.organizationIds "
            "id:{control,junk,negative,non-numeric,wrong-type}",
        ),
    ),
    Known(
        "not in issue 11: datetimes at the edges of the calendar (year 9999 at -14:00, year 1 "
        "at +14:00) overflow converting to UTC; a naive validThrough is compared with an "
        "aware one (TypeError)",
        (
            "*/staff/{Mutation.createJob,Mutation.updateJob} input.validThrough datetime:range",
            "*/staff/Query.events {from,to} datetime:range",
            "*/staff/Query.jobs filter.postedSince datetime:range",
        ),
    ),
    Known(
        "not in issue 11: a JSON body nested 100,000 deep (RecursionError) or holding a "
        "5,000-digit number (ValueError: int digits limit) answers HTTP 500",
        (
            "sqlite/staff/{Mutation.importJob,Mutation.importResume,Mutation.updateResume} "
            "* json:{deep,huge}",
        ),
    ),
    Known(
        "not in issue 11: a lone UTF-16 surrogate (\\ud800) in text cannot be encoded as "
        "UTF-8 when it is written or searched (UnicodeEncodeError)",
        (
            *(f"sqlite/staff/{position} string:surrogate" for position in STORED_TEXT),
            "sqlite/anonymous/Mutation.login {input.email,input.password} string:surrogate",
            "sqlite/anonymous/Mutation.register input.name string:surrogate",
            "sqlite/staff/Mutation.inviteMember input.email string:surrogate",
            "sqlite/staff/{Query.businessDirectory query,Query.organization slug} string:surrogate",
        ),
        unless=(
            "sqlite/staff/{Mutation.createJob,Mutation.updateJob} input.skills string:surrogate",
            f"sqlite/staff/{PROFILE_LINKS} string:surrogate",
            f"sqlite/staff/{SAVED_SEARCH_LISTS} string:surrogate",
            f"sqlite/staff/{OPEN_TO_WORK} string:surrogate",
        ),
    ),
    Known(
        "not in issue 11: a million-character businessDirectory query makes SQLite's LIKE "
        "pattern too complex",
        ("sqlite/staff/Query.businessDirectory query string:million",),
    ),
    Known(
        "issue 11 item 9: a NUL reaches PostgreSQL, which refuses it in text "
        "(CharacterNotInRepertoireError)",
        (
            *(f"postgres/staff/{position} string:nul" for position in STORED_TEXT),
            f"postgres/staff/{REASONS} string:nul",
            "postgres/staff/{Mutation.applyToJob input.note,Mutation.inviteMember input.email} "
            "string:nul",
            "postgres/anonymous/{Mutation.login input.email,Mutation.register input.name} "
            "string:nul",
            "postgres/staff/{Query.businessDirectory query,Query.organization slug} string:nul",
        ),
    ),
    # --- bad text accepted (the mutation should answer a userError) ---
    Known(
        "issue 11 item 9: C0 control characters in text are stored as given",
        (
            *(f"sqlite/staff/{position} string:{{nul,control}}" for position in STORED_TEXT),
            f"sqlite/staff/{REASONS} string:nul",
        ),
    ),
    Known(
        "issue 11 item 10: text without a length limit stores a million characters",
        (
            "sqlite/staff/{Mutation.createJob,Mutation.updateJob} {input.educationLevel,"
            "input.identifier,input.locations.address,input.locations.city,"
            "input.locations.postalCode,input.locations.region,input.salary.currency,"
            "input.skills} string:million",
            "sqlite/staff/{Mutation.createOrganization,Mutation.updateOrganization} "
            "input.description string:million",
            "sqlite/staff/{Mutation.saveCandidateSearch input.name,"
            f"{SAVED_SEARCH_LISTS}}} string:million",
            f"sqlite/staff/{OPEN_TO_WORK} string:million",
            "sqlite/staff/Mutation.updateProfile {input.links.network,input.links.username,"
            "input.name,input.summary} string:million",
        ),
    ),
]


def reason_for(name: str) -> str | None:
    for known in KNOWN_FAILURES:
        if known.matches(name):
            return known.reason
    return None


def _failing_cases(report: str) -> dict[str, list[str]]:
    import xml.etree.ElementTree as ET

    by_kind: dict[str, list[str]] = defaultdict(list)
    for case in ET.parse(report).iter("testcase"):  # noqa: S314 (a report pytest wrote)
        found = re.search(
            r"test_bad_value_on_(\w+)\[(\w+)-(\S+?)-(\S+)-(\w+:[\w-]+)\]", case.get("name", "")
        )
        if found and case.find("failure") is not None:
            database, viewer, target, argument, kind = found.groups()
            by_kind[kind].append(f"{database}/{viewer}/{target} {argument} {kind}")
    return by_kind


if __name__ == "__main__":
    for kind, names in sorted(_failing_cases(sys.argv[1]).items()):
        print(f"{kind}: {len(names)}")
        for name in sorted(names):
            print(f"    {name}")
