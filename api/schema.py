"""The Strawberry schema, assembled from each capability: `api.schema:schema`."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from api.alerts.schema import AlertsMutation, SavedJobSearch
from api.chambers.schema import ChambersMutation, ChambersQuery
from api.chambers.types import BusinessMembership, Perk
from api.core.context import Info
from api.core.graphql import ConfrereSchema, schema_extensions
from api.core.types import schema_config
from api.events.schema import EventsMutation, EventsQuery
from api.events.types import Event, Rsvp
from api.jobs.schema import JobsMutation, JobsQuery
from api.jobs.types import Application, Job
from api.messaging.schema import MessagingMutation, MessagingQuery, MessagingSubscription
from api.messaging.types import Conversation, Message
from api.networks.invitation_schema import InvitationMutation
from api.networks.schema import NetworksMutation, NetworksQuery
from api.networks.types import Membership, Organization
from api.networks.verification_schema import (
    EmployerVerificationRequest,
    VerificationMutation,
    VerificationQuery,
)
from api.notifications.preference_schema import NotificationPreferencesMutation
from api.notifications.schema import NotificationsMutation
from api.notifications.subscriptions import NotificationsSubscription
from api.notifications.types import Notification
from api.people.schema import (
    AccountRecoveryMutation,
    PeopleMutation,
    PeopleQuery,
    ProfileMutation,
)
from api.people.types import Account, ConnectionRequest, Person, Session
from api.posts.schema import PostsMutation, PostsQuery
from api.posts.types import Comment, Post, PostReport
from api.privacy.erasure_schema import ErasureMutation
from api.privacy.export_schema import DataExportMutation
from api.resumes.schema import ResumesMutation, ResumesQuery
from api.resumes.search_schema import (
    CandidateSearchMutation,
    CandidateSearchQuery,
    SavedSearch,
)
from api.resumes.types import Resume


@strawberry.type
class Query(
    PeopleQuery,
    NetworksQuery,
    VerificationQuery,
    ResumesQuery,
    CandidateSearchQuery,
    JobsQuery,
    ChambersQuery,
    PostsQuery,
    EventsQuery,
    MessagingQuery,
):
    @strawberry.field(
        description="Any object by its global id; null when it does not exist or the viewer "
        "may not see it."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[
            relay.GlobalID,
            strawberry.argument(description="A global id, as every object's `id` field gives it."),
        ],
    ) -> relay.Node | None:
        # Each type's resolve_nodes re-checks what the viewer may see. An id naming a type
        # that is not a Node answers like a missing object: nothing about the schema leaks.
        try:
            id.resolve_type(info)
        except GlobalIDValueError:
            return None
        return await id.resolve_node(info, required=False)


@strawberry.type
class Mutation(
    PeopleMutation,
    AccountRecoveryMutation,
    ProfileMutation,
    NetworksMutation,
    InvitationMutation,
    VerificationMutation,
    ResumesMutation,
    CandidateSearchMutation,
    AlertsMutation,
    JobsMutation,
    ChambersMutation,
    PostsMutation,
    EventsMutation,
    DataExportMutation,
    ErasureMutation,
    NotificationsMutation,
    NotificationPreferencesMutation,
    MessagingMutation,
):
    pass


@strawberry.type
class Subscription(NotificationsSubscription, MessagingSubscription):
    pass


def build_schema(*, production: bool = False) -> strawberry.Schema:
    """The schema with the limits on; in production also without introspection."""
    return ConfrereSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[
            Account,
            Session,
            Person,
            ConnectionRequest,
            Organization,
            Membership,
            EmployerVerificationRequest,
            Resume,
            SavedSearch,
            SavedJobSearch,
            Job,
            Application,
            BusinessMembership,
            Perk,
            Post,
            Comment,
            PostReport,
            Event,
            Rsvp,
            Notification,
            Conversation,
            Message,
        ],
        extensions=schema_extensions(production=production),
        hide_suggestions=production,
        config=schema_config(),
    )


schema = build_schema()
