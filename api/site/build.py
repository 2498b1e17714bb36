"""Build the public site: the docs by MkDocs (only when they changed, `api.site.shell`),
the board as HTML in the theme's page, the sitemaps; swap the result in atomically.

The generator stays independent of MkDocs' plugin API (plain files in, `mkdocs build` out)
so the site can move to a successor of MkDocs later. The board comes from anonymous GraphQL
queries run in-process (`api.site.board`), so only what the public may see reaches the
site. The served path, `data_dir/site`, is a symlink to the newest build; replacing a
symlink is one atomic rename, so a request never sees a half-built site.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import html
import os
import pickle
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import anyio.to_thread

from api.core import db
from api.core.metrics import observe_site_build
from api.core.settings import Settings
from api.site.board import read_board
from api.site.pages import SitePages
from api.site.renderer import BoardRenderer, write_board
from api.site.shell import NAV_SECTIONS, SHELL_FOLDER, Shells, build_docs, docs_sitemap_entries
from api.site.sitemaps import DOCS

BUILDS_KEPT = 2


class SiteBuildFailed(RuntimeError):
    pass


class SiteBuildStopped(RuntimeError):
    """The server is stopping: the build was abandoned and the served site kept."""


@dataclass(frozen=True)
class SiteBuild:
    """What one build produced."""

    output: Path
    pages: dict[str, int] = field(default_factory=dict)
    """Board pages written, by kind (jobs, resumes, organizations, events, indexes)."""
    seconds: float = 0.0
    renderer: BoardRenderer | None = field(default=None, compare=False, repr=False)
    """The board as rendered, for the incremental updates that follow (api.site.changes)."""

    @property
    def summary(self) -> str:
        """How long it took and what it wrote, for a log line."""
        pages = ", ".join(f"{count} {kind}" for kind, count in sorted(self.pages.items()))
        return f"{self.seconds:.1f} s; board pages: {pages or 'none'}"


async def run_mkdocs(config: Path, output: Path, stop: asyncio.Event | None = None) -> None:
    """`mkdocs build` in a child process (it never blocks the server's event loop)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--quiet",
        "-f",
        str(config),
        "-d",
        str(output),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    finished = asyncio.ensure_future(process.communicate())
    stopping = asyncio.ensure_future((stop or asyncio.Event()).wait())
    await asyncio.wait([finished, stopping], return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not finished.done():
        process.terminate()
        await finished
        shutil.rmtree(output, ignore_errors=True)
        raise SiteBuildStopped("the build was stopped")
    log, _ = finished.result()
    if process.returncode != 0:
        shutil.rmtree(output, ignore_errors=True)
        raise SiteBuildFailed(f"mkdocs build failed:\n{log.decode(errors='replace')}")


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The board is many small objects alive for the whole build; the cyclic garbage
    collector would scan them again and again, which cost more than writing the pages
    (10,000 postings: 12.5 s of CPU with it, 7.4 s without). Reference counting still frees
    everything else meanwhile. Only for the command: a server keeps its collector while it
    rebuilds, as it serves requests meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _swap_in(settings: Settings, built: Path) -> None:
    link = settings.site_dir
    if link.exists() and not link.is_symlink():
        # A site left by something else: move it aside rather than delete it.
        link.rename(link.with_name(f"site.replaced-{int(time.time())}"))
    temporary_link = link.with_name(f".site-link-{os.getpid()}")
    temporary_link.unlink(missing_ok=True)
    temporary_link.symlink_to(built.relative_to(link.parent), target_is_directory=True)
    os.replace(temporary_link, link)


def _remove_old_builds(builds_dir: Path, current: Path) -> None:
    builds = sorted(p for p in builds_dir.iterdir() if p.is_dir() and p.name.startswith("build-"))
    for old in builds[:-BUILDS_KEPT]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)
            _state_file(old).unlink(missing_ok=True)


#: Raised when what `save_renderer` keeps changes shape; an older file is then ignored.
STATE_VERSION = 1


def _state_file(build: Path) -> Path:
    # Beside the build, never in it: everything in a build is served.
    return build.with_name(f"state-{build.name}.pickle")


def save_renderer(renderer: BoardRenderer) -> None:
    """Keep what the build rendered beside it, so a server started later applies changes
    page by page at once (the data dir is trusted as the database is)."""
    target = _state_file(renderer.pages.output)
    temporary = target.with_suffix(".tmp")
    with temporary.open("wb") as file:
        pickle.dump((STATE_VERSION, renderer), file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, target)


def load_renderer(settings: Settings) -> BoardRenderer | None:
    """What the served build rendered, if it was kept and is for this address."""
    served = Path(os.path.realpath(settings.site_dir))
    try:
        with _state_file(served).open("rb") as file:
            version, renderer = pickle.load(file)  # noqa: S301  # our own file, see above
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None
    if version != STATE_VERSION or not isinstance(renderer, BoardRenderer):
        return None
    if renderer.pages.output != served or renderer.pages.site_url != settings.site_url:
        return None
    return renderer


def _copy_docs(docs: Path, output: Path) -> None:
    """The docs build into a fresh build folder, as hard links (nothing writes into a file
    in place: pages are replaced whole). The shells, the docs' own sitemap and the board's
    sections are left out: the board's pages take their place."""
    left_out = {SHELL_FOLDER, "sitemap.xml", "sitemap.xml.gz", *NAV_SECTIONS}

    def ignore(folder: str, names: list[str]) -> set[str]:
        return left_out.intersection(names) if Path(folder) == docs else set()

    def link(source: str, target: str) -> None:
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copy2(source, target)

    shutil.copytree(docs, output, ignore=ignore, copy_function=link)


def _write_sitemaps(pages: SitePages, docs: Path, output: Path, site_url: str) -> None:
    for url, lastmod in docs_sitemap_entries(docs, site_url):
        pages.sitemaps.add(DOCS, html.unescape(url), lastmod and html.unescape(lastmod))
    pages.sitemaps.write(str(output), atomic=False, everything=True)
    robots = output / "robots.txt"
    if not robots.exists():  # a robots.txt under site/ is the author's own
        robots.write_text(f"User-agent: *\nAllow: /\nSitemap: {site_url}sitemap.xml\n")


async def build_site_now(settings: Settings, stop: asyncio.Event | None = None) -> SiteBuild | None:
    """Build the site into a fresh folder and make it the served one.

    The database must be open (as in the server, or inside `build_site`). When `stop` is
    set mid-way, the build is abandoned, the served site kept, and None returned.
    """
    started = time.monotonic()
    settings.ensure_data_dir()
    builds_dir = settings.data_dir / "site-builds"
    builds_dir.mkdir(exist_ok=True)
    # The real path: the server compares it with where the `site` link points.
    builds_dir = Path(await anyio.to_thread.run_sync(os.path.realpath, builds_dir))
    stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}"
    output = builds_dir / f"build-{stamp}"
    site_url = settings.site_url
    try:
        docs = await build_docs(settings, builds_dir, stop)
        await anyio.to_thread.run_sync(_copy_docs, docs, output)
        shells = await anyio.to_thread.run_sync(Shells.load, docs, site_url)
        board = await read_board(settings)
        pages = SitePages(output=output, site_url=site_url, shells=shells)
        renderer = BoardRenderer(board, pages)
        counts = await anyio.to_thread.run_sync(write_board, renderer)
        await anyio.to_thread.run_sync(_write_sitemaps, pages, docs, output, site_url)
        if stop is not None and stop.is_set():
            raise SiteBuildStopped("the build was stopped")
    except SiteBuildStopped:
        await anyio.to_thread.run_sync(lambda: shutil.rmtree(output, ignore_errors=True))
        return None
    except BaseException:
        await anyio.to_thread.run_sync(lambda: shutil.rmtree(output, ignore_errors=True))
        raise
    # What a change re-renders comes from the renderer's listings; the postings' and the
    # resumes' full text is read again when they change.
    board.jobs = []
    board.resumes = []
    pages.atomic = True
    pages.folders.clear()
    await anyio.to_thread.run_sync(save_renderer, renderer)
    _swap_in(settings, output)
    await anyio.to_thread.run_sync(_remove_old_builds, builds_dir, output)
    observe_site_build(time.monotonic() - started)
    return SiteBuild(
        output=output, pages=counts, seconds=time.monotonic() - started, renderer=renderer
    )


_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)"')


def built_for(site_dir: Path) -> str | None:
    """The address the served site was built for (its home page's canonical link)."""
    try:
        with (site_dir / "index.html").open(encoding="utf-8", errors="replace") as page:
            head = page.read(20_000)
    except OSError:
        return None
    found = _CANONICAL.search(head)
    return html.unescape(found.group(1)) if found else None


def build_site(settings: Settings) -> SiteBuild:
    """`confrere site build`: open the database, build, swap in."""

    async def run() -> SiteBuild:
        with _collector_paused():
            built = await build_site_now(settings)
        assert built is not None  # nothing stops the command's build
        return built

    return db.run_with_database(settings, run)
