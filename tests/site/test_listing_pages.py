"""Listing pages stay put as postings come and go: a new posting changes the listing's own
page (its newest), a posting that leaves changes only the page it was on, and the numbered
pages count from the oldest end."""

from __future__ import annotations

from api.site.pages import LISTING_PAGE_SIZE
from api.site.renderer import JobEntry, JobListing


def _entry(number: int) -> JobEntry:
    job_id = f"job-{number:06d}"
    return JobEntry(
        id=job_id,
        path=f"jobs/{job_id}",
        key=(
            f"2026-12-06T{number // 3600 % 24:02d}:{number // 60 % 60:02d}:{number % 60:02d}",
            job_id,
        ),
        updated_at=None,
        organization=None,
        listed=(("jobs", "Jobs", "all"),),
        item="",
    )


def _pages(listing: JobListing) -> dict[str, list[str]]:
    return {
        listing.page_path(number): [entry.id for entry in bucket]
        for number, bucket in enumerate(listing.buckets)
    }


def test_a_full_listing_is_packed_from_the_newest_end() -> None:
    # given 2.5 pages of postings
    listing = JobListing("jobs", "Jobs", "all", "Jobs", "")
    listing.buckets[0] = [_entry(n) for n in range(LISTING_PAGE_SIZE * 5 // 2)]

    # when packed (a full build)
    listing.pack()

    # then the listing's own page is full of the newest, and page 1 holds the rest
    pages = _pages(listing)
    assert list(pages) == ["jobs/page/1", "jobs/page/2", "jobs"]
    assert [len(ids) for ids in pages.values()] == [
        LISTING_PAGE_SIZE // 2,
        LISTING_PAGE_SIZE,
        LISTING_PAGE_SIZE,
    ]
    assert pages["jobs"][-1] == _entry(LISTING_PAGE_SIZE * 5 // 2 - 1).id


def test_new_and_leaving_postings_change_one_page() -> None:
    listing = JobListing("jobs", "Jobs", "all", "Jobs", "")
    listing.buckets[0] = [_entry(n) for n in range(LISTING_PAGE_SIZE * 2)]
    listing.pack()
    before = _pages(listing)

    # when a new posting comes, only the listing's own page changes
    changed = listing.add(_entry(LISTING_PAGE_SIZE * 2))
    after = _pages(listing)
    assert changed == {1}
    assert [path for path in after if after[path] != before[path]] == ["jobs"]

    # when an old posting leaves, only its page changes; the others keep theirs
    changed = listing.remove(_entry(5))
    assert changed == {0}
    assert _pages(listing)["jobs"] == after["jobs"]
    assert _entry(5).id not in _pages(listing)["jobs/page/1"]
    assert listing.count == LISTING_PAGE_SIZE * 2


def test_the_newest_page_splits_when_it_passes_twice_the_page_size() -> None:
    listing = JobListing("jobs", "Jobs", "all", "Jobs", "")
    listing.buckets[0] = [_entry(n) for n in range(LISTING_PAGE_SIZE)]
    listing.pack()

    # when postings keep coming past twice a page
    for number in range(LISTING_PAGE_SIZE, LISTING_PAGE_SIZE * 2 + 1):
        listing.add(_entry(number))

    # then the older part became page 1 and the listing's page keeps a page of the newest
    pages = _pages(listing)
    assert list(pages) == ["jobs/page/1", "jobs"]
    assert [len(ids) for ids in pages.values()] == [LISTING_PAGE_SIZE + 1, LISTING_PAGE_SIZE]
    assert pages["jobs"][-1] == _entry(LISTING_PAGE_SIZE * 2).id

    # and when the newest page empties, page 1 becomes the listing's page and its old
    # address leaves the site
    for entry in [_entry(n) for n in range(LISTING_PAGE_SIZE + 1, LISTING_PAGE_SIZE * 2 + 1)]:
        listing.remove(entry)
    assert _pages(listing) == {"jobs": pages["jobs/page/1"]}
    assert listing.gone == ["jobs/page/1"]
