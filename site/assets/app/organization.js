// A board organization page's member block: the page's member count kept current, and
// joining or leaving by the organization's join policy (OPEN: join; APPROVAL: ask to join, then pending; INVITE_ONLY:
// by invitation; a member: leave). The page itself (jobs, events, posts) is static.
import { currentViewer, fill, graphql, h, here, say, submit } from "./confrere.js";

const ORGANIZATION = `query BoardOrganization($slug: String!) {
  organization(slug: $slug) { id name joinPolicy memberCount }
}`;

const MINE = `query BoardOrganizationMembership {
  myMemberships { id role status organization { id } }
}`;

const MEMBERSHIP_FIELDS = "membership { id role status } userErrors { field code message }";
const JOIN = `mutation BoardJoin($input: OrganizationIdInput!) {
  joinOrganization(input: $input) { ${MEMBERSHIP_FIELDS} }
}`;
const LEAVE = `mutation BoardLeave($input: OrganizationIdInput!) {
  leaveOrganization(input: $input) { ${MEMBERSHIP_FIELDS} }
}`;
const ACCEPT = `mutation BoardAccept($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { ${MEMBERSHIP_FIELDS} }
}`;

const ROLES = { OWNER: "an owner", ADMIN: "an admin", MEMBER: "a member" };

const root = document.querySelector('.confrere-app[data-page="organization"]');

function members(count) {
  return `${count.toLocaleString()} member${count === 1 ? "" : "s"}`;
}

/** A form of one button that runs `mutation` and draws the block again after it. */
function action(label, mutation, input, field, secondary) {
  const form = h(
    "form",
    { class: "confrere-app__actions" },
    h("button", { type: "submit", class: secondary ? "confrere-app__secondary" : null }, label),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const payload = await submit(form, mutation, { input: input }, field);
    if (payload) await draw(payload.membership ? payload.membership.status : null);
  });
  return form;
}

/** What the viewer may do here: sentences and at most one action. */
function choices(organization, viewer, membership) {
  const id = { organizationId: organization.id };
  if (!viewer) {
    if (organization.joinPolicy === "INVITE_ONLY") {
      return [h("p", {}, "Members join this organization by invitation only.")];
    }
    const back = window.location.pathname;
    const verb = organization.joinPolicy === "OPEN" ? "join" : "ask to join";
    return [
      h("p", {}, h("a", { href: here(`app/login/?next=${encodeURIComponent(back)}`) }, `Sign in to ${verb}`)),
    ];
  }
  const status = membership ? membership.status : null;
  const isGuest = membership && membership.role === "GUEST";
  if (status === "ACTIVE" && !isGuest) {
    return [
      h("p", {}, `You are ${ROLES[membership.role] || "a member"} of ${organization.name}.`),
      action("Leave", LEAVE, id, "leaveOrganization", true),
    ];
  }
  if (status === "REQUESTED") {
    return [h("p", {}, "You asked to join: pending until an owner or admin approves it.")];
  }
  if (status === "INVITED") {
    return [
      h("p", {}, `You are invited to join ${organization.name}.`),
      action("Accept the invitation", ACCEPT, { membershipId: membership.id }, "acceptInvitation"),
    ];
  }
  if (status === "REMOVED") {
    return [h("p", {}, "An owner or admin removed you from this organization.")];
  }
  const guest = isGuest ? h("p", { class: "confrere-app__meta" }, "You are a guest here (you answered one of its events).") : null;
  if (organization.joinPolicy === "OPEN") {
    return [guest, action("Join", JOIN, id, "joinOrganization")];
  }
  if (organization.joinPolicy === "APPROVAL") {
    return [
      guest,
      h("p", {}, "An owner or admin approves each request to join."),
      action("Ask to join", JOIN, id, "joinOrganization"),
    ];
  }
  return [guest, h("p", {}, "Members join this organization by invitation only.")];
}

async function draw(done) {
  const viewer = await currentViewer();
  const data = await graphql(ORGANIZATION, { slug: root.dataset.slug });
  const organization = data.organization;
  if (!organization) {
    fill(root, h("p", {}, "This organization is no longer public."));
    return;
  }
  let membership = null;
  if (viewer) {
    const mine = await graphql(MINE);
    membership = mine.myMemberships.find((m) => m.organization && m.organization.id === organization.id) || null;
  }
  const count = members(organization.memberCount);
  // The page's own count (static, as of the last build) says what the API says now.
  for (const old of document.querySelectorAll(".confrere-member-count")) old.textContent = count;
  fill(
    root,
    h("h2", { class: "confrere-app__block-title" }, "Membership"),
    // Where say() tells what just happened: under the block's title.
    h("p", { class: "confrere-app__status", role: "status", "aria-live": "polite", hidden: true }),
    choices(organization, viewer, membership),
  );
  const news = {
    ACTIVE: `Welcome: you joined ${organization.name}.`,
    REQUESTED: "Your request to join was sent.",
    LEFT: `You left ${organization.name}.`,
  };
  if (news[done]) say(news[done], "ok");
}

if (root) {
  try {
    await draw();
  } catch (error) {
    say(error.message, "error");
  }
}
