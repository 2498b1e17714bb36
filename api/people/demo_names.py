"""Names and email addresses for demo people: a given name and a family name from one country's
list (no honorifics, no titles), each person named once across the whole demo network."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Collection

from faker import Faker

#: The countries whose name lists the demo draws from, most often the first.
LOCALES = {"en_US": 3, "en_GB": 2, "de_DE": 3, "fr_FR": 2, "es_ES": 1, "it_IT": 1, "nl_NL": 1}


def person_names(count: int, *, seed: int, taken: Collection[str] = ()) -> list[str]:
    """`count` different names, none of them in `taken`; the same seed gives the same names."""
    fake = Faker(list(LOCALES))
    fake.seed_instance(seed)
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    locales, weights = list(LOCALES), list(LOCALES.values())
    seen = set(taken)
    names: list[str] = []
    while len(names) < count:
        local = fake[rng.choices(locales, weights=weights)[0]]
        name = f"{local.first_name()} {local.last_name()}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def email_local_part(name: str) -> str:
    """`Zoë de Vries` -> `zoe.de.vries`: the name in plain ASCII, dotted."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", ".", ascii_name.lower()).strip(".") or "member"


def unique_email(name: str, domain: str, taken: set[str]) -> str:
    """`first.last@domain`, numbered when two names fold to the same ASCII; added to `taken`."""
    local, number = email_local_part(name), 2
    email = f"{local}@{domain}"
    while email in taken:
        email, number = f"{local}.{number}@{domain}", number + 1
    taken.add(email)
    return email
