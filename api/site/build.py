"""Build the public site: copy the hand-written pages, run `mkdocs build`, swap atomically.

The generator stays independent of MkDocs' plugin API (plain files in, `mkdocs build` out)
so the site can move to a successor of MkDocs later. The served path, `data_dir/site`, is
a symlink to the newest build; replacing a symlink is one atomic rename, so a request never
sees a half-built site.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from api.core.settings import Settings

BUILDS_KEPT = 2


class SiteBuildFailed(RuntimeError):
    pass


def _prepare_sources(settings: Settings, work_dir: Path) -> Path:
    """A build copy of mkdocs.yml and site/; generated pages are written into the copy."""
    source = settings.site_source_dir
    config = source / "mkdocs.yml"
    if not config.is_file():
        raise SiteBuildFailed(f"no mkdocs.yml in {source}")
    shutil.copy2(config, work_dir / "mkdocs.yml")
    shutil.copytree(source / "site", work_dir / "site")
    return work_dir / "mkdocs.yml"


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


def build_site(settings: Settings) -> Path:
    """Build the site into a fresh folder and make it the served one; returns that folder."""
    settings.ensure_data_dir()
    builds_dir = settings.data_dir / "site-builds"
    builds_dir.mkdir(exist_ok=True)
    stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}"
    work_dir = builds_dir / f"sources-{stamp}"
    output = builds_dir / f"build-{stamp}"
    work_dir.mkdir()
    try:
        config = _prepare_sources(settings, work_dir)
        result = subprocess.run(  # noqa: S603 - our own interpreter running mkdocs
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--quiet",
                "-f",
                str(config),
                "-d",
                str(output),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            shutil.rmtree(output, ignore_errors=True)
            raise SiteBuildFailed(f"mkdocs build failed:\n{result.stderr or result.stdout}")
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    _swap_in(settings, output)
    _remove_old_builds(builds_dir, output)
    return output
