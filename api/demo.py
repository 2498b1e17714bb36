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

from api.chambers.demo import seed_chamber_demo
from api.core.settings import Settings
from api.core.viewer import Viewer
from api.events import subscriptions as calendar_subscriptions
from api.events.demo import GROUPS, seed_events_demo
from api.jobs import applications
from api.jobs import saved_search as saved_job_search
from api.jobs import service as jobs
from api.jobs.demo import COUNTRY_NAMES, EMPLOYERS, job_fields
from api.jobs.search import JobSearchFilter
from api.jobs.tables import ApplicationStage as Stage
from api.messaging.demo import seed_messaging_demo
from api.networks import service as networks
from api.networks.directory_demo import seed_directory_demo
from api.networks.service import slugify
from api.networks.tables import JoinPolicy, OrganizationKind
from api.people import connections
from api.people import service as people
from api.people.demo_connections import seed_connections_demo
from api.people.demo_names import email_local_part, person_names, unique_email
from api.people.tables import Account, Visibility
from api.posts.demo import seed_posts_demo
from api.resumes import candidate_search
from api.resumes import service as resumes
from api.resumes.demo import PERSONA, PERSONA_NAME, resume_document
from api.resumes.tables import AlertFrequency, OpenToWorkAudience

DEMO_PASSWORD = "confrere-demo"
DEMO_STAFF_EMAIL = "staff@demo.confrere.dev"
DEMO_MEMBER_EMAIL = "ada@demo.confrere.dev"
#: A recruiter of a verified employer (Northwind Data, Berlin), for the employers guide.
DEMO_RECRUITER_EMAIL = "recruiter@demo.confrere.dev"
DEMO_RECRUITER_NAME = "Jonas Becker"
DEMO_SEED = 2026
#: How often each audience is chosen for a demo resume.
VISIBILITY_WEIGHTS = {
    Visibility.PUBLIC: 40,
    Visibility.EMPLOYERS: 25,
    Visibility.MEMBERS: 15,
    Visibility.CONNECTIONS: 10,
    Visibility.PRIVATE: 10,
}
EMPLOYER_COUNT = len(EMPLOYERS)
#: Which state each employer's first posting ends in, by the employer's place in the list
#: (later postings are published, every third one left a draft). The review states happen
#: only where the deployment reviews an employer's first posting (CONFRERE_JOB_REVIEW).
FIRST_POSTING_STATES = ("PUBLISHED", "PUBLISHED", "CLOSED", "DRAFT", "PENDING_REVIEW", "REJECTED")
WORKPLACES = ("HYBRID", "ON_SITE", "REMOTE", "HYBRID", "ON_SITE")
#: Every sixth employer is left unverified (staff have not got round to it).
UNVERIFIED_EVERY = 6


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


