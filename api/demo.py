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

from api.chambers.demo import seed_chamber_demo
from api.core.settings import Settings
from api.core.viewer import Viewer
from api.events.demo import seed_events_demo
from api.jobs import applications
from api.jobs import service as jobs
from api.jobs.service import JobFields
from api.jobs.tables import ApplicationStage as Stage
from api.networks import service as networks
from api.networks.directory_demo import seed_directory_demo
from api.networks.service import slugify
from api.networks.tables import JoinPolicy, OrganizationKind
from api.people import connections
from api.people import service as people
from api.people.demo_connections import seed_connections_demo
from api.people.tables import Account, Visibility
from api.posts.demo import seed_posts_demo
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
EMPLOYER_COUNT = 24
JOB_TITLES = [
    ("Backend Engineer", ["Python", "PostgreSQL", "Kubernetes"]),
    ("Frontend Developer", ["TypeScript", "React", "Accessibility"]),
    ("Data Engineer", ["Python", "SQL", "Airflow"]),
    ("Product Designer", ["Figma", "User Research"]),
    ("Site Reliability Engineer", ["Kubernetes", "Terraform", "Go"]),
    ("Project Manager", ["Project Management", "Scrum"]),
    ("Machine Learning Engineer", ["Python", "PyTorch", "Statistics"]),
    ("Supply Chain Analyst", ["Excel", "SAP", "Logistics"]),
]
CITIES = [("Berlin", "DE"), ("Munich", "DE"), ("Toronto", "CA"), ("Zurich", "CH"),
          ("Paris", "FR"), ("Edinburgh", "GB"), ("Austin", "US")]  # fmt: skip


@dataclass(frozen=True)
class DemoSummary:
    accounts: int
    organizations: int
    resumes: int
    connections: int
    jobs: int
    applications: int
    alumni: int
    events: int
    posts: int
    perks: int


async def database_is_empty() -> bool:
    return not await Account.exists()


def _sample_resume() -> dict:
    text = resources.files("api.resumes").joinpath("jsonresume/sample.resume.json").read_text()
    return json.loads(text)


