// /app/organizations/admin/?organization=<slug>: what an organization's owners and admins do:
// answer join requests, browse the members and verify their alumni facts, import a roster,
// invite people, and download the member directory.
import { field, fill, graphql, h, here, renderBar, requireViewer, say, submit, values, when } from "./confrere.js";

const ORGANIZATION = `query AppAdminOrganization($slug: String!) {
  organization(slug: $slug) { id name slug kind memberCount directoryVisibility url }
  myMemberships { role status organization { id } }
}`;

const MEMBER_FIELDS = `id role status verification verifiedAt createdAt school degree fieldOfStudy classYear
  person { id name }`;

const MEMBERS = `query AppAdminMembers($slug: String!, $status: MembershipStatus, $first: Int, $after: String) {
  organization(slug: $slug) {
    id
    members(status: $status, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ${MEMBER_FIELDS} } }
    }
  }
}`;

const INVITATIONS = `query AppAdminInvitations($slug: String!, $first: Int, $after: String) {
  organization(slug: $slug) {
    id
    invitations(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id email role status fromRoster sentAt expiresAt acceptedAt } }
    }
  }
}`;

const MEMBERSHIP_PAYLOAD = "membership { id status } userErrors { field code message }";
const APPROVE = `mutation AppApprove($input: MembershipIdInput!) { approveMembership(input: $input) { ${MEMBERSHIP_PAYLOAD} } }`;
const DECLINE = `mutation AppDecline($input: MembershipIdInput!) { declineMembership(input: $input) { ${MEMBERSHIP_PAYLOAD} } }`;
const REMOVE = `mutation AppRemove($input: MembershipIdInput!) { removeMember(input: $input) { ${MEMBERSHIP_PAYLOAD} } }`;
const VERIFY = `mutation AppVerify($input: MembershipIdInput!) {
  verifyMember(input: $input) { membership { id verification } userErrors { field code message } }
}`;
const UNVERIFY = `mutation AppUnverify($input: MembershipIdInput!) {
  unverifyMember(input: $input) { membership { id verification } userErrors { field code message } }
}`;
const IMPORT_ROSTER = `mutation AppImportRoster($input: ImportRosterInput!) {
  importRoster(input: $input) {
    rows verified alreadyVerified updatedFields invitationsSent
    unmatched { line email reason message }
    userErrors { field code message }
  }
}`;
const INVITE = `mutation AppInvite($input: InviteMemberInput!) {
  inviteMember(input: $input) {
    membership { id } invitation { id email }
    userErrors { field code message }
  }
}`;
const REVOKE = `mutation AppRevokeInvitation($input: InvitationIdInput!) {
  revokeInvitation(input: $input) { invitation { id status } userErrors { field code message } }
}`;
const RESEND = `mutation AppResendInvitation($input: InvitationIdInput!) {
  resendInvitation(input: $input) { invitation { id status } userErrors { field code message } }
}`;

const PAGE_SIZE = 20;
const ROLES = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member", GUEST: "Guest" };
const STATUSES = { ACTIVE: "Active", INVITED: "Invited", REQUESTED: "Asked to join", LEFT: "Left", REMOVED: "Removed", DECLINED: "Declined" };
const REASONS = { NO_ACCOUNT: "No account", NOT_A_MEMBER: "Not a member", INVALID_ROW: "Invalid row" };

/** What each section reloads after a change (an approval moves someone into the members). */
const refreshers = [];

async function refreshAll() {
  for (const refresh of refreshers) await refresh();
}

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();
const slug = new URLSearchParams(window.location.search).get("organization") || "";
const organization = await loadOrganization();
if (organization) {
  document.title = `${organization.name} — ${document.title}`;
  const heading = document.querySelector("h1");
  if (heading) heading.textContent = `Run ${organization.name}`;
  root.append(
    h(
      "p",
      { class: "confrere-app__meta" },
      `${organization.memberCount} active ${organization.memberCount === 1 ? "member" : "members"}. `,
      h("a", { href: here(`app/directory/?organization=${encodeURIComponent(slug)}`) }, "Browse the directory"),
      organization.url ? [" · ", h("a", { href: organization.url }, "Public page")] : null,
      " · ",
      h("a", { href: here("app/organizations/") }, "All your organizations"),
    ),
    requestsSection(),
    membersSection(),
    rosterSection(),
    invitationsSection(),
    exportSection(),
  );
}

