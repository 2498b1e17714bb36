"""Build the public site: copy the hand-written pages, write the board, run `mkdocs build`,
swap the result in atomically.

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
import json
import os
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
from api.site.reference import schema_sdl, write_reference
from api.site.renderer import write_board

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

    @property
    def summary(self) -> str:
        """How long it took and what it wrote, for a log line."""
        pages = ", ".join(f"{count} {kind}" for kind, count in sorted(self.pages.items()))
        return f"{self.seconds:.1f} s; board pages: {pages or 'none'}"


def _prepare_sources(settings: Settings, work_dir: Path) -> Path:
    """A build copy of mkdocs.yml and site/; generated pages are written into the copy."""
    source = settings.site_source_dir
    config = source / "mkdocs.yml"
    if not config.is_file():
        raise SiteBuildFailed(f"no mkdocs.yml in {source}")
    shutil.copy2(config, work_dir / "mkdocs.yml")
    shutil.copytree(source / "site", work_dir / "site")
    # API reference from the SDL; mkdocs.yml's nav names its pages, so it always runs.
    write_reference(schema_sdl(), work_dir / "site" / "api" / "reference")
    return work_dir / "mkdocs.yml"


def _build_config(settings: Settings, config: Path) -> Path:
    """mkdocs.yml plus what only this build knows (the public address), by inheritance."""
    build_config = config.with_name("mkdocs.build.yml")
    # JSON is YAML: the address is quoted whatever it holds.
    build_config.write_text(
        f"INHERIT: {json.dumps(config.name)}\nsite_url: {json.dumps(settings.site_url)}\n"
    )
    return build_config


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


async def build_site_now(settings: Settings, stop: asyncio.Event | None = None) -> SiteBuild | None:
    """Build the site into a fresh folder and make it the served one.

    The database must be open (as in the server, or inside `build_site`). When `stop` is
    set mid-way, the build is abandoned, the served site kept, and None returned.
    """
    started = time.monotonic()
    settings.ensure_data_dir()
    builds_dir = settings.data_dir / "site-builds"
    builds_dir.mkdir(exist_ok=True)
    stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}"
    work_dir = builds_dir / f"sources-{stamp}"
    output = builds_dir / f"build-{stamp}"
    work_dir.mkdir()
    try:
        config = await anyio.to_thread.run_sync(_prepare_sources, settings, work_dir)
        board = await read_board(settings)
        pages = await anyio.to_thread.run_sync(
            write_board, board, work_dir / "site", settings.site_url
        )
        del board
        robots = work_dir / "site" / "robots.txt"
        if not robots.exists():
            robots.write_text(f"User-agent: *\nAllow: /\nSitemap: {settings.site_url}sitemap.xml\n")
        if stop is not None and stop.is_set():
            return None
        await run_mkdocs(_build_config(settings, config), output, stop)
    except SiteBuildStopped:
        return None
    finally:
        await anyio.to_thread.run_sync(lambda: shutil.rmtree(work_dir, ignore_errors=True))
    _swap_in(settings, output)
    await anyio.to_thread.run_sync(_remove_old_builds, builds_dir, output)
    observe_site_build(time.monotonic() - started)
    return SiteBuild(output=output, pages=pages, seconds=time.monotonic() - started)


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
