"""Demo employers and the text of their postings: two dozen invented companies, each in its own
city, and job descriptions written from a few hand-written parts per role, so no two postings
read the same and none reads like filler."""

from __future__ import annotations

import random
from dataclasses import dataclass

from api.jobs.service import JobFields


@dataclass(frozen=True)
class DemoEmployer:
    name: str
    city: str
    region: str
    country: str
    industry: str
    about: str
    """The organization's description, and the first lines of its postings."""
    titles: tuple[str, ...]
    """What it hires for, one posting each; a title is a ROLES key, maybe with "Senior "."""


EMPLOYERS = [
    DemoEmployer("Northwind Data", "Berlin", "Berlin", "DE", "Software",
                 "Northwind Data runs the data platform behind energy retailers in Germany and "
                 "Austria: metering, billing and demand forecasts for two million homes.",
                 ("Senior Data Engineer", "Backend Engineer", "Machine Learning Engineer")),
    DemoEmployer("Lindenhof Health", "Berlin", "Berlin", "DE", "Health care",
                 "Lindenhof Health makes appointment booking and patient records for 3,000 "
                 "medical practices across Germany.",
                 ("Frontend Developer", "Product Designer")),
    DemoEmployer("Spreewerk Logistics", "Berlin", "Berlin", "DE", "Logistics",
                 "Spreewerk delivers for Berlin's shops and restaurants on the same day, with "
                 "cargo bikes and electric vans.",
                 ("Supply Chain Analyst", "Backend Engineer", "Project Manager")),
    DemoEmployer("Kiezbank", "Berlin", "Berlin", "DE", "Banking",
                 "Kiezbank is a cooperative bank for freelancers and small businesses, run "
                 "entirely online.",
                 ("Site Reliability Engineer",)),
    DemoEmployer("Isar Robotics", "Munich", "Bavaria", "DE", "Manufacturing",
                 "Isar Robotics builds the vision systems that let industrial robots pick parts "
                 "from mixed bins.",
                 ("Machine Learning Engineer", "Backend Engineer")),
    DemoEmployer("Alpenblick Travel", "Munich", "Bavaria", "DE", "Travel",
                 "Alpenblick sells hiking and rail holidays in the Alps to 200,000 travellers a "
                 "year.",
                 ("Frontend Developer", "Product Designer", "Data Engineer")),
    DemoEmployer("Hafenlicht Media", "Hamburg", "Hamburg", "DE", "Media",
                 "Hafenlicht makes newsroom software: publishing, paywalls and audience "
                 "analytics for regional newspapers.",
                 ("Backend Engineer",)),
    DemoEmployer("Brenner Mobility", "Munich", "Bavaria", "DE", "Automotive",
                 "Brenner Mobility writes the charging software for electric fleets: "
                 "scheduling, billing and load management the grid can live with.",
                 ("Site Reliability Engineer", "Project Manager")),
    DemoEmployer("Limmat Analytics", "Zurich", "Zurich", "CH", "Financial services",
                 "Limmat Analytics builds risk models and reporting for Swiss pension funds.",
                 ("Data Engineer", "Machine Learning Engineer", "Senior Backend Engineer")),
    DemoEmployer("Gotthard Systems", "Zurich", "Zurich", "CH", "Software",
                 "Gotthard Systems makes the timetabling software that rail operators in six "
                 "countries plan their networks with.",
                 ("Backend Engineer",)),
    DemoEmployer("Seefeld Insurance", "Zurich", "Zurich", "CH", "Insurance",
                 "Seefeld is a digital insurer for homes and small businesses: a policy in ten "
                 "minutes, a claim paid in days.",
                 ("Product Designer", "Project Manager")),
    DemoEmployer("Atelier Lumière", "Paris", "Île-de-France", "FR", "Retail",
                 "Atelier Lumière designs lamps and runs an online shop for independent "
                 "furniture makers.",
                 ("Frontend Developer", "Supply Chain Analyst", "Product Designer")),
    DemoEmployer("Canal Software", "Paris", "Île-de-France", "FR", "Software",
                 "Canal Software does scheduling and payroll for restaurants and hotels.",
                 ("Backend Engineer",)),
    DemoEmployer("Rhône Bioinformatics", "Lyon", "Auvergne-Rhône-Alpes", "FR", "Biotechnology",
                 "Rhône Bioinformatics runs genome analysis for hospital laboratories.",
                 ("Data Engineer", "Machine Learning Engineer")),
    DemoEmployer("Forth Energy", "Edinburgh", "Scotland", "GB", "Renewable energy",
                 "Forth Energy writes the software that community-owned wind and solar farms "
                 "run on.",
                 ("Data Engineer", "Project Manager", "Site Reliability Engineer")),
    DemoEmployer("Bramble Books", "London", "England", "GB", "Publishing",
                 "Bramble Books publishes school textbooks and the online courses built on "
                 "them.",
                 ("Frontend Developer",)),
    DemoEmployer("Marylebone Payments", "London", "England", "GB", "Financial services",
                 "Marylebone Payments gives small UK businesses payment links, invoices and "
                 "next-day payouts.",
                 ("Backend Engineer", "Site Reliability Engineer")),
    DemoEmployer("Grachten Mobility", "Amsterdam", "North Holland", "NL", "Transport",
                 "Grachten runs bike-share fleets for Dutch cities.",
                 ("Backend Engineer", "Supply Chain Analyst", "Data Engineer")),
    DemoEmployer("Maple Ledger", "Toronto", "Ontario", "CA", "Software",
                 "Maple Ledger makes accounting software for Canadian non-profits.",
                 ("Frontend Developer",)),
    DemoEmployer("Lakeshore Genomics", "Toronto", "Ontario", "CA", "Biotechnology",
                 "Lakeshore Genomics manages clinical-trial data for research hospitals.",
                 ("Data Engineer", "Project Manager")),
    DemoEmployer("Bluebonnet Energy", "Austin", "Texas", "US", "Energy",
                 "Bluebonnet Energy controls battery storage in commercial buildings, shaving "
                 "their peaks and selling flexibility back to the grid.",
                 ("Site Reliability Engineer", "Machine Learning Engineer",
                  "Senior Backend Engineer")),
    DemoEmployer("Congress Avenue Labs", "Austin", "Texas", "US", "Software",
                 "Congress Avenue Labs makes tools for testing mobile apps on real devices.",
                 ("Frontend Developer",)),
    DemoEmployer("Hudson Freight", "New York", "New York", "US", "Logistics",
                 "Hudson Freight books and tracks freight for importers on the East Coast.",
                 ("Supply Chain Analyst", "Data Engineer")),
    DemoEmployer("Flatiron Tutors", "New York", "New York", "US", "Education",
                 "Flatiron Tutors matches students with certified teachers for online lessons.",
                 ("Product Designer", "Frontend Developer", "Backend Engineer")),
]  # fmt: skip


