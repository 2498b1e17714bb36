// /app/organizations/: the organizations I belong to, my invitations and requests to join, and a
// form to create one. Owners and admins go on to each organization's admin page.
import { field, fill, graphql, h, here, renderBar, requireViewer, say, submit, values, when } from "./confrere.js";

const MY_MEMBERSHIPS = `query AppMyMemberships {
  myMemberships {
    id role status createdAt verification
    organization { id name slug kind joinPolicy memberCount url }
  }
}`;

const ACCEPT = `mutation AppAcceptInvitation($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { membership { id status } userErrors { field code message } }
}`;

const CREATE = `mutation AppCreateOrganization($input: CreateOrganizationInput!) {
  createOrganization(input: $input) {
    organization { id name slug }
    userErrors { field code message }
  }
}`;

/** Organization kinds in people's words. */
export const KINDS = {
  ALUMNI_ASSOCIATION: "Alumni association",
  PROFESSIONAL_ASSOCIATION: "Professional association",
  CHAMBER_OF_COMMERCE: "Chamber of commerce",
  CLUB: "Club",
  MEETUP_GROUP: "Meetup group",
  EMPLOYER: "Employer",
};
const ROLES = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member", GUEST: "Guest" };
const POLICIES = { OPEN: "Anyone may join", APPROVAL: "Admins approve requests", INVITE_ONLY: "By invitation only" };

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();

const lists = h("div", { class: "confrere-app__lists" });
root.append(lists, createSection());
await showMemberships();

async function showMemberships() {
  let memberships;
  try {
    memberships = (await graphql(MY_MEMBERSHIPS)).myMemberships;
  } catch (error) {
    say(error.message, "error");
    return;
  }
  const active = memberships.filter((m) => m.status === "ACTIVE" && m.organization);
  const invited = memberships.filter((m) => m.status === "INVITED" && m.organization);
  const requested = memberships.filter((m) => m.status === "REQUESTED" && m.organization);
  fill(
    lists,
    invited.length
      ? h(
          "section",
          { class: "confrere-app__section", "aria-labelledby": "invitations" },
          h("h2", { id: "invitations" }, "Invitations for you"),
          h("ul", { class: "confrere-app__list" }, invited.map(invitationItem)),
        )
      : null,
    h(
      "section",
      { class: "confrere-app__section", "aria-labelledby": "member-of" },
      h("h2", { id: "member-of" }, "Organizations you belong to"),
      active.length
        ? h("ul", { class: "confrere-app__list" }, active.map(activeItem))
        : h(
            "p",
            {},
            "You belong to no organization yet. ",
            h("a", { href: here("organizations/") }, "Find one to join"),
            ", or create your own below.",
          ),
    ),
    requested.length
      ? h(
          "section",
          { class: "confrere-app__section", "aria-labelledby": "requests" },
          h("h2", { id: "requests" }, "Your requests to join"),
          h(
            "ul",
            { class: "confrere-app__list" },
            requested.map((m) =>
              h(
                "li",
                {},
                organizationName(m.organization),
                h("span", { class: "confrere-app__meta" }, ` — asked ${when(m.createdAt)}; waiting for an admin to answer.`),
              ),
            ),
          ),
        )
      : null,
  );
}

function organizationName(organization) {
  return organization.url
    ? h("a", { href: organization.url }, organization.name)
    : h("strong", {}, organization.name);
}

function activeItem(membership) {
  const organization = membership.organization;
  const administers = membership.role === "OWNER" || membership.role === "ADMIN";
  const slug = encodeURIComponent(organization.slug);
  return h(
    "li",
    {},
    organizationName(organization),
    h(
      "span",
      { class: "confrere-app__meta" },
      ` — ${KINDS[organization.kind] || organization.kind}; you are ${(ROLES[membership.role] || membership.role).toLowerCase()}`,
      membership.verification === "VERIFIED" ? ", verified" : "",
      `; ${organization.memberCount} ${organization.memberCount === 1 ? "member" : "members"}.`,
    ),
    h(
      "span",
      { class: "confrere-app__actions" },
      h("a", { href: here(`app/directory/?organization=${slug}`) }, `Directory of ${organization.name}`),
      administers ? h("a", { href: here(`app/organizations/admin/?organization=${slug}`) }, `Run ${organization.name}`) : null,
    ),
  );
}

function invitationItem(membership) {
  const organization = membership.organization;
  const form = h(
    "form",
    { class: "confrere-app__actions" },
    h("button", { type: "submit" }, `Accept the invitation to ${organization.name}`),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const payload = await submit(form, ACCEPT, { input: { membershipId: membership.id } }, "acceptInvitation");
    if (payload) {
      say(`You are now a member of ${organization.name}.`, "ok");
      await showMemberships();
    }
  });
  return h(
    "li",
    {},
    organizationName(organization),
    h("span", { class: "confrere-app__meta" }, ` — invited as ${(ROLES[membership.role] || membership.role).toLowerCase()}.`),
    form,
  );
}

function select(name, options, chosen) {
  return h(
    "select",
    { name: name },
    Object.entries(options).map(([value, label]) => h("option", { value: value, selected: value === chosen }, label)),
  );
}

function createSection() {
  const form = h(
    "form",
    { class: "confrere-app__form", novalidate: true },
    field("Name", { name: "name", required: true, autocomplete: "organization" }),
    field("Kind", { name: "kind" }, select("kind", KINDS, "ALUMNI_ASSOCIATION")),
    field("Who may join", { name: "joinPolicy" }, select("joinPolicy", POLICIES, "APPROVAL")),
    field("What it is about (the shared interest)", { name: "interest" }),
    field("Description", { name: "description" }, h("textarea", { name: "description", rows: 4 })),
    field("Website", { name: "website", type: "url", placeholder: "https://" }),
    field("Where it is", { name: "location", placeholder: "Zurich, Switzerland" }),
    field(
      "Who may browse the member directory",
      { name: "directoryVisibility" },
      select("directoryVisibility", { MEMBERS: "Its members", PUBLIC: "Anyone (when the organization is public)" }, "MEMBERS"),
    ),
    h(
      "p",
      { class: "confrere-app__field confrere-app__check" },
      h("label", {}, h("input", { type: "checkbox", name: "isPublic", checked: true }), " Anyone may see the organization"),
    ),
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Create the organization")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = values(form);
    for (const name of ["interest", "description", "website", "location"]) input[name] = input[name] || "";
    input.name = input.name || "";
    const payload = await submit(form, CREATE, { input: input }, "createOrganization");
    if (!payload) return;
    const organization = payload.organization;
    form.reset();
    say(`${organization.name} is created, with you as its owner.`, "ok");
    await showMemberships();
  });
  return h(
    "section",
    { class: "confrere-app__section", "aria-labelledby": "create" },
    h("h2", { id: "create" }, "Create an organization"),
    h("p", { class: "confrere-app__meta" }, "An association, chamber, club or meetup group; you become its owner."),
    form,
  );
}
