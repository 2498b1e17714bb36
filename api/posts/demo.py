"""Demo posts for one organization: announcements (one pinned, one public), discussions
with comments, a blog post, and one post waiting for review — all through the services."""

from __future__ import annotations

import random
from dataclasses import dataclass

from api.core.viewer import Viewer
from api.networks import service as networks
from api.posts import comments, service
from api.posts.service import PostFields
from api.posts.tables import PostAudience, PostKind, PostModeration

DEMO_SEED = 2026

ANNOUNCEMENTS = [
    (
        "Welcome to the network",
        "We are glad you are here. **Introduce yourself** in the discussions, keep an eye "
        "on the events, and read the [community guidelines](https://example.org/guidelines) "
        "before posting.",
    ),
    (
        "Annual meeting: save the date",
        "The annual meeting is on the first Friday of next month.\n\n"
        "- 18:00 welcome\n- 18:30 the year in review\n- 19:30 drinks",
    ),
]
DISCUSSIONS = [
    ("Introduce yourself", "Who are you, what do you do, and what would you like to learn?"),
    ("", "Does anyone have a recommendation for a good *introductory* book on statistics?"),
    ("Mentoring", "I would like to mentor someone starting out. How should we organise it?"),
]
REPLIES = [
    "Great idea, count me in.",
    "I second this — **thank you** for starting it.",
    "I can help with that; message me.",
    "We tried this last year and it worked well.",
    "Does anyone know if there is a recording?",
    "Here is a good resource: <https://example.org/resources>",
]
BLOG = (
    "What I learned organising our first meetup",
    "## Start small\n\nTwenty people in a room talk to each other; two hundred do not.\n\n"
    "## Ask for help early\n\nEvery volunteer who said yes was asked *personally*.",
)


@dataclass(frozen=True)
class PostsDemoSummary:
    posts: int
    comments: int


async def seed_posts_demo(
    organization_id: int,
    admin: Viewer,
    members: list[Viewer],
    *,
    seed: int = DEMO_SEED,
) -> PostsDemoSummary:
    """Seed posts in `organization_id` and return how many posts and comments it made.

    `admin` must be an active OWNER or ADMIN of the organization; `members` (at least one;
    five or more to also leave a post waiting for review) active members who are not
    guests. The organization's post moderation ends up FIRST_POST. The same seed gives the
    same posts and comments.
    """
    if not members:
        raise ValueError("seed_posts_demo needs at least one member")
    rng = random.Random(seed)
    organization = await networks.organization(organization_id)
    if organization is None:
        raise ValueError(f"no organization {organization_id}")
    made_posts = made_comments = 0

    for index, (title, body) in enumerate(ANNOUNCEMENTS):
        # The welcome is for everyone, where the organization is public.
        public = index == 0 and organization["is_public"]
        audience = PostAudience.PUBLIC if public else PostAudience.MEMBERS
        post = await service.create_post(
            admin,
            organization_id,
            PostKind.ANNOUNCEMENT,
            PostFields(title=title, body=body, audience=audience),
        )
        made_posts += 1
        if index == 0:
            await service.pin_post(admin, post.id)

    for index, (title, body) in enumerate(DISCUSSIONS):
        author = members[index % len(members)]
        post = await service.create_post(
            author, organization_id, PostKind.DISCUSSION, PostFields(title=title, body=body)
        )
        made_posts += 1
        repliers = [admin, *members]
        for _ in range(rng.randint(1, 4)):
            replier = rng.choice(repliers)
            await comments.add_comment(replier, post.id, rng.choice(REPLIES))
            made_comments += 1

    blog_author = members[-1]
    title, body = BLOG
    await service.create_post(
        blog_author, organization_id, PostKind.BLOG, PostFields(title=title, body=body)
    )
    made_posts += 1

    # From here on members' first posts wait for review; one is left waiting to show it.
    await service.set_post_moderation(admin, organization_id, PostModeration.FIRST_POST)
    if len(members) > len(DISCUSSIONS) + 1:
        newcomer = members[len(DISCUSSIONS)]  # has not posted yet
        await service.create_post(
            newcomer,
            organization_id,
            PostKind.DISCUSSION,
            PostFields(title="Hello from a new member", body="Happy to have joined!"),
        )
        made_posts += 1
    return PostsDemoSummary(posts=made_posts, comments=made_comments)