@dataclass(frozen=True)
class Role:
    skills: tuple[str, ...]
    salary: tuple[int, int]
    """The yearly range in euros, for a mid-level hire; other currencies scale it."""
    openings: tuple[str, ...]
    """First paragraphs after the employer's own line: `{team}` and `{city}` are filled in."""
    duties: tuple[str, ...]
    requirements: tuple[str, ...]


ROLES = {
    "Backend Engineer": Role(
        ("Python", "PostgreSQL", "Kubernetes"), (60_000, 85_000),
        ("We are looking for a backend engineer to join the {team} team, which owns the APIs "
         "our customers and our own apps depend on.",
         "Our {team} team is growing from four to six engineers, and we would like you to be "
         "one of them.",
         "You will work on the services behind our product: Python, PostgreSQL and a handful "
         "of well-kept queues, deployed several times a day."),
        ("Design, build and run services in Python, from the first sketch to production.",
         "Keep our PostgreSQL schemas and queries healthy as the data grows.",
         "Review code with care and write tests that make changes safe.",
         "Take part in a calm on-call rotation, one week in six.",
         "Work with product and design on what to build next, and why.",
         "Improve our deployment pipeline and the tools the team uses every day."),
        ("Several years of building web services in Python, Go or a similar language.",
         "Good knowledge of SQL and relational databases.",
         "Experience with containers; Kubernetes is a plus.",
         "Clear writing: we decide most things in short design documents.",
         "Curiosity about the domain and the people who use what we build."),
    ),
    "Frontend Developer": Role(
        ("TypeScript", "React", "Accessibility"), (55_000, 78_000),
        ("We are looking for a frontend developer who cares about fast, accessible "
         "interfaces.",
         "Join the {team} team and help our customers get their work done with fewer clicks.",
         "Our web app is used every day by people who are not technical: you will make it "
         "simpler for them."),
        ("Build features in TypeScript and React, together with designers and backend "
         "engineers.",
         "Make our app meet WCAG 2.1 AA and keep it there.",
         "Keep the bundle small and the first page load fast on ordinary phones.",
         "Grow our component library and its documentation.",
         "Write tests that catch regressions before our users do."),
        ("Solid experience with TypeScript and a modern framework, ideally React.",
         "A good eye for detail and respect for design systems.",
         "Practical knowledge of accessibility and semantic HTML.",
         "Experience with end-to-end tests (Playwright, Cypress or similar).",
         "Comfort talking to users and explaining trade-offs."),
    ),
    "Data Engineer": Role(
        ("Python", "SQL", "Airflow", "Kubernetes"), (62_000, 88_000),
        ("We are looking for a data engineer to build and run the data pipelines our "
         "reporting and forecasts depend on.",
         "The {team} team turns raw events into data the whole company trusts; we would like "
         "you to join it.",
         "Our data platform has outgrown its first design: help us rebuild the data "
         "pipelines without stopping the reports."),
        ("Build batch and streaming data pipelines in Python and SQL.",
         "Run our Airflow deployment on Kubernetes and keep it boring.",
         "Add data quality checks so a broken load never reaches a report.",
         "Model data in the warehouse with analysts, and document what each table means.",
         "Cut the cost and run time of our nightly jobs.",
         "Help data scientists take their models from notebooks to production."),
        ("Experience building data pipelines in Python and SQL.",
         "Familiarity with an orchestrator such as Airflow or Dagster.",
         "Experience with a cloud data warehouse (BigQuery, Snowflake or Redshift).",
         "Care for testing and documentation.",
         "Kubernetes or Terraform experience is welcome."),
    ),
    "Product Designer": Role(
        ("Figma", "User Research", "Prototyping"), (52_000, 75_000),
        ("We are looking for a product designer who likes talking to users as much as "
         "drawing screens.",
         "Join the {team} team as its designer, working closely with a product manager and "
         "five engineers.",
         "Our product works, but it is not yet a pleasure to use: help us change that."),
        ("Run interviews and usability tests, and share what you learn.",
         "Design flows and interfaces in Figma, from rough sketches to final specs.",
         "Prototype ideas quickly and test them with real customers.",
         "Look after our design system with the frontend developers.",
         "Make sure what we ship is accessible to everyone."),
        ("A portfolio showing research-led product work.",
         "Fluency in Figma and prototyping.",
         "Experience with accessibility guidelines.",
         "Good judgement about when a design is good enough to ship.",
         "Clear communication with engineers and stakeholders."),
    ),
    "Site Reliability Engineer": Role(
        ("Kubernetes", "Terraform", "Go"), (65_000, 92_000),
        ("We are looking for a site reliability engineer to keep our platform fast, safe and "
         "affordable.",
         "The {team} team runs everything our engineers deploy to; join it and help us "
         "sleep through the night.",
         "We run on Kubernetes across two regions, and we would like our incidents to be "
         "rare and dull."),
        ("Run our Kubernetes clusters and the Terraform that describes them.",
         "Define service level objectives with product teams and alert on what matters.",
         "Lead incident reviews that fix causes, not people.",
         "Automate toil away, often in Go or Python.",
         "Keep our cloud bill in check."),
        ("Experience running production systems on Kubernetes.",
         "Infrastructure as code with Terraform or similar.",
         "Programming skills in Go, Python or another language.",
         "A calm approach to incidents.",
         "Knowledge of networking and Linux internals."),
    ),
    "Project Manager": Role(
        ("Project Management", "Scrum", "Stakeholder Management"), (55_000, 80_000),
        ("We are looking for a project manager to bring our biggest projects in on time.",
         "Join the {team} team to plan and steer projects that involve engineers, operations "
         "and our customers.",
         "Our projects touch many teams; we need someone who keeps them pointed the same "
         "way."),
        ("Plan projects with the teams doing the work, and keep plans honest.",
         "Run weekly check-ins and write short, clear status reports.",
         "Spot risks early and agree on what to do about them.",
         "Keep customers informed and their expectations realistic.",
         "Improve how we plan and deliver, one retrospective at a time."),
        ("Several years of managing technical or operational projects.",
         "Experience with agile methods such as Scrum or Kanban.",
         "Excellent written and spoken English; German or French is a plus.",
         "A knack for bringing people with different goals to an agreement.",
         "A certification such as PMP or PRINCE2 is welcome, not required."),
    ),
    "Machine Learning Engineer": Role(
        ("Python", "PyTorch", "Statistics"), (65_000, 95_000),
        ("We are looking for a machine learning engineer to take models from research to "
         "production.",
         "Join the {team} team, which trains and serves the models at the heart of our "
         "product.",
         "Our models work in the lab; we need your help to make them work every day, for "
         "every customer."),
        ("Train, evaluate and ship models in Python and PyTorch.",
         "Build the pipelines that retrain models on fresh data.",
         "Monitor models in production and catch drift early.",
         "Work with domain experts to turn their questions into measurable goals.",
         "Keep experiments reproducible and results honest."),
        ("Experience deploying machine learning models to production.",
         "Strong Python and a good grasp of statistics.",
         "Experience with PyTorch or a similar framework.",
         "Familiarity with data pipelines and feature stores.",
         "An MSc or PhD in a quantitative field, or equivalent experience."),
    ),
    "Supply Chain Analyst": Role(
        ("Excel", "SQL", "Logistics"), (48_000, 68_000),
        ("We are looking for a supply chain analyst to help us deliver more with less.",
         "Join the {team} team, which plans stock, routes and suppliers.",
         "Our operations run on data; help us read it better and act on it sooner."),
        ("Forecast demand and plan stock levels with the buyers.",
         "Analyse delivery routes and costs, and propose improvements.",
         "Build reports in SQL and Excel that the operations team actually uses.",
         "Work with suppliers on lead times and service levels.",
         "Support the roll-out of our new warehouse system."),
        ("Experience in supply chain, logistics or operations analysis.",
         "Strong Excel and working knowledge of SQL.",
         "Experience with an ERP system such as SAP is a plus.",
         "A practical, numbers-first approach.",
         "Good communication with drivers, warehouse staff and managers alike."),
    ),
}  # fmt: skip

