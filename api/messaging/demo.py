"""The demo's conversations: Ada writes with fellow members of her society, in a group, and
has a message request waiting from a verified employer."""

from __future__ import annotations

from dataclasses import dataclass

from api.core.errors import InvalidInput
from api.core.settings import Settings
from api.core.viewer import Viewer
from api.messaging import service
from api.messaging.access import may_message


@dataclass(frozen=True)
class MessagingDemo:
    conversations: int
    messages: int


EXCHANGES = [
    [
        "Are you coming to the next society meeting?",
        "Yes — I am bringing the **difference engine** notes.",
        "Wonderful. Could you share them beforehand?",
    ],
    [
        "Thank you for the talk on Tuesday!",
        "Glad you liked it. The slides are at https://example.org/slides",
    ],
    ["Would you review my resume before I apply to Globex?"],
]
REQUEST = (
    "Hello Ada, I read your resume and think you would enjoy our analytics team. "
    "Could we talk this week?"
)


async def seed_messaging_demo(
    settings: Settings, ada: Viewer, fellows: list[Viewer], recruiters: list[Viewer]
) -> MessagingDemo:
    """Conversations between Ada and `fellows` (members of an organization she is in), a
    group with two of them, and a pending message request to Ada from the first of
    `recruiters` whose employer may send her one. The last word of the first conversation
    is the other person's, so Ada has unread messages."""
    conversations = messages = 0
    ada_id = ada.require_account()
    for fellow, exchange in zip(fellows, EXCHANGES, strict=False):
        fellow_id = fellow.require_account()
        first_writer, second_writer = (fellow, ada) if len(exchange) % 2 else (ada, fellow)
        record = await service.start_conversation(
            first_writer,
            settings,
            [ada_id if first_writer is fellow else fellow_id],
            exchange[0],
        )
        conversations += 1
        messages += 1
        for number, body in enumerate(exchange[1:], start=1):
            writer = second_writer if number % 2 else first_writer
            await service.send_message(writer, settings, record.id, body)
            messages += 1
    if len(fellows) >= 2:
        await service.start_conversation(
            ada,
            settings,
            [fellows[0].require_account(), fellows[1].require_account()],
            "Shall we three put together the society's reading list?",
        )
        conversations += 1
        messages += 1
    for recruiter in recruiters:
        try:
            [permission] = await may_message(recruiter, [ada_id])
        except InvalidInput:
            continue
        if permission.request_from is None:
            continue  # they may write to her directly: no request to show
        await service.start_conversation(recruiter, settings, [ada_id], REQUEST)
        conversations += 1
        messages += 1
        break
    return MessagingDemo(conversations=conversations, messages=messages)
