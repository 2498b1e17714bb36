"""Text analysis: how words become index terms, field by field.

- prose (summaries, work descriptions): words, case folded, accents folded, stop words
  dropped, stemmed ("engineering" and "engineers" meet at "engin");
- plain (names, companies, schools, and the spelling field "did you mean" reads): the same
  without stemming, so suggestions are real words;
- skills: tokens that keep "c++", "c#", "node.js", ".net", with the synonym table applied
  ("JS" -> javascript, "k8s" -> kubernetes, "Postgres" -> postgresql).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.acore import Token
from whoosh.support.charset import accent_map

#: Words; keeps "c++", "c#", "node.js" and ".net" whole, drops trailing punctuation.
SKILL_TOKEN = r"\.?\w[\w+#]*(?:\.\w+)*[+#]*"
_PUNCTUATION = re.compile(r"[^\w+#.]+")


def normalize(text: str) -> str:
    """Case-folded, accent-folded, single-spaced: the form every keyword is compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


@lru_cache(maxsize=50_000)  # the same few thousand skills, spelled a few ways, over and over
def _skill_key(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", normalize(text)).split()).strip(".")


@dataclass(frozen=True)
class SkillTable:
    """Canonical skills and their aliases, read from data/skill_synonyms.txt."""

    canonical_names: dict[str, str]  # key -> display name
    aliases: dict[str, str]  # alias key -> canonical key

    @staticmethod
    def key(text: str) -> str:
        """The comparison form of a skill: "  Node.JS " -> "node.js", "C Sharp" -> "c sharp"."""
        return _skill_key(text)

    def canonical(self, text: str) -> str:
        """The canonical key for any spelling of a skill."""
        key = self.key(text)
        return self.aliases.get(key, key)

    def display(self, key: str) -> str:
        return self.canonical_names.get(key, key)

    def token(self, token: str) -> str:
        """Map one skill token through the table (single-word aliases only)."""
        return self.aliases.get(token, token)


def parse_skill_table(text: str) -> SkillTable:
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):  # whole-line comments only: "C#" is a skill
            continue
        canonical, sep, rest = line.partition(":")
        if not sep or not canonical.strip():
            raise ValueError(f"skill synonyms line {number}: expected 'Name: alias, alias'")
        key = SkillTable.key(canonical)
        names[key] = canonical.strip()
        for alias in rest.split(","):
            if alias.strip():
                aliases[SkillTable.key(alias)] = key
    return SkillTable(canonical_names=names, aliases=aliases)


@cache
def skill_table() -> SkillTable:
    text = resources.files("search").joinpath("data/skill_synonyms.txt").read_text()
    return parse_skill_table(text)


class SkillSynonymFilter(Filter):  # type: ignore[misc]  # whoosh is untyped
    """Replaces each token by its canonical skill token ("js" -> "javascript")."""

    def __init__(self, table: SkillTable | None = None) -> None:
        self.table = table

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SkillSynonymFilter)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        table = self.table or skill_table()
        for token in tokens:
            token.text = table.token(token.text.strip("."))
            if token.text:
                yield token


def prose_analyzer() -> Analyzer:
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter(cachesize=50_000)
    )


def plain_analyzer() -> Analyzer:
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def skill_analyzer() -> Analyzer:
    return (
        RegexTokenizer(SKILL_TOKEN) | LowercaseFilter() | CharsetFilter(accent_map)
        | SkillSynonymFilter()
    )  # fmt: skip