async def seed_demo(
    settings: Settings,
    *,
    accounts: int = 80,
    alumni: int = 300,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Create the demo network; every account's password is DEMO_PASSWORD.

    Besides the `accounts` members: an alumni association with `alumni` more accounts, a
    chamber of commerce with member businesses and perks, a meetup group with events, and
    posts in the society most members belong to.
    """
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

    employer_count = min(EMPLOYER_COUNT, accounts // 3)
    # accounts, every non-staff member's resume step, the employers, the club, connections,
    # applications, then the alumni, the chamber, the meetup group and the posts
    steps = len(people_to_create) + (len(people_to_create) - 1) + employer_count + 7
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

    # Employers, each with a recruiter, most verified by staff, with postings in every state.
    organizations = 0
    postings: list[dict] = []
    recruiters = members[-employer_count:]
    for index, recruiter in enumerate(recruiters):
        name = fake.unique.company()
        employer = await networks.create_organization(
            recruiter,
            name=name,
            kind=OrganizationKind.EMPLOYER,
            join_policy=JoinPolicy.INVITE_ONLY,
            description=fake.catch_phrase(),
            website=f"https://{slugify(name)}.example",
        )
        organizations += 1
        if index % 6 != 5:
            await networks.verify_employer(staff, employer["id"])
        for number in range(1 + index % 3):
            title, skills = JOB_TITLES[(index + number) % len(JOB_TITLES)]
            city, country = CITIES[(index + number) % len(CITIES)]
            remote = (index + number) % 4 == 0
            fields = JobFields(
                title=title,
                description=f"**{name}** is hiring a {title}.\n\n"
                f"- {fake.sentence(nb_words=10)}\n- {fake.sentence(nb_words=8)}\n\n"
                f"{fake.paragraph(nb_sentences=3)}",
                employment_types=("FULL_TIME",) if number != 2 else ("CONTRACTOR",),
                workplace_type="REMOTE" if remote else rng.choice(["ON_SITE", "HYBRID"]),
                applicant_countries=(country,) if remote else (),
                locations=() if remote else ({"city": city, "countryCode": country},),
                salary_currency="EUR" if country in ("DE", "FR") else "USD",
                salary_min=rng.randrange(40, 90) * 1000,
                salary_max=rng.randrange(90, 150) * 1000,
                salary_unit="YEAR",
                skills=tuple(skills),
                experience_months=rng.choice([None, 12, 36, 60]),
            )
            job = await jobs.create_job(recruiter, settings, employer["id"], fields)
            state = (index + number) % 6
            if state == 0:
                postings.append(job)  # stays a DRAFT
                continue
            job = await jobs.publish_job(recruiter, settings, job["id"])
            if job["status"] == "PENDING_REVIEW" and state != 1:
                if state == 2:
                    job = await jobs.reject_job(staff, job["id"], "Add the salary currency.")
                else:
                    job = await jobs.approve_job(staff, job["id"])
            if state == 3 and job["status"] == "PUBLISHED":
                job = await jobs.close_job(recruiter, job["id"])
            postings.append(job)
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
        tuple(sorted(rng.sample(range(len(members) - employer_count), 2)))
        for _ in range(len(members))
    } | {(0, i) for i in range(1, 6)}:
        request = await connections.request_connection(
            members[first], members[second].account_id or 0, "Good to meet you."
        )
        if rng.random() < 0.85:
            await connections.accept_connection(members[second], request["id"])
            made += 1
    # Pending requests both ways, a withdrawn one, a removed connection and a few blocks.
    await seed_connections_demo(members)
    advance()

    # Resumes: Ada gets the JSON Resume sample, everyone else a generated career.
    today = datetime.now(UTC).date()
    weights = list(VISIBILITY_WEIGHTS.values())
    count = 0
    seekers: list[tuple[Viewer, int]] = []
    for index, (viewer, row) in enumerate(zip(members, ordered[1:], strict=True)):
        if index >= len(members) - employer_count:
            advance()  # recruiters keep no resume
            continue
        if viewer is ada:
            document, visibility = _sample_resume(), Visibility.PUBLIC
        else:
            document = resume_document(fake, rng, row["name"], today)
            visibility = rng.choices(list(VISIBILITY_WEIGHTS), weights=weights)[0]
        view = await resumes.import_resume(viewer, document, visibility=visibility)
        seekers.append((viewer, view.row["id"]))
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
    # Some seekers apply, sharing their resume; some applications move along.
    applied = 0
    published = [job for job in postings if job["status"] == "PUBLISHED"]
    stages = [Stage.REVIEWING, Stage.INTERVIEW, Stage.OFFER]
    for seeker, resume_id in seekers[:20]:
        job = rng.choice(published) if published else None
        if job is None or job["apply_url"]:
            continue
        application = await applications.apply_to_job(
            seeker, job["id"], resume_id, "I would love to talk about this role."
        )
        applied += 1
        owner = next(r for r in recruiters if r.account_id == job["created_by"])
        for stage in stages[: rng.randint(0, 3)]:
            application = await applications.move_application(owner, application["id"], stage)
    advance()

    # An alumni association with a few hundred alumni of its own (new accounts).
    directory = await seed_directory_demo(ada, password=DEMO_PASSWORD, alumni=alumni)
    organizations += 1
    advance()

    # A chamber of commerce: member businesses owned by members, perks for everyone in it.
    owners = members[1 : 1 + max(1, min(12, len(members) // 4))]
    chamber = await seed_chamber_demo(owners, chamber_owner=staff, members=members[1:])
    organizations += 1 + chamber.businesses
    advance()

    # A meetup group with a series of events; a few non-members come along as guests.
    organizer = members[min(2, len(members) - 1)]
    meetup = await networks.create_organization(
        organizer,
        name="Zurich Python Meetup",
        kind=OrganizationKind.MEETUP_GROUP,
        join_policy=JoinPolicy.OPEN,
        interest="Python, data and the people who write it",
        description="Talks, workshops and a drink afterwards, every month.",
        location="Zurich, Switzerland",
    )
    organizations += 1
    regulars = members[: len(members) // 3]
    for viewer in regulars:
        if viewer is not organizer:
            await networks.join_organization(viewer, meetup["id"])
    events = await seed_events_demo(meetup["id"], organizer, members[: len(members) // 2])
    advance()

    # Posts in the society most members belong to.
    posts = await seed_posts_demo(club["id"], ada, members[1 : len(members) // 2])
    advance()
    return DemoSummary(
        accounts=len(ordered) + directory.alumni,
        organizations=organizations,
        resumes=count,
        connections=made,
        jobs=len(postings),
        applications=applied,
        alumni=directory.alumni,
        events=events.events,
        posts=posts.posts,
        perks=chamber.perks,
    )
