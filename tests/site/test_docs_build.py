"""MkDocs builds the hand-written docs only when they changed: a build with the same sources
reuses the docs it built before, and an edited page is built again."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from api.core.settings import Settings
from api.site.build import build_site_now
from tests.conftest import GraphQLClient
from tests.site.board_helpers import Employer, page_text

ROOT = Path(__file__).resolve().parents[2]


def _build(graphql: GraphQLClient, settings: Settings) -> Path:
    built = graphql.http.blocking_portal.call(build_site_now, settings)
    assert built is not None
    return built.output


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_the_docs_are_built_again_only_when_they_change(
    graphql: GraphQLClient, tmp_path: Path
) -> None:
    # given the site's sources in a folder of their own, and a posting
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", sources / "mkdocs.yml")
    shutil.copytree(ROOT / "site", sources / "site")
    settings = dataclasses.replace(graphql.http.app.state.settings, site_source_dir=sources)
    job = Employer(graphql).published(title="Cached Engineer")

    # when the site is built twice
    first = _build(graphql, settings)
    second = _build(graphql, settings)

    # then the second reused the first's docs (the same files), with the board written anew
    assert (first / "guides" / "employers" / "index.html").samefile(
        second / "guides" / "employers" / "index.html"
    )
    assert "Cached Engineer" in page_text(second, f"jobs/{job['slug']}")

    # when a hand-written page changes, the next build has it
    guide = sources / "site" / "guides" / "employers.md"
    guide.write_text(guide.read_text() + "\n\nA sentence added for the cache.\n")
    third = _build(graphql, settings)
    assert "A sentence added for the cache." in page_text(third, "guides/employers")
    assert "A sentence added for the cache." not in page_text(second, "guides/employers")
    assert "Cached Engineer" in page_text(third, f"jobs/{job['slug']}")
