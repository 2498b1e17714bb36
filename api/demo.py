"""Demo data for a newcomer to try every query right after `make run`.

Each capability adds its part here; the data is seeded (deterministic) so screenshots and
guides stay true from one machine to the next. Everything goes through the services, with
the same rules as the API.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

import anyio
from faker import Faker

from api.core.viewer import Viewer
from api.networks import service as networks
from api.networks.tables import JoinPolicy, OrganizationKind
from api.people import connections
from api.people import service as people
from api.people.tables import Account, Visibility
from api.resumes import service as resumes
from api.resumes.demo import resume_document
from api.resumes.tables import OpenToWorkAudience

DEMO_PASSWORD = "confrere-demo"
DEMO_STAFF_EMAIL = "staff@demo.confrere.dev"
DEMO_MEMBER_EMAIL = "ada@demo.confrere.dev"
DEMO_SEED = 2026
#: How often each audience is chosen for a demo resume.
VISIBILITY_WEIGHTS = {
    Visibility.PUBLIC: 40,
    Visibility.EMPLOYERS: 25,
    Visibility.MEMBERS: 15,
    Visibility.CONNECTIONS: 10,
    Visibility.PRIVATE: 10,
}
EMPLOYERS = ["Globex", "Initech", "Umbrella Analytics", "Hooli", "Vandelay Industries"]


@dataclass(frozen=True)
class DemoSummary:
    accounts: int
    organizations: int
    resumes: int
    connections: int


async def database_is_empty() -> bool:
    return not await Account.exists()


def _sample_resume() -> dict:
    text = resources.files("api.resumes").joinpath("jsonresume/sample.resume.json").read_text()
    return json.loads(text)


async def seed_demo(
    *, accounts: int = 60, progress: Callable[[int, int], None] | None = None
) -> DemoSummary:
    """Create the demo network; every account's password is DEMO_PASSWORD."""
    fake = Faker(["en_US", "en_GB", "de_DE", "fr_FR"])
    fake.seed_instance(DEMO_SEED)
    rng = random.Random(DEMO_SEED)
    people_to_create = [
        (DEMO_STAFF_EMAIL, "Confrere Staff", True),
        (DEMO_MEMBER_EMAIL, "Ada Lovelace", False),
    ]
    seen = {email for email, _, _ in people_to_create}
    while len(people_to_create) < accounts:
        name = fake.name()
        local = "".join(ch for ch in name.lower().replace(" ", ".") if ch.isascii())
        email = f"{local.strip('.') or 'member'}@demo.confrere.dev"
        if email in seen:
            continue
        seen.add(email)
        people_to_create.append((email, name, False))

    # accounts, then every non-staff member's resume step, the employers, the club, connections
    steps = len(people_to_create) + (len(people_to_create) - 1) + len(EMPLOYERS) + 2
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, steps)

    created: dict[str, dict] = {}
    limiter = anyio.CapacityLimiter(4)  # argon2 hashing runs in threads; keep it bounded

    async def create(email: str, name: str, is_staff: bool) -> None:
        async with limiter:
            created[email] = await people.register(
                email=email, password=DEMO_PASSWORD, name=name, is_staff=is_staff
            )
        advance()

    async with anyio.create_task_group() as group:
        for email, name, is_staff in people_to_create:
            group.start_soon(create, email, name, is_staff)

    ordered = [created[email] for email, _, _ in people_to_create]
    staff = Viewer(account_id=ordered[0]["id"], is_staff=True)
    members = [Viewer(account_id=row["id"]) for row in ordered[1:]]
    ada = members[0]

    # Employers, each with a recruiter; most verified by staff.
    organizations = 0
    for index, name in enumerate(EMPLOYERS):
        recruiter = members[-(index + 1)]
        employer = await networks.create_organization(
            recruiter,
            name=name,
            kind=OrganizationKind.EMPLOYER,
            join_policy=JoinPolicy.INVITE_ONLY,
            description=fake.catch_phrase(),
            website=f"https://{name.lower().replace(' ', '-')}.example",
        )
        organizations += 1
        if index < len(EMPLOYERS) - 1:
            await networks.verify_employer(staff, employer["id"])
        advance()

    # A club most people belong to, so MEMBERS audiences mean something.
    club = await networks.create_organization(
        ada,
        name="Analytical Engine Society",
        kind=OrganizationKind.PROFESSIONAL_ASSOCIATION,
        join_policy=JoinPolicy.OPEN,
        interest="Computing and its history",
        description="Practitioners of the analytical arts, meeting monthly.",
    )
    organizations += 1
    for viewer in members[1 : len(members) // 2]:
        await networks.join_organization(viewer, club["id"])
    advance()

    # Connections: Ada knows a handful of people; others know a few each.
    made = 0
    for first, second in {
        tuple(sorted(rng.sample(range(len(members) - len(EMPLOYERS)), 2)))
        for _ in range(len(members))
    } | {(0, i) for i in range(1, 6)}:
        request = await connections.request_connection(
            members[first], members[second].account_id or 0, "Good to meet you."
        )
        if rng.random() < 0.85:
            await connections.accept_connection(members[second], request["id"])
            made += 1
    advance()

    # Resumes: Ada gets the JSON Resume sample, everyone else a generated career.
    today = datetime.now(UTC).date()
    weights = list(VISIBILITY_WEIGHTS.values())
    count = 0
    for index, (viewer, row) in enumerate(zip(members, ordered[1:], strict=True)):
        if index >= len(members) - len(EMPLOYERS):
            advance()  # recruiters keep no resume
            continue
        if viewer is ada:
            document, visibility = _sample_resume(), Visibility.PUBLIC
        else:
            document = resume_document(fake, rng, row["name"], today)
            visibility = rng.choices(list(VISIBILITY_WEIGHTS), weights=weights)[0]
        await resumes.import_resume(viewer, document, visibility=visibility)
        count += 1
        if rng.random() < 0.3:
            work = document.get("work") or [{}]
            await resumes.set_open_to_work(
                viewer,
                titles=[str(work[0].get("position") or "Engineer")],
                locations=[document["basics"].get("location", {}).get("city", "Remote")],
                workplace_types=rng.sample(["REMOTE", "HYBRID", "ON_SITE"], k=rng.randint(1, 2)),
                employment_types=["FULL_TIME"],
                earliest_start=None,
                audience=rng.choice(list(OpenToWorkAudience)),
            )
        advance()
    return DemoSummary(
        accounts=len(ordered), organizations=organizations, resumes=count, connections=made
    )
