"""The Strawberry schema, assembled from each capability: `api.schema:schema`."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from api.chambers.schema import ChambersMutation, ChambersQuery
from api.chambers.types import BusinessMembership, Perk
from api.core.context import Info
from api.core.graphql import ConfrereSchema, schema_extensions
from api.core.types import schema_config
from api.events.schema import EventsMutation, EventsQuery
from api.events.types import Event, Rsvp
from api.jobs.schema import JobsMutation, JobsQuery
from api.jobs.types import Application, Job
from api.networks.schema import NetworksMutation, NetworksQuery
from api.networks.types import Membership, Organization
from api.networks.verification_schema import (
    EmployerVerificationRequest,
    VerificationMutation,
    VerificationQuery,
)
from api.people.schema import PeopleMutation, PeopleQuery, ProfileMutation
from api.people.types import Account, ConnectionRequest, Person, Session
from api.posts.schema import PostsMutation, PostsQuery
from api.posts.types import Comment, Post, PostReport
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
    ProfileMutation,
    NetworksMutation,
    VerificationMutation,
    ResumesMutation,
    CandidateSearchMutation,
    JobsMutation,
    ChambersMutation,
    PostsMutation,
    EventsMutation,
):
    pass


def build_schema(*, production: bool = False) -> strawberry.Schema:
    """The schema with the limits on; in production also without introspection."""
    return ConfrereSchema(
        query=Query,
        mutation=Mutation,
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
            Job,
            Application,
            BusinessMembership,
            Perk,
            Post,
            Comment,
            PostReport,
            Event,
            Rsvp,
        ],
        extensions=schema_extensions(production=production),
        config=schema_config(),
    )


schema = build_schema()
