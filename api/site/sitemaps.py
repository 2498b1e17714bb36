"""The site's sitemaps: `/sitemap.xml` is a sitemap index naming parts of at most 50,000
addresses each (the protocol's limit, sitemaps.org), one series of parts per kind of page
(`/sitemaps/jobs-1.xml`, ..., and `/sitemaps/docs.xml` for the hand-written pages).

A page keeps its part for as long as it lives: a new page joins its kind's last part (a new
part is opened when that one is full) and a page that leaves frees its place, so one change
rewrites one part and the small index, never the others. A full build packs them anew.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

#: The sitemap protocol's limit of addresses per file.
URLS_PER_PART = 50_000
FOLDER = "sitemaps"
DOCS = "docs"
_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _latest(values: list[str | None]) -> str | None:
    moments = []
    for value in values:
        if value:
            try:
                moments.append((datetime.fromisoformat(value.replace("Z", "+00:00")), value))
            except ValueError:
                continue
    aware = [m for m in moments if m[0].tzinfo is not None]
    return max(aware)[1] if aware else (max(moments)[1] if moments else None)


def write_text(path: str, text: str, *, atomic: bool) -> None:
    if not atomic:
        with open(path, "w", encoding="utf-8") as file:
            file.write(text)
        return
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)


@dataclass
class Sitemaps:
    """Every page's address and lastmod, in parts by kind; remembers which parts changed."""

    site_url: str
    parts: dict[str, list[dict[str, str | None]]] = field(default_factory=lambda: defaultdict(list))
    where: dict[str, tuple[str, int]] = field(default_factory=dict)
    changed: set[tuple[str, int]] = field(default_factory=set)
    per_part: int = URLS_PER_PART

    def add(self, kind: str, url: str, lastmod: str | None) -> None:
        found = self.where.get(url)
        if found is None:
            parts = self.parts[kind]
            if not parts or len(parts[-1]) >= self.per_part:
                parts.append({})
            found = self.where[url] = (kind, len(parts) - 1)
        kind_of, number = found
        self.parts[kind_of][number][url] = lastmod
        self.changed.add(found)

    def remove(self, url: str) -> None:
        found = self.where.pop(url, None)
        if found is not None:
            kind, number = found
            self.parts[kind][number].pop(url, None)
            self.changed.add(found)

    def part_name(self, kind: str, number: int) -> str:
        return f"{FOLDER}/{kind}.xml" if kind == DOCS else f"{FOLDER}/{kind}-{number + 1}.xml"

    def write(self, output: str, *, atomic: bool, everything: bool = False) -> int:
        """Write the parts that changed (all with `everything`) and the index; returns how
        many parts were written."""
        os.makedirs(os.path.join(output, FOLDER), exist_ok=True)
        written = 0
        for kind, parts in self.parts.items():
            for number, entries in enumerate(parts):
                if everything or (kind, number) in self.changed:
                    write_text(
                        os.path.join(output, self.part_name(kind, number)),
                        self._urlset(entries),
                        atomic=atomic,
                    )
                    written += 1
        self.changed.clear()
        write_text(os.path.join(output, "sitemap.xml"), self._index(), atomic=atomic)
        return written

    def _urlset(self, entries: dict[str, str | None]) -> str:
        lines = [_XML, f'<urlset xmlns="{_NAMESPACE}">\n']
        for url, lastmod in entries.items():
            lines.append(
                f"  <url><loc>{escape(url)}</loc>"
                + (f"<lastmod>{escape(lastmod)}</lastmod>" if lastmod else "")
                + "</url>\n"
            )
        lines.append("</urlset>\n")
        return "".join(lines)

    def _index(self) -> str:
        lines = [_XML, f'<sitemapindex xmlns="{_NAMESPACE}">\n']
        for kind, parts in sorted(self.parts.items()):
            for number, entries in enumerate(parts):
                lastmod = _latest(list(entries.values()))
                lines.append(
                    f"  <sitemap><loc>{escape(self.site_url + self.part_name(kind, number))}</loc>"
                    + (f"<lastmod>{escape(lastmod)}</lastmod>" if lastmod else "")
                    + "</sitemap>\n"
                )
        lines.append("</sitemapindex>\n")
        return "".join(lines)
