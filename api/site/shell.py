"""The hand-written docs built by MkDocs, and the theme's page around the board ("shells").

MkDocs builds `site/`, the API reference and one placeholder page per board page kind: the
four board index pages the navigation names, and one page that is not in the navigation for
each folder depth the board uses. The board's pages are then the theme's own HTML with the
placeholders filled in (`Shells.html`), so MkDocs never sees the board: its cost stays that
of the docs whatever the size of the board, and one board page can be rewritten alone.

The docs build is kept under a hash of everything it depends on (mkdocs.yml, every file under
`site/`, the schema reference, the address, the MkDocs and theme versions): it runs again only
when one of them changes.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from api.core.settings import Settings
from api.site.reference import schema_sdl, write_reference

#: Board sections whose index page is in mkdocs.yml's navigation.
NAV_SECTIONS = ("jobs", "people", "organizations", "events")
#: Where the shells for pages outside the navigation are built (removed from the served site).
SHELL_FOLDER = "board-shell"
#: Folder depths of board pages outside the navigation (`jobs/x` is 2; `jobs/locations/x/page/2` 5).
SHELL_DEPTHS = range(2, 8)
#: Raised when the shells' placeholders or layout change, so cached docs builds are redone.
SHELL_VERSION = "1"
DOCS_BUILDS_KEPT = 2
_FINISHED = re.compile(r"docs-[0-9a-f]{20}")

TITLE = "CONFRERE-SHELL-TITLE"
DESCRIPTION = "CONFRERE-SHELL-DESCRIPTION"
BODY = "CONFRERE-SHELL-BODY"
JSONLD = "CONFRERE-SHELL-JSONLD"
JSONLD_ELEMENT = f'<script type="application/ld+json">{JSONLD}</script>'
CANONICAL = "CONFRERE-SHELL-CANONICAL"
_SLOTS = re.compile("|".join(re.escape(s) for s in (JSONLD_ELEMENT, TITLE, DESCRIPTION, BODY)))


class DocsBuildFailed(RuntimeError):
    pass


def shell_path(depth: int) -> str:
    """The shell page's folder for pages `depth` folders deep (`board-shell/x/x` is 3)."""
    return "/".join([SHELL_FOLDER, *["x"] * (depth - 1)])


def _shell_markdown(title: str) -> str:
    # JSON strings are YAML strings; the theme override places `board` and `jsonld`.
    return (
        "---\n"
        f"title: {json.dumps(title)}\n"
        f"description: {json.dumps(DESCRIPTION)}\n"
        "search:\n  exclude: true\n"
        f"board: {json.dumps(BODY)}\n"
        f"jsonld: {json.dumps(JSONLD)}\n"
        "---\n"
    )


