"""Demo chamber of commerce: a dozen member businesses across categories (and one waiting for a
decision), people joining the chamber directly, and perks that are current, expired, upcoming,
pending and rejected — all through the services."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from api.chambers import perks, service
from api.chambers.perks import PerkFields
from api.chambers.tables import BusinessCategory, PerkStatus
from api.core.viewer import Viewer
from api.networks import service as networks
from api.networks.tables import JoinPolicy, OrganizationKind

DEMO_SEED = 2026
C = BusinessCategory

CHAMBER = {
    "name": "Springfield Chamber of Commerce",
    "kind": OrganizationKind.CHAMBER_OF_COMMERCE,
    "join_policy": JoinPolicy.OPEN,
    "interest": "Businesses of Springfield and the county",
    "description": "Connecting Springfield's businesses since 1921.",
    "website": "https://springfield-chamber.example",
    "location": "Springfield",
}
#: (name, category, blurb, location)
BUSINESSES = [
    ("Maple Street Bakery", C.FOOD_AND_DRINK, "Sourdough, croissants and coffee since 1987.",
     "14 Maple Street"),
    ("Riverside Hardware", C.RETAIL, "Tools, paint and friendly advice.", "2 River Road"),
    ("Bright Smile Dental", C.HEALTH, "Family dentistry, evening appointments.",
     "88 Elm Avenue, Suite 3"),
    ("Oakwood Builders", C.CONSTRUCTION, "Renovations and new homes, fully insured.", ""),
    ("Precision Parts Co.", C.MANUFACTURING, "CNC machining for small series.",
     "Industrial Park 7"),
    ("Pixel Forge", C.TECHNOLOGY, "Websites and apps for local businesses.", "Remote & 5 Main St"),
    ("Harbor Credit Union", C.FINANCE, "Member-owned banking for the county.", "1 Harbor Plaza"),
    ("Keystone Realty", C.REAL_ESTATE, "Homes and commercial space downtown.", "40 Market Square"),
    ("The Grand Hotel", C.HOSPITALITY, "Rooms, events and a rooftop bar.", "100 Grand Avenue"),
    ("Springfield Food Bank", C.NONPROFIT, "Fighting hunger in our county.", "9 Depot Lane"),
    ("Lakeside Learning Center", C.EDUCATION, "Tutoring and adult classes.", "31 Lake Drive"),
    ("Old Mill Theater", C.ARTS_AND_ENTERTAINMENT, "Plays, concerts and film nights.",
     "The Old Mill, Canal Street"),
    ("Green Thumb Florist", C.RETAIL, "Bouquets and plants for every occasion.", "22 Maple Street"),
    ("Counsel & Co. Accountants", C.PROFESSIONAL_SERVICES, "Bookkeeping and tax returns.", ""),
]  # fmt: skip
#: A business that applies and waits for the chamber's decision.
WAITING = ("Night Owl Records", C.ARTS_AND_ENTERTAINMENT, "Vinyl, old and new.", "3 Canal Street")


@dataclass(frozen=True)
class DemoPerk:
    business: int
    """Index into BUSINESSES; -1 for the chamber's own perk."""
    title: str
    discount: str
    description: str
    code: str = ""
    redemption_url: str = ""
    starts_in_days: int | None = None
    ends_in_days: int | None = None
    outcome: str = "APPROVED"
    """APPROVED, SUBMITTED (pending) or REJECTED."""


