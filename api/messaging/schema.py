"""Messaging's query, mutation and subscription fields (thin: parse, call the service, shape).

The viewer's conversations and unread count are fields of `viewer` (api.people.types.Account).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry import relay

from api.core import live
from api.core.context import Info
from api.core.errors import Forbidden
from api.core.pagination import After, Connection, First
from api.core.records import mutation
from api.core.types import argument_id, database_id
from api.messaging import reports, service
from api.messaging.access import MessagingErrorCode
from api.messaging.tables import MessagingAudience
from api.messaging.tables import ReportStatus as ReportStatusEnum
from api.messaging.types import (
    ArchiveConversationInput,
    Conversation,
    ConversationByIdLoader,
    ConversationInput,
    ConversationPayload,
    ConversationReport,
    ConversationReportPayload,
    DeleteMessageInput,
    EditMessageInput,
    LiftMessagingSuspensionInput,
    LiftMessagingSuspensionPayload,
    Message,
    MessagePayload,
    MuteConversationInput,
    ReportConversationInput,
    ReportStatus,
    ResolveConversationReportInput,
    SendMessageInput,
    SetMessagingPreferencesInput,
    SetMessagingPreferencesPayload,
    StartApplicationConversationInput,
    StartConversationInput,
)
from api.notifications.subscriptions import _fresh_viewer


def _conversation_id(global_id: relay.GlobalID) -> int:
    return database_id(
        global_id, "Conversation", field="conversationId", code=MessagingErrorCode.NOT_FOUND
    )


def _message_id(global_id: relay.GlobalID) -> int:
    return database_id(global_id, "Message", field="messageId", code=MessagingErrorCode.NOT_FOUND)


def _person_ids(ids: list[relay.GlobalID]) -> list[int]:
    people = []
    for global_id in ids:
        number = database_id(
            global_id, "Person", field="participantIds", code=MessagingErrorCode.NOT_FOUND
        )
        people.append(number)
    return people


def _conversation_payload(record: service.ConversationRecord) -> ConversationPayload:
    return ConversationPayload(conversation=Conversation.from_record(record))


def _message_payload(record: service.MessageRecord) -> MessagePayload:
    return MessagePayload(message=Message.from_record(record))


def _preferences_payload(audience: MessagingAudience) -> SetMessagingPreferencesPayload:
    return SetMessagingPreferencesPayload(audience=audience)


def _report_payload(record: reports.ReportRecord) -> ConversationReportPayload:
    return ConversationReportPayload(report=ConversationReport.from_record(record))


def _lifted_payload(lifted: bool) -> LiftMessagingSuspensionPayload:
    return LiftMessagingSuspensionPayload(lifted=lifted)


def _report_id(global_id: relay.GlobalID) -> int:
    return database_id(
        global_id, "ConversationReport", field="reportId", code=MessagingErrorCode.NOT_FOUND
    )


def _person_id(global_id: relay.GlobalID) -> int:
    return database_id(global_id, "Person", field="personId", code=MessagingErrorCode.NOT_FOUND)


@strawberry.type
class MessagingQuery:
    @strawberry.field(description="Staff: conversations reported to staff, oldest first.")
    async def conversation_reports(
        self,
        info: Info,
        status: Annotated[
            ReportStatus,
            strawberry.argument(description="OPEN for those waiting, or those decided."),
        ] = ReportStatusEnum.OPEN,
        first: First = None,
        after: After = None,
    ) -> Connection[ConversationReport]:
        page = await reports.reports_page(
            info.context.viewer, ReportStatusEnum(status), first=first, after=after
        )
        return Connection.from_page(page, ConversationReport.from_record)  # type: ignore[type-var]

    @strawberry.field(description="A conversation you take part in; null for any other id.")
    async def conversation(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="A Conversation id.")],
    ) -> Conversation | None:
        info.context.viewer.require_account()
        number = argument_id(id, "Conversation", "id")
        record = await info.context.loaders.get(ConversationByIdLoader).load(number)
        return Conversation.from_record(record) if record else None


@strawberry.type
class MessagingMutation:
    @strawberry.mutation(
        description="Write to people: one person starts (or continues) your direct "
        "conversation with them, several start a group (up to 20 people, you included). "
        "Who may write to whom: connections always; fellow members of an organization unless "
        "the person keeps to their connections; a verified employer's owner or admin to a "
        "candidate whose resume they may see, as a message request (counted in the employer's "
        "weekly quota). Anyone else answers NOT_FOUND, as an unknown id does."
    )
    async def start_conversation(
        self,
        info: Info,
        input: Annotated[
            StartConversationInput,
            strawberry.argument(description="Who to write to, and the first message."),
        ],
    ) -> ConversationPayload:
        organization_id = None
        if input.organization_id is not None:
            organization_id = database_id(
                input.organization_id,
                "Organization",
                field="organizationId",
                code=MessagingErrorCode.NOT_FOUND,
            )
        record = await service.start_conversation(
            info.context.viewer,
            info.context.settings,
            _person_ids(input.participant_ids),
            input.message,
            organization_id=organization_id,
        )
        return _conversation_payload(record)

    @strawberry.mutation(
        description="Write in a conversation of yours. Refused while a message request in it "
        "waits for its answer (REQUEST_PENDING) or after it was declined (REQUEST_DECLINED)."
    )
    async def send_message(
        self,
        info: Info,
        input: Annotated[
            SendMessageInput, strawberry.argument(description="The conversation and the message.")
        ],
    ) -> MessagePayload:
        record = await service.send_message(
            info.context.viewer,
            info.context.settings,
            _conversation_id(input.conversation_id),
            input.body,
        )
        return _message_payload(record)

    edit_message = mutation(
        "Rewrite a message of yours, within 15 minutes of sending it.",
        EditMessageInput,
        "The message and its new text.",
        lambda viewer, input: service.edit_message(
            viewer, _message_id(input.message_id), input.body
        ),
        _message_payload,
    )

    delete_message = mutation(
        "Delete a message of yours for everyone: it stays in its place, without its body.",
        DeleteMessageInput,
        "The message.",
        lambda viewer, input: service.delete_message(viewer, _message_id(input.message_id)),
        _message_payload,
    )

    mark_conversation_read = mutation(
        "Mark everything in a conversation of yours read.",
        ConversationInput,
        "The conversation.",
        lambda viewer, input: service.mark_read(viewer, _conversation_id(input.conversation_id)),
        _conversation_payload,
    )

    archive_conversation = mutation(
        "Archive a conversation for yourself (`archived: false` brings it back); a new "
        "message in it brings it back too.",
        ArchiveConversationInput,
        "The conversation, and whether it is archived.",
        lambda viewer, input: service.set_archived(
            viewer, _conversation_id(input.conversation_id), input.archived
        ),
        _conversation_payload,
    )

    mute_conversation = mutation(
        "Mute a conversation for yourself: no notifications of its messages (`muted: false` "
        "unmutes it).",
        MuteConversationInput,
        "The conversation, and whether it is muted.",
        lambda viewer, input: service.set_muted(
            viewer, _conversation_id(input.conversation_id), input.muted
        ),
        _conversation_payload,
    )

    accept_message_request = mutation(
        "Accept a message request sent to you: from now on both of you may write.",
        ConversationInput,
        "The message request's conversation.",
        lambda viewer, input: service.accept_request(
            viewer, _conversation_id(input.conversation_id)
        ),
        _conversation_payload,
    )

    decline_message_request = mutation(
        "Decline a message request sent to you: the employer may write no more, and it leaves "
        "your conversations (you may still accept it later).",
        ConversationInput,
        "The message request's conversation.",
        lambda viewer, input: service.decline_request(
            viewer, _conversation_id(input.conversation_id)
        ),
        _conversation_payload,
    )

    @strawberry.mutation(
        description="Write in an application's thread, between the applicant and the "
        "employer's owners and admins; the first message starts it, from either side."
    )
    async def start_application_conversation(
        self,
        info: Info,
        input: Annotated[
            StartApplicationConversationInput,
            strawberry.argument(description="The application and the message."),
        ],
    ) -> ConversationPayload:
        application_id = database_id(
            input.application_id,
            "Application",
            field="applicationId",
            code=MessagingErrorCode.NOT_FOUND,
        )
        record = await service.start_application_conversation(
            info.context.viewer, info.context.settings, application_id, input.message
        )
        return _conversation_payload(record)

    report_conversation = mutation(
        "Report a person in a conversation of yours to staff, with the conversation's latest "
        "messages as they are now.",
        ReportConversationInput,
        "The conversation, the person, and why.",
        lambda viewer, input: reports.report_conversation(
            viewer,
            _conversation_id(input.conversation_id),
            _person_id(input.person_id),
            input.reason,
            input.details,
        ),
        _report_payload,
    )

    resolve_conversation_report = mutation(
        "Staff: dismiss a conversation report, or suspend messaging for the person reported "
        "(they start no conversation and send no message until lifted).",
        ResolveConversationReportInput,
        "The report and the decision.",
        lambda viewer, input: reports.resolve_report(
            viewer, _report_id(input.report_id), input.suspend_messaging
        ),
        _report_payload,
    )

    lift_messaging_suspension = mutation(
        "Staff: let a person whose messaging was suspended message again.",
        LiftMessagingSuspensionInput,
        "The person.",
        lambda viewer, input: reports.lift_suspension(viewer, _person_id(input.person_id)),
        _lifted_payload,
    )

    set_messaging_preferences = mutation(
        "Choose who may start a conversation with you.",
        SetMessagingPreferencesInput,
        "Who may write to you.",
        lambda viewer, input: service.set_messaging_audience(viewer, input.audience),
        _preferences_payload,
    )


@strawberry.type
class MessagingSubscription:
    @strawberry.subscription(
        description="Each new message of a conversation of yours as it is sent. Over "
        "WebSocket at /graphql (graphql-transport-ws), authenticated as notificationAdded is; "
        "ends (UNAUTHENTICATED) when your session is revoked."
    )
    async def message_added(
        self,
        info: Info,
        conversation_id: Annotated[
            relay.GlobalID, strawberry.argument(description="A conversation of yours.")
        ],
    ) -> AsyncGenerator[Message, None]:
        context = info.context
        context.viewer.require_account()
        number = argument_id(conversation_id, "Conversation", "conversationId")
        if not await service.visible_conversations(context.viewer, [number]):
            raise Forbidden("This is no conversation of yours.")
        async with live.events.subscribe(service.live_topic(number)) as events:
            while True:
                message_id = (await events.get()).get("message")
                if not isinstance(message_id, int):
                    continue  # an edit or a deletion: nothing was added
                viewer = await _fresh_viewer(context)
                found = await service.messages_by_ids(viewer, [message_id])
                if message_id in found:
                    yield Message.from_record(found[message_id])