TEAMS = ("platform", "payments", "customer", "operations", "data", "growth", "core", "mobile")

#: How each workplace type is put in a posting's last paragraph.
WORKPLACE_LINES = {
    "ON_SITE": (
        "This role is based in our office in {city}.",
        "You will work with the team in our {city} office.",
    ),
    "HYBRID": (
        "We work from our office in {city} two or three days a week and from home the rest.",
        "Hybrid: the team meets in {city} on Tuesdays and Thursdays.",
    ),
    "REMOTE": (
        "This role is remote, for people living in {country_name}; we meet in person twice a year.",
        "Work from anywhere in {country_name}, with a yearly team week together.",
    ),
}
CLOSINGS = (
    "We offer 30 days of holiday, a learning budget and a pension plan.",
    "Expect a small team, short meetings and room to grow.",
    "We are happy to talk about part-time and flexible hours.",
    "Apply with your resume; we answer every application within two weeks.",
)
COUNTRY_NAMES = {"DE": "Germany", "CH": "Switzerland", "FR": "France", "GB": "the UK",
                 "NL": "the Netherlands", "CA": "Canada", "US": "the US"}  # fmt: skip
#: A currency per country, and how salaries there compare with euro salaries.
CURRENCIES = {"DE": ("EUR", 1.0), "FR": ("EUR", 0.9), "NL": ("EUR", 1.0), "CH": ("CHF", 1.5),
              "GB": ("GBP", 0.9), "CA": ("CAD", 1.3), "US": ("USD", 1.4)}  # fmt: skip