async function loadOrganization() {
  if (!slug) {
    say("No organization given: open this page from your organizations.", "error");
    root.append(h("p", {}, h("a", { href: here("app/organizations/") }, "Your organizations")));
    return null;
  }
  try {
    const data = await graphql(ORGANIZATION, { slug });
    const found = data.organization;
    if (!found) {
      say("No organization has this address, or it is hidden from you.", "error");
      return null;
    }
    const administers = data.myMemberships.some(
      (m) => m.organization && m.organization.id === found.id && m.status === "ACTIVE" && (m.role === "OWNER" || m.role === "ADMIN"),
    );
    if (!administers) {
      say(`Only the owners and admins of ${found.name} may run it.`, "error");
      root.append(
        h("p", {}, h("a", { href: here(`app/directory/?organization=${encodeURIComponent(slug)}`) }, `Browse the directory of ${found.name}`)),
      );
      return null;
    }
    return found;
  } catch (error) {
    say(error.message, "error");
    return null;
  }
}

function section(id, title, ...children) {
  return h("section", { class: "confrere-app__section", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

/**
 * A paginated list: `load(after)` answers a connection; `row(node)` draws one item into
 * `container` (a <ul> or <tbody>). Returns `reload()`. "Show more" follows the cursors.
 */
function pagedList(container, summary, load, row, empty) {
  const more = h("button", { type: "button", class: "confrere-app__secondary" }, "Show more");
  let after = null;
  let shown = 0;
  async function page() {
    more.disabled = true;
    try {
      const connection = await load(after);
      if (after === null) container.replaceChildren();
      for (const edge of connection.edges) container.append(row(edge.node));
      shown += connection.edges.length;
      after = connection.pageInfo.endCursor;
      more.hidden = !connection.pageInfo.hasNextPage;
      summary.textContent = connection.totalCount ? `Showing ${shown} of ${connection.totalCount}.` : empty;
    } catch (error) {
      summary.textContent = error.message;
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener("click", page);
  more.hidden = true;
  return {
    more,
    reload() {
      after = null;
      shown = 0;
      return page();
    },
  };
}

function personName(membership) {
  return membership.person ? membership.person.name : "A member whose profile is hidden";
}

/** A one-button form running a membership mutation; its errors show beside the button. */
function action(label, mutation, field, input, done, secondary) {
  const form = h("form", { class: "confrere-app__inline-form" }, h("button", { type: "submit", class: secondary ? "confrere-app__secondary" : null }, label));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const payload = await submit(form, mutation, { input }, field);
    if (payload) await done(payload);
  });
  return form;
}

function requestsSection() {
  const list = h("ul", { class: "confrere-app__list" });
  const summary = h("p", { class: "confrere-app__meta" });
  const paged = pagedList(
    list,
    summary,
    async (after) => (await graphql(MEMBERS, { slug, status: "REQUESTED", first: PAGE_SIZE, after })).organization.members,
    (membership) => {
      const name = personName(membership);
      return h(
        "li",
        {},
        h("strong", {}, name),
        h("span", { class: "confrere-app__meta" }, ` — asked ${when(membership.createdAt)}`),
        h(
          "span",
          { class: "confrere-app__actions" },
          action(`Approve ${name}`, APPROVE, "approveMembership", { membershipId: membership.id }, async () => {
            await refreshAll();
            say(`${name} is now a member.`, "ok");
          }),
          action(`Decline ${name}`, DECLINE, "declineMembership", { membershipId: membership.id }, async () => {
            await refreshAll();
            say(`${name}'s request is declined.`, "ok");
          }, true),
        ),
      );
    },
    "Nobody is waiting for an answer.",
  );
  refreshers.push(paged.reload);
  paged.reload();
  return section("join-requests", "Requests to join", summary, list, paged.more);
}

function membersSection() {
  const body = h("tbody");
  const summary = h("p", { class: "confrere-app__meta" });
  const status = h(
    "select",
    { name: "status", id: "members-status" },
    Object.entries(STATUSES).map(([value, label]) => h("option", { value }, label)),
  );
  const paged = pagedList(
    body,
    summary,
    async (after) => (await graphql(MEMBERS, { slug, status: status.value, first: PAGE_SIZE, after })).organization.members,
    memberRow,
    "No memberships in this status.",
  );
  status.addEventListener("change", () => paged.reload());
  refreshers.push(paged.reload);
  paged.reload();
  const table = h(
    "table",
    { class: "confrere-app__table confrere-app__stacks" },
    h("caption", { class: "confrere-app__visually-hidden" }, "Members"),
    h(
      "thead",
      {},
      h("tr", {}, ["Name", "Role", "Status", "Alumni facts", "Verification", "Since", "Actions"].map((title) => h("th", { scope: "col" }, title))),
    ),
    body,
  );
  return section(
    "members",
    "Members",
    field("Show memberships", { name: "status", id: "members-status" }, status),
    summary,
    h("div", { class: "confrere-app__table-wrap" }, table),
    paged.more,
  );
}

function memberRow(membership) {
  const name = personName(membership);
  const facts = [membership.degree, membership.fieldOfStudy, membership.school, membership.classYear].filter(Boolean).join(", ");
  const verified = membership.verification === "VERIFIED";
  const actions = [];
  if (membership.status === "ACTIVE") {
    actions.push(
      verified
        ? action(`Withdraw ${name}'s verification`, UNVERIFY, "unverifyMember", { membershipId: membership.id }, async () => {
            await refreshAll();
            say(`${name}'s verification is withdrawn.`, "ok");
          }, true)
        : action(`Verify ${name}`, VERIFY, "verifyMember", { membershipId: membership.id }, async () => {
            await refreshAll();
            say(`${name}'s alumni facts are verified.`, "ok");
          }),
    );
  }
  return h(
    "tr",
    {},
    h("th", { scope: "row" }, name),
    h("td", { "data-label": "Role" }, ROLES[membership.role] || membership.role),
    h("td", { "data-label": "Status" }, STATUSES[membership.status] || membership.status),
    h("td", { "data-label": "Alumni facts" }, facts || "—"),
    h("td", { "data-label": "Verification" }, verified ? `Verified ${when(membership.verifiedAt)}` : "Not verified"),
    h("td", { "data-label": "Since" }, when(membership.createdAt)),
    h("td", { "data-label": "Actions" }, actions),
  );
}

function rosterSection() {
  const file = h("input", { type: "file", name: "file", accept: ".csv,text/csv,text/plain" });
  const text = h("textarea", { name: "csv", rows: 8, spellcheck: "false", placeholder: "email,name,school,degree,field_of_study,class_year" });
  const report = h("div", { class: "confrere-app__report", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "confrere-app__form", novalidate: true },
    field("Roster file (CSV)", { name: "file", id: "roster-file" }, file),
    field("Or paste the roster", { name: "csv", id: "roster-csv" }, text),
    h(
      "p",
      { class: "confrere-app__field confrere-app__check" },
      h("label", {}, h("input", { type: "checkbox", name: "inviteUnmatched" }), " Mail an invitation to every address with no account"),
    ),
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Import the roster")),
  );
  file.addEventListener("change", async () => {
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    try {
      text.value = await chosen.text();
      say(`${chosen.name} is read: check it below, then import it.`, "info");
    } catch (error) {
      say(`${chosen.name} could not be read: ${error.message}`, "error");
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { inviteUnmatched } = values(form);
    const input = { organizationId: organization.id, csv: text.value, inviteUnmatched: Boolean(inviteUnmatched) };
    const payload = await submit(form, IMPORT_ROSTER, { input }, "importRoster");
    if (!payload) {
      fill(report);
      return;
    }
    fill(report, rosterReport(payload));
    await refreshAll();
    say("The roster is imported: its report is below.", "ok");
  });
  return section(
    "roster",
    "Import a roster",
    h(
      "p",
      { class: "confrere-app__meta" },
      "A CSV with a header row naming email (required) and any of name, school, degree, field_of_study, class_year. Members whose email matches are verified, and their blank alumni facts filled in.",
    ),
    form,
    report,
  );
}

function rosterReport(payload) {
  const counts = [
    ["Rows read", payload.rows],
    ["Members verified", payload.verified],
    ["Already verified", payload.alreadyVerified],
    ["Alumni facts filled in", payload.updatedFields],
    ["Invitations mailed", payload.invitationsSent],
    ["Rows that matched nobody", payload.unmatched.length],
  ];
  return [
    h("h3", { id: "roster-report" }, "Import report"),
    h("dl", { class: "confrere-app__counts" }, counts.map(([label, count]) => [h("dt", {}, label), h("dd", {}, String(count))])),
    payload.unmatched.length
      ? h(
          "div",
          { class: "confrere-app__table-wrap" },
          h(
            "table",
            { class: "confrere-app__table confrere-app__stacks" },
            h("caption", {}, "Rows that matched nobody"),
            h("thead", {}, h("tr", {}, ["Line", "Email", "Reason", "Details"].map((title) => h("th", { scope: "col" }, title)))),
            h(
              "tbody",
              {},
              payload.unmatched.map((row) =>
                h(
                  "tr",
                  {},
                  h("td", { "data-label": "Line" }, String(row.line)),
                  h("td", { "data-label": "Email" }, row.email),
                  h("td", { "data-label": "Reason" }, REASONS[row.reason] || row.reason),
                  h("td", { "data-label": "Details" }, row.message),
                ),
              ),
            ),
          ),
        )
      : h("p", {}, "Every row matched a member."),
  ];
}

function invitationsSection() {
  const role = h(
    "select",
    { name: "role" },
    ["MEMBER", "ADMIN", "GUEST", "OWNER"].map((value) => h("option", { value }, ROLES[value])),
  );
  const form = h(
    "form",
    { class: "confrere-app__form", novalidate: true },
    field("Email of the person to invite", { name: "email", type: "email", id: "invite-email", autocomplete: "off" }),
    field("Their role", { name: "role", id: "invite-role" }, role),
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Send the invitation")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { email } = values(form);
    const input = { organizationId: organization.id, email: email || "", role: role.value };
    const payload = await submit(form, INVITE, { input }, "inviteMember");
    if (!payload) return;
    form.reset();
    await refreshAll();
    say(payload.invitation ? `An invitation is mailed to ${payload.invitation.email}.` : `${email} is invited: they accept it in their app.`, "ok");
  });

  // People with an account are invited as an INVITED membership; others by email.
  const accounts = h("ul", { class: "confrere-app__list" });
  const accountsSummary = h("p", { class: "confrere-app__meta" });
  const accountsPaged = pagedList(
    accounts,
    accountsSummary,
    async (after) => (await graphql(MEMBERS, { slug, status: "INVITED", first: PAGE_SIZE, after })).organization.members,
    (membership) => {
      const name = personName(membership);
      return h(
        "li",
        {},
        h("strong", {}, name),
        h("span", { class: "confrere-app__meta" }, ` — invited as ${(ROLES[membership.role] || membership.role).toLowerCase()} ${when(membership.createdAt)}`),
        h(
          "span",
          { class: "confrere-app__actions" },
          action(`Withdraw ${name}'s invitation`, REMOVE, "removeMember", { membershipId: membership.id }, async () => {
            await refreshAll();
            say(`${name}'s invitation is withdrawn.`, "ok");
          }, true),
        ),
      );
    },
    "No account holder is waiting on an invitation.",
  );
  const mailed = h("ul", { class: "confrere-app__list" });
  const mailedSummary = h("p", { class: "confrere-app__meta" });
  const mailedPaged = pagedList(
    mailed,
    mailedSummary,
    async (after) => (await graphql(INVITATIONS, { slug, first: PAGE_SIZE, after })).organization.invitations,
    invitationItem,
    "No invitations mailed yet.",
  );
  refreshers.push(accountsPaged.reload, mailedPaged.reload);
  accountsPaged.reload();
  mailedPaged.reload();
  return section(
    "invitations",
    "Invitations",
    form,
    h("h3", {}, "People with an account"),
    accountsSummary,
    accounts,
    accountsPaged.more,
    h("h3", {}, "Invitations mailed to addresses"),
    mailedSummary,
    mailed,
    mailedPaged.more,
  );
}

function invitationItem(invitation) {
  const state =
    invitation.status === "PENDING"
      ? `pending, sent ${when(invitation.sentAt)}, expires ${when(invitation.expiresAt)}`
      : invitation.status === "ACCEPTED"
        ? `accepted ${when(invitation.acceptedAt)}`
        : "revoked";
  const done = (message) => async () => {
    await refreshAll();
    say(message, "ok");
  };
  return h(
    "li",
    {},
    h("strong", {}, invitation.email),
    h("span", { class: "confrere-app__meta" }, ` — ${(ROLES[invitation.role] || invitation.role).toLowerCase()}; ${state}${invitation.fromRoster ? "; from the roster" : ""}.`),
    invitation.status === "ACCEPTED"
      ? null
      : h(
          "span",
          { class: "confrere-app__actions" },
          invitation.status === "PENDING"
            ? action(`Revoke the invitation to ${invitation.email}`, REVOKE, "revokeInvitation", { invitationId: invitation.id }, done(`The invitation to ${invitation.email} is revoked.`), true)
            : null,
          action(`Send it again to ${invitation.email}`, RESEND, "resendInvitation", { invitationId: invitation.id }, done(`The invitation is mailed again to ${invitation.email}.`), true),
        ),
  );
}

function exportSection() {
  const line = h("p", { class: "confrere-app__meta", role: "status" });
  const button = (extension, label) => {
    const element = h("button", { type: "button" }, label);
    element.addEventListener("click", async () => {
      element.disabled = true;
      line.textContent = "Preparing the file…";
      try {
        await download(extension);
        line.textContent = `The ${extension === "csv" ? "spreadsheet" : "address book"} is downloaded.`;
      } catch (error) {
        line.textContent = error.message;
      } finally {
        element.disabled = false;
      }
    });
    return element;
  };
  return section(
    "export",
    "Download the directory",
    h(
      "p",
      { class: "confrere-app__meta" },
      "What a fellow member sees: unlisted members are left out, and fields they hide are blank.",
    ),
    h("p", { class: "confrere-app__actions" }, button("csv", "Download as CSV (spreadsheet)"), button("vcf", "Download as vCards (address book)")),
    line,
  );
}

/** Fetch an export with a JSON POST (the only request the session cookie authenticates) and
 * hand it to the browser as a download. */
async function download(extension) {
  let response;
  try {
    response = await fetch(here(`organizations/${encodeURIComponent(slug)}/directory.${extension}`), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
  } catch (error) {
    throw new Error("The server could not be reached; check your connection and try again.");
  }
  if (!response.ok) {
    const reason = (await response.text()) || `The server answered ${response.status}.`;
    throw new Error(reason);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = h("a", { href: url, download: `${slug}-directory.${extension}`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
