"""Messaging's settings are read from the environment, with clear errors."""

from __future__ import annotations

import pytest

from api.core.settings import Settings, SettingsError


def test_messaging_settings_from_the_environment(tmp_path) -> None:
    base = {"CONFRERE_DATA_DIR": str(tmp_path)}
    defaults = Settings.from_environment(base)
    assert (
        defaults.message_requests_per_week,
        defaults.messages_per_minute,
        defaults.conversations_per_hour,
        defaults.message_email_delay_seconds,
    ) == (20, 120, 60, 15 * 60)
    chosen = Settings.from_environment(
        {
            **base,
            "CONFRERE_MESSAGE_REQUESTS_PER_WEEK": "0",
            "CONFRERE_MESSAGES_PER_MINUTE": "30",
            "CONFRERE_CONVERSATIONS_PER_HOUR": "10",
            "CONFRERE_MESSAGE_EMAIL_DELAY_MINUTES": "0",
        }
    )
    assert (
        chosen.message_requests_per_week,
        chosen.messages_per_minute,
        chosen.conversations_per_hour,
        chosen.message_email_delay_seconds,
    ) == (0, 30, 10, 0)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONFRERE_MESSAGE_REQUESTS_PER_WEEK", "-1"),
        ("CONFRERE_MESSAGES_PER_MINUTE", "0"),
        ("CONFRERE_CONVERSATIONS_PER_HOUR", "many"),
        ("CONFRERE_MESSAGE_EMAIL_DELAY_MINUTES", "1441"),
    ],
)
def test_a_wrong_value_names_the_setting(tmp_path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_environment({"CONFRERE_DATA_DIR": str(tmp_path), name: value})