def employer_count(accounts: int) -> int:
    """How many of `accounts` are recruiters, one per demo employer."""
    return min(EMPLOYER_COUNT, accounts // 3)


@dataclass(frozen=True)
class DemoFigures:
    """What `seed_demo` makes for given sizes, worked out without seeding: the README's
    figures, and a test holds the seeder to them."""

    people: int
    resumes_of_people: int
    employers: int
    verified_employers: int
    alumni: int
    resumes_of_alumni: int
    meetup_groups: int
    events: int
    businesses: int
    perks: int
    posts: int

    @property
    def resumes(self) -> int:
        return self.resumes_of_people + self.resumes_of_alumni


def demo_figures(accounts: int = 80, alumni: int = 300) -> DemoFigures:
    from api.chambers.demo import BUSINESSES, PERKS
    from api.networks.directory_demo import RESUME_EVERY
    from api.posts.demo import ANNOUNCEMENTS, DISCUSSIONS

    employers = employer_count(accounts)
    return DemoFigures(
        people=accounts,
        resumes_of_people=accounts - 1 - employers,  # all but the staff account and recruiters
        employers=employers,
        verified_employers=sum(1 for i in range(employers) if i % UNVERIFIED_EVERY != 5),
        alumni=alumni,
        resumes_of_alumni=sum(1 for n in range(alumni) if n % RESUME_EVERY != RESUME_EVERY - 1),
        meetup_groups=len(GROUPS),
        events=sum(len(group.series) for group in GROUPS),
        businesses=len(BUSINESSES),
        perks=len(PERKS),
        # the announcements, the discussions, a blog post and one waiting for review
        posts=len(ANNOUNCEMENTS) + len(DISCUSSIONS) + 2,
    )


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

    Besides the `accounts` members (the staff account, Ada, job seekers and one recruiter per
    employer): meetup groups with events (the Berlin one is the first organization), the
    employers and their postings, a professional society most members belong to, with posts,
    an alumni association with `alumni` more accounts, and a chamber of commerce with member
    businesses and perks.
    """
    rng = random.Random(DEMO_SEED)
    recruiting = employer_count(accounts)
    fixed = {
        DEMO_STAFF_EMAIL: "Confrere Staff",
        DEMO_MEMBER_EMAIL: "Ada Lovelace",
        f"{email_local_part(PERSONA_NAME)}@demo.confrere.dev": PERSONA_NAME,
        DEMO_RECRUITER_EMAIL: DEMO_RECRUITER_NAME,
    }
    names = iter(person_names(accounts, seed=DEMO_SEED, taken=fixed.values()))
    emails = set(fixed)
    fixed_emails = list(fixed)
    seekers = [(email, fixed[email]) for email in fixed_emails[1:3]]
    while len(seekers) < accounts - 1 - recruiting:
        name = next(names)
        seekers.append((unique_email(name, "demo.confrere.dev", emails), name))
    recruiters = [(DEMO_RECRUITER_EMAIL, DEMO_RECRUITER_NAME)]
    while len(recruiters) < recruiting:
        name = next(names)
        recruiters.append((unique_email(name, "demo.confrere.dev", emails), name))
    people_to_create = [
        (DEMO_STAFF_EMAIL, fixed[DEMO_STAFF_EMAIL], True),
        *((email, name, False) for email, name in seekers + recruiters[:recruiting]),
    ]

    # accounts, every non-staff member's resume step, the employers, the groups, the club,
    # connections, applications, then the alumni, the chamber and the posts
    steps = len(people_to_create) + (len(people_to_create) - 1) + recruiting + 7
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
                email=email, password=DEMO_PASSWORD, name=name, is_staff=is_staff, verified=True
            )
        advance()

    async with anyio.create_task_group() as group:
        for email, name, is_staff in people_to_create:
            group.start_soon(create, email, name, is_staff)

    ordered = [created[email] for email, _, _ in people_to_create]
    staff = Viewer(account_id=ordered[0]["id"], is_staff=True)
    members = [Viewer(account_id=row["id"]) for row in ordered[1:]]
    ada = members[0]
    organizations = 0

    # Meetup groups first, so the Berlin group is `Organization:1` in the events guide.
    # Each group meets in its own city and time zone; a few non-members come as guests.
    events = 0
    quarter = max(1, len(members) // 4)
    for number, group in enumerate(GROUPS):
        organizer = members[min(2 + number, len(members) - 1)]
        meetup = await networks.create_organization(
            organizer,
            name=group.name,
            kind=OrganizationKind.MEETUP_GROUP,
            join_policy=JoinPolicy.OPEN,
            interest=group.interest,
            description=group.description,
            location=group.location,
        )
        organizations += 1
        regulars = members[number * quarter : number * quarter + len(members) // 3]
        for viewer in regulars:
            if viewer is not organizer:
                await networks.join_organization(viewer, meetup["id"])
        answering = members[number * quarter : number * quarter + len(members) // 2]
        seeded = await seed_events_demo(meetup["id"], organizer, answering, group=group)
        events += seeded.events
        if ada in regulars:  # her secret calendar address, as the events guide shows
            await calendar_subscriptions.create_calendar_subscription(
                ada, meetup["id"], settings.resolved_secret_key()
            )
    advance()

    # Employers, each with a recruiter and an office in one city, most verified by staff,
    # with postings in every state.
    postings: list[dict] = []
    hiring = members[-recruiting:] if recruiting else []
    employer_ids: list[int] = []
    for index, (recruiter, employer) in enumerate(zip(hiring, EMPLOYERS, strict=False)):
        organization = await networks.create_organization(
            recruiter,
            name=employer.name,
            kind=OrganizationKind.EMPLOYER,
            join_policy=JoinPolicy.INVITE_ONLY,
            description=employer.about,
            website=f"https://{slugify(employer.name)}.example",
            location=f"{employer.city}, {COUNTRY_NAMES[employer.country].removeprefix('the ')}",
        )
        employer_ids.append(organization["id"])
        organizations += 1
        if index % UNVERIFIED_EVERY != 5:
            await networks.verify_employer(staff, organization["id"])
        for number, title in enumerate(employer.titles):
            if number == 0:
                state = FIRST_POSTING_STATES[index % len(FIRST_POSTING_STATES)]
            else:
                state = "DRAFT" if (index + number) % 3 == 0 else "PUBLISHED"
            fields = job_fields(
                employer,
                title,
                rng,
                workplace=WORKPLACES[(index + number) % len(WORKPLACES)],
                contract=number == 2,
            )
            job = await jobs.create_job(recruiter, settings, organization["id"], fields)
            if state != "DRAFT":
                job = await jobs.publish_job(recruiter, settings, job.id)
            if job.status.value == "PENDING_REVIEW" and state != "PENDING_REVIEW":
                if state == "REJECTED":
                    job = await jobs.reject_job(
                        staff, job.id, "Say which city the role is based in."
                    )
                else:
                    job = await jobs.approve_job(staff, job.id)
            if state == "CLOSED" and job.status.value == "PUBLISHED":
                job = await jobs.close_job(recruiter, job.id)
            postings.append(job)
        advance()
    # A club most people belong to, so MEMBERS audiences mean something.
    club = await networks.create_organization(
        ada,
        name="Analytical Engine Society",
        kind=OrganizationKind.PROFESSIONAL_ASSOCIATION,
        join_policy=JoinPolicy.OPEN,
        interest="Computing and its history",
        description="Practitioners of the analytical arts, meeting monthly in London and online.",
        location="London, United Kingdom",
    )
    organizations += 1
    for viewer in members[1 : len(members) // 2]:
        await networks.join_organization(viewer, club["id"])
    advance()

    # Connections: Ada knows a handful of people; others know a few each.
    made = 0
    seeking = len(members) - recruiting
    for first, second in {
        tuple(sorted(rng.sample(range(seeking), 2))) for _ in range(len(members))
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

    # Resumes: Ada gets the JSON Resume sample, Lena (the persona the employers guide's search
    # finds) her own, everyone else a generated career.
    today = datetime.now(UTC).date()
    weights = list(VISIBILITY_WEIGHTS.values())
    count = 0
    applicants: list[tuple[Viewer, int]] = []
    for index, (viewer, row) in enumerate(zip(members, ordered[1:], strict=True)):
        if index >= seeking:
            advance()  # recruiters keep no resume
            continue
        if viewer is ada:
            document, visibility = _sample_resume(), Visibility.PUBLIC
        elif row["name"] == PERSONA_NAME:
            document, visibility = PERSONA, Visibility.EMPLOYERS
        else:
            document = resume_document(rng, row["name"], today)
            visibility = rng.choices(list(VISIBILITY_WEIGHTS), weights=weights)[0]
        view = await resumes.import_resume(viewer, document, visibility=visibility)
        applicants.append((viewer, view.resume.id))
        count += 1
        if row["name"] == PERSONA_NAME or rng.random() < 0.3:
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
    published = [job for job in postings if job.status.value == "PUBLISHED"]
    stages = [Stage.REVIEWING, Stage.INTERVIEW, Stage.OFFER]
    for seeker, resume_id in applicants[:20]:
        job = rng.choice(published) if published else None
        if job is None or job.apply_url:
            continue
        application = await applications.apply_to_job(
            seeker, job.id, resume_id, "I would love to talk about this role."
        )
        applied += 1
        owner = next(r for r in hiring if r.account_id == job.created_by)
        for stage in stages[: rng.randint(0, 3)]:
            application = await applications.move_application(owner, application.id, stage)
    # The demo recruiter keeps the employers guide's search, to run again.
    if hiring:
        await candidate_search.save_search(
            hiring[0],
            name="Data engineers in Germany",
            query='(python OR golang) AND "data pipelines"',
            wanted=candidate_search.CandidateFilter(skills=("Kubernetes",), countries=("DE",)),
            sort=candidate_search.CandidateSort.RELEVANCE,
        )
    # Ada keeps a job search with a daily alert (the saved searches page's example).
    await saved_job_search.save_job_search(
        ada,
        name="Engineering jobs",
        query="engineer",
        wanted=JobSearchFilter(),
        alert_frequency=AlertFrequency.DAILY,
    )
    advance()

    # An alumni association with a few hundred alumni of its own (new accounts).
    directory = await seed_directory_demo(
        ada,
        password=DEMO_PASSWORD,
        alumni=alumni,
        taken_names=[row["name"] for row in ordered],
    )
    organizations += 1
    advance()

    # A chamber of commerce: member businesses owned by members, perks for everyone in it.
    owners = members[1 : 1 + max(1, min(12, len(members) // 4))]
    chamber = await seed_chamber_demo(owners, chamber_owner=staff, members=members[1:])
    organizations += 1 + chamber.businesses
    advance()

    # Posts in the society most members belong to.
    posts = await seed_posts_demo(club["id"], ada, members[1 : len(members) // 2])
    advance()

    # Ada's conversations with fellow members of the society, and a message request from a
    # verified employer waiting for her answer.
    await seed_messaging_demo(settings, ada, members[1:4], hiring)
    return DemoSummary(
        accounts=len(ordered) + directory.alumni,
        organizations=organizations,
        resumes=count + directory.resumes,
        connections=made,
        jobs=len(postings),
        applications=applied,
        alumni=directory.alumni,
        events=events,
        posts=posts.posts,
        perks=chamber.perks,
    )