PERKS = [
    DemoPerk(0, "A free coffee with any pastry", "Free coffee", "Show the code at the counter.",
             code="CHAMBERCOFFEE", starts_in_days=-30, ends_in_days=60),
    DemoPerk(1, "10% off paint and tools", "10% off", "Not valid on power tools already on sale.",
             code="RIVER10", ends_in_days=90),
    DemoPerk(5, "Free website review", "A free one-hour review",
             "We look at your site's **speed**, *accessibility* and search ranking.",
             redemption_url="https://pixelforge.example/chamber", starts_in_days=-7),
    DemoPerk(8, "Members' rate on event rooms", "20% off room hire", "Weekdays only.",
             code="GRANDMEMBER", redemption_url="https://grandhotel.example/book",
             starts_in_days=-90, ends_in_days=180),
    DemoPerk(6, "No-fee business account for a year", "12 months without fees", "",
             redemption_url="https://harborcu.example/join", starts_in_days=-400,
             ends_in_days=-35),  # expired
    DemoPerk(11, "Holiday show: two tickets for one", "2 for 1", "For the December season.",
             code="MILL2FOR1", starts_in_days=20, ends_in_days=50),  # upcoming
    DemoPerk(2, "Free check-up for new patients", "Free first check-up", "",
             code="SMILE", ends_in_days=120, outcome="SUBMITTED"),  # pending
    DemoPerk(7, "Free home valuation", "Free valuation", "", code="KEYSTONE",
             outcome="REJECTED"),
    DemoPerk(-1, "Members' networking breakfast", "Free for members",
             "First Tuesday of the month at **The Grand Hotel**.",
             redemption_url="https://springfield-chamber.example/breakfast"),
]  # fmt: skip


@dataclass(frozen=True)
class ChamberDemoSummary:
    chamber_id: int
    businesses: int
    perks: int


async def seed_chamber_demo(
    business_owners: list[Viewer],
    *,
    chamber_owner: Viewer,
    members: Sequence[Viewer] = (),
    seed: int = DEMO_SEED,
) -> ChamberDemoSummary:
    """A public chamber owned by `chamber_owner`, with 14 member businesses owned in turn by
    `business_owners` (at least one) and one more waiting; about half of `members` join the
    chamber directly. Dates are relative to today, so the expired perk stays expired."""
    if not business_owners:
        raise ValueError("seed_chamber_demo needs at least one business owner")
    rng = random.Random(seed)
    chamber = await networks.create_organization(chamber_owner, **CHAMBER)
    chamber_id = chamber["id"]
    business_ids: list[tuple[int, Viewer]] = []
    for index, (name, category, blurb, location) in enumerate([*BUSINESSES, WAITING]):
        owner = business_owners[index % len(business_owners)]
        business = await networks.create_organization(
            owner,
            name=name,
            kind=OrganizationKind.EMPLOYER,
            join_policy=JoinPolicy.APPROVAL,
            website=f"https://{networks.slugify(name)}.example",
            location=location,
        )
        applied = await service.apply_for_business_membership(
            owner, chamber_id, business["id"], category=category, blurb=blurb
        )
        if index < len(BUSINESSES):
            await service.move_business_membership(chamber_owner, "approve", applied.id)
        business_ids.append((business["id"], owner))
    for person in members:
        if rng.random() < 0.5 and person.account_id != chamber_owner.account_id:
            await networks.join_organization(person, chamber_id)

    today = service.today()

    def day(offset: int | None) -> date | None:
        return None if offset is None else today + timedelta(days=offset)

    for demo in PERKS:
        offered_by, admin = (
            (chamber_id, chamber_owner) if demo.business < 0 else business_ids[demo.business]
        )
        perk = await perks.submit_perk(
            admin,
            chamber_id,
            offered_by,
            PerkFields(
                title=demo.title,
                description=demo.description,
                discount=demo.discount,
                code=demo.code,
                redemption_url=demo.redemption_url,
                valid_from=day(demo.starts_in_days),
                valid_until=day(demo.ends_in_days),
            ),
        )
        if perk.status is not PerkStatus.SUBMITTED:
            continue  # the chamber's own perk is approved at once
        if demo.outcome == "APPROVED":
            await perks.approve_perk(chamber_owner, perk.id)
        elif demo.outcome == "REJECTED":
            await perks.reject_perk(
                chamber_owner, perk.id, "Valuations are offered to everyone already."
            )
    return ChamberDemoSummary(chamber_id=chamber_id, businesses=len(BUSINESSES), perks=len(PERKS))