def role_of(title: str) -> Role:
    return ROLES[title.removeprefix("Senior ")]


def job_fields(
    employer: DemoEmployer, title: str, rng: random.Random, *, workplace: str, contract: bool
) -> JobFields:
    """A posting for `title` at `employer`, written from the role's parts."""
    role = role_of(title)
    senior = title.startswith("Senior ")
    team = rng.choice(TEAMS)
    country_name = COUNTRY_NAMES[employer.country]
    duties = rng.sample(role.duties, k=4)
    requirements = rng.sample(role.requirements, k=3)
    if senior:
        requirements.insert(0, "Five or more years in a similar role, and the wish to mentor.")
    place = rng.choice(WORKPLACE_LINES[workplace]).format(
        city=employer.city, country_name=country_name
    )
    description = "\n\n".join(
        [
            f"{employer.about}",
            rng.choice(role.openings).format(team=team, city=employer.city),
            "**What you will do**",
            "\n".join(f"- {duty}" for duty in duties),
            "**What you bring**",
            "\n".join(f"- {requirement}" for requirement in requirements),
            f"{place} {rng.choice(CLOSINGS)}",
        ]
    )
    currency, scale = CURRENCIES[employer.country]
    low, high = role.salary
    if senior:
        low, high = int(low * 1.25), int(high * 1.25)
    remote = workplace == "REMOTE"
    return JobFields(
        title=title,
        description=description,
        employment_types=("CONTRACTOR",) if contract else ("FULL_TIME",),
        workplace_type=workplace,
        applicant_countries=(employer.country,) if remote else (),
        locations=()
        if remote
        else ({"city": employer.city, "region": employer.region, "countryCode": employer.country},),
        salary_currency=currency,
        salary_min=round(low * scale, -3),
        salary_max=round(high * scale, -3),
        salary_unit="YEAR",
        skills=role.skills,
        experience_months=60 if senior else rng.choice([None, 12, 24, 36]),
    )
