"""Every events test runs the app as a deployment does: with its public address configured."""

from __future__ import annotations

from dataclasses import replace

import pytest

from api.core.settings import Settings
from tests.events.helpers import SITE_URL


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, site_url=SITE_URL)