def docs_key(settings: Settings) -> str:
    """A hash of everything the docs build depends on."""
    digest = hashlib.sha256()
    source = settings.site_source_dir
    versions = [importlib.metadata.version(name) for name in ("mkdocs", "mkdocs-material")]
    for part in (SHELL_VERSION, settings.site_url, *versions, schema_sdl()):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update((source / "mkdocs.yml").read_bytes())
    for path in sorted((source / "site").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(source)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _prepare_sources(settings: Settings, work_dir: Path) -> Path:
    """A build copy of mkdocs.yml and site/ with the API reference and the shells; returns
    the build's configuration (mkdocs.yml plus the address, by inheritance)."""
    source = settings.site_source_dir
    config = source / "mkdocs.yml"
    if not config.is_file():
        raise DocsBuildFailed(f"no mkdocs.yml in {source}")
    shutil.copy2(config, work_dir / "mkdocs.yml")
    shutil.copytree(source / "site", work_dir / "site")
    docs = work_dir / "site"
    # API reference from the SDL; mkdocs.yml's nav names its pages, so it always runs.
    write_reference(schema_sdl(), docs / "api" / "reference")
    for section in NAV_SECTIONS:
        (docs / section).mkdir(parents=True, exist_ok=True)
        (docs / section / "index.md").write_text(_shell_markdown(TITLE))
    for depth in SHELL_DEPTHS:
        page = docs / f"{shell_path(depth)}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_shell_markdown(TITLE))
    build_config = work_dir / "mkdocs.build.yml"
    # JSON is YAML: the address is quoted whatever it holds.
    build_config.write_text(
        f"INHERIT: {json.dumps('mkdocs.yml')}\nsite_url: {json.dumps(settings.site_url)}\n"
    )
    return build_config


async def build_docs(
    settings: Settings, builds_dir: Path, stop: asyncio.Event | None = None
) -> Path:
    """The docs build for the current sources: the cached one, or a fresh `mkdocs build`."""
    from api.site.build import run_mkdocs

    key = await asyncio.to_thread(docs_key, settings)
    output = builds_dir / f"docs-{key}"
    if (output / "sitemap.xml").is_file():
        return output
    # Names of this process's own: a `confrere site build` may run beside the server.
    mine = f"{key}-{os.getpid()}-{time.monotonic_ns()}"
    work_dir = builds_dir / f"docs-sources-{mine}"
    partial = builds_dir / f"docs-partial-{mine}"
    work_dir.mkdir(parents=True)
    try:
        config = await asyncio.to_thread(_prepare_sources, settings, work_dir)
        await run_mkdocs(config, partial, stop)
        try:
            partial.rename(output)
        except OSError:  # the other process finished the same build first
            if not (output / "sitemap.xml").is_file():
                raise
    finally:
        await asyncio.to_thread(shutil.rmtree, work_dir, True)
        await asyncio.to_thread(shutil.rmtree, partial, True)
    await asyncio.to_thread(_remove_old_docs, builds_dir, output)
    return output


def _remove_old_docs(builds_dir: Path, current: Path) -> None:
    builds = sorted(
        (p for p in builds_dir.iterdir() if _FINISHED.fullmatch(p.name) and p != current),
        key=lambda p: p.stat().st_mtime,
    )
    for old in builds[: max(0, len(builds) - (DOCS_BUILDS_KEPT - 1))]:
        shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class Shell:
    """One theme page split at its placeholders: the text between them, and which one each
    gap is."""

    pieces: tuple[str, ...]
    slots: tuple[str, ...]

    @classmethod
    def parse(cls, page: str, canonical: str) -> Shell:
        marked = f'<link rel="canonical" href="{canonical}">'
        if page.count(marked) != 1 or BODY not in page or TITLE not in page:
            raise DocsBuildFailed(f"the theme's page for {canonical} lost its placeholders")
        page = page.replace(marked, f'<link rel="canonical" href="{CANONICAL}">')
        pattern = re.compile(_SLOTS.pattern + "|" + re.escape(CANONICAL))
        return cls(tuple(pattern.split(page)), tuple(pattern.findall(page)))

    def html(self, *, title: str, description: str, body: str, jsonld: str, canonical: str) -> str:
        """The page; every value is HTML already (escaped text, or sanitized markup)."""
        values = {
            TITLE: title,
            DESCRIPTION: description,
            BODY: body,
            JSONLD_ELEMENT: f'<script type="application/ld+json">{jsonld}</script>'
            if jsonld
            else "",
            CANONICAL: canonical,
        }
        out = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            out.append(values[slot])
            out.append(piece)
        return "".join(out)


@dataclass(frozen=True)
class Shells:
    """The theme's page for each board section index and each folder depth."""

    by_section: dict[str, Shell]
    by_depth: dict[int, Shell]

    @classmethod
    def load(cls, docs: Path, site_url: str) -> Shells:
        by_section = {
            section: Shell.parse(
                (docs / section / "index.html").read_text(encoding="utf-8"),
                f"{site_url}{section}/",
            )
            for section in NAV_SECTIONS
        }
        by_depth = {
            depth: Shell.parse(
                (docs / shell_path(depth) / "index.html").read_text(encoding="utf-8"),
                f"{site_url}{shell_path(depth)}/",
            )
            for depth in SHELL_DEPTHS
        }
        return cls(by_section, by_depth)

    def for_path(self, path: str) -> Shell:
        if path in self.by_section:
            return self.by_section[path]
        depth = path.count("/") + 1
        if depth not in self.by_depth:
            raise DocsBuildFailed(f"no theme page for a board page {depth} folders deep: {path}")
        return self.by_depth[depth]


def docs_sitemap_entries(docs: Path, site_url: str) -> list[tuple[str, str | None]]:
    """The hand-written pages of the docs build's sitemap (the shells left out)."""
    text = (docs / "sitemap.xml").read_text(encoding="utf-8")
    skipped = {f"{site_url}{section}/" for section in NAV_SECTIONS}
    shells = f"{site_url}{SHELL_FOLDER}/"
    entries = []
    for block in re.findall(r"<url>(.*?)</url>", text, re.DOTALL):
        loc = re.search(r"<loc>(.*?)</loc>", block)
        lastmod = re.search(r"<lastmod>(.*?)</lastmod>", block)
        if loc is None:
            continue
        url = loc.group(1)
        if url in skipped or url.startswith(shells):
            continue
        entries.append((url, lastmod.group(1) if lastmod else None))
    return entries
