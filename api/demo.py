"""Demo data for a newcomer to try every query right after `make run`.

Each capability adds its part here; the data is seeded (deterministic) so screenshots and
guides stay true from one machine to the next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import anyio
from faker import Faker

from api.people import service as people
from api.people.tables import Account

DEMO_PASSWORD = "confrere-demo"
DEMO_STAFF_EMAIL = "staff@demo.confrere.dev"
DEMO_MEMBER_EMAIL = "ada@demo.confrere.dev"
DEMO_SEED = 2026


@dataclass(frozen=True)
class DemoSummary:
    accounts: int


async def database_is_empty() -> bool:
    return not await Account.exists()


async def seed_demo(
    *, accounts: int = 60, progress: Callable[[int, int], None] | None = None
) -> DemoSummary:
    """Create the demo network; every account's password is DEMO_PASSWORD."""
    fake = Faker(["en_US", "en_GB", "de_DE", "fr_FR"])
    fake.seed_instance(DEMO_SEED)
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

    done = 0
    total = len(people_to_create)
    limiter = anyio.CapacityLimiter(4)  # argon2 hashing runs in threads; keep it bounded

    async def create(email: str, name: str, is_staff: bool) -> None:
        nonlocal done
        async with limiter:
            await people.register(email=email, password=DEMO_PASSWORD, name=name, is_staff=is_staff)
        done += 1
        if progress:
            progress(done, total)

    async with anyio.create_task_group() as group:
        for email, name, is_staff in people_to_create:
            group.start_soon(create, email, name, is_staff)
    return DemoSummary(accounts=total)
