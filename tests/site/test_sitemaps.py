"""Sitemaps: an index naming parts of at most the protocol's 50,000 addresses, one series of
parts per kind of page, and parts that stay put as pages come and go."""

from __future__ import annotations

import re
from pathlib import Path

from api.site.sitemaps import URLS_PER_PART, Sitemaps

SITE = "https://jobs.example.org/"


def _locs(text: str) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", text)


def test_a_kind_past_the_limit_is_split_into_parts_named_by_the_index(tmp_path: Path) -> None:
    # given more job pages than one part may hold, and a few docs pages
    sitemaps = Sitemaps(SITE)
    for number in range(URLS_PER_PART + 3):
        sitemaps.add("jobs", f"{SITE}jobs/j{number}/", "2026-12-01T10:00:00+00:00")
    sitemaps.add("docs", f"{SITE}guides/employers/", None)

    # when they are written
    sitemaps.write(str(tmp_path), atomic=False, everything=True)

    # then the index names two job parts and the docs part, each within the limit
    index = (tmp_path / "sitemap.xml").read_text()
    assert "<sitemapindex" in index
    assert _locs(index) == [
        f"{SITE}sitemaps/docs.xml",
        f"{SITE}sitemaps/jobs-1.xml",
        f"{SITE}sitemaps/jobs-2.xml",
    ]
    counts = [
        len(_locs((tmp_path / "sitemaps" / name).read_text()))
        for name in ("jobs-1.xml", "jobs-2.xml")
    ]
    assert counts == [URLS_PER_PART, 3]
    assert "<lastmod>2026-12-01T10:00:00+00:00</lastmod>" in index


def test_pages_keep_their_part_as_others_come_and_go(tmp_path: Path) -> None:
    # given parts of two addresses (a small limit stands for the protocol's)
    sitemaps = Sitemaps(SITE, per_part=2)
    for name in ("a", "b", "c", "d"):
        sitemaps.add("jobs", f"{SITE}jobs/{name}/", None)
    sitemaps.write(str(tmp_path), atomic=False, everything=True)
    first = (tmp_path / "sitemaps" / "jobs-1.xml").stat().st_mtime_ns

    # when a page of the second part leaves and a new one comes
    sitemaps.remove(f"{SITE}jobs/c/")
    sitemaps.add("jobs", f"{SITE}jobs/e/", None)
    written = sitemaps.write(str(tmp_path), atomic=True)

    # then only the part that changed is written (the new page took the freed place), and
    # the first keeps its pages and its file
    assert written == 1
    assert (tmp_path / "sitemaps" / "jobs-1.xml").stat().st_mtime_ns == first
    parts = [_locs((tmp_path / "sitemaps" / f"jobs-{n}.xml").read_text()) for n in (1, 2)]
    assert parts == [[f"{SITE}jobs/a/", f"{SITE}jobs/b/"], [f"{SITE}jobs/d/", f"{SITE}jobs/e/"]]
    assert not (tmp_path / "sitemaps" / "jobs-3.xml").exists()
