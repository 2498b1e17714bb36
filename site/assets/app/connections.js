// /app/connections/: requests waiting for me (accept / decline) and mine (withdraw), my
// connections, people I may know (ask to connect), and the people I blocked (unblock).
import { graphql, h, here, renderBar, requireViewer, say } from "./confrere.js";
import { pagedList, section } from "./paged.js";

const PAGE = "totalCount pageInfo { hasNextPage endCursor }";
const REQUESTS = `query AppConnectionRequests($direction: ConnectionRequestDirection!, $after: String) {
  viewer {
    connectionRequests(direction: $direction, first: 20, after: $after) {
      ${PAGE}
      edges { node { id note createdAt requester { id name headline } addressee { id name headline } } }
    }
  }
}`;
const CONNECTIONS = `query AppConnections($after: String) {
  viewer {
    connections(first: 20, after: $after) {
      ${PAGE}
      edges { node { id name headline mutualConnections(first: 1) { totalCount } } }
    }
  }
}`;
const SUGGESTIONS = `query AppPeopleYouMayKnow($after: String) {
  viewer {
    peopleYouMayKnow(first: 10, after: $after) {
      ${PAGE}
      edges {
        node {
          person { id name headline }
          mutualConnectionCount sharedOrganizationCount sharedOrganizations { name }
        }
      }
    }
  }
}`;
const BLOCKED = `query AppBlockedPeople($after: String) {
  viewer {
    blockedPeople(first: 20, after: $after) {
      ${PAGE}
      edges { node { personId blockedAt person { name } } }
    }
  }
}`;

const ERRORS = "userErrors { field code message }";
const CONNECTION = `connection { id status } ${ERRORS}`;
const ACCEPT = `mutation AppAcceptConnection($input: AnswerConnectionInput!) { acceptConnection(input: $input) { ${CONNECTION} } }`;
const DECLINE = `mutation AppDeclineConnection($input: AnswerConnectionInput!) { declineConnection(input: $input) { ${CONNECTION} } }`;
const WITHDRAW = `mutation AppWithdrawConnection($input: WithdrawConnectionRequestInput!) {
  withdrawConnectionRequest(input: $input) { ${CONNECTION} }
}`;
const REQUEST = `mutation AppRequestConnection($input: RequestConnectionInput!) { requestConnection(input: $input) { ${CONNECTION} } }`;
const REMOVE = `mutation AppRemoveConnection($input: PersonIdInput!) { removeConnection(input: $input) { ${CONNECTION} } }`;
const BLOCK = `mutation AppBlockPerson($input: PersonIdInput!) { blockPerson(input: $input) { blockedPerson { personId } ${ERRORS} } }`;
const UNBLOCK = `mutation AppUnblockPerson($input: PersonIdInput!) { unblockPerson(input: $input) { unblockedPersonId ${ERRORS} } }`;

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();

/**
 * A button that runs a mutation for one row: its userErrors (or failure) are shown in words
 * right after the row's buttons; on success `done(payload)` says what changed.
 */
function action(label, query, input, name, done, options) {
  const button = h("button", { type: "button", class: (options && options.secondary) ? "confrere-app__secondary" : null, "aria-label": options && options.ariaLabel }, label);
  button.addEventListener("click", async () => {
    if (options && options.confirm && button.dataset.confirm !== "yes") {
      button.dataset.confirm = "yes";
      button.textContent = options.confirm;
      return;
    }
    const row = button.closest(".confrere-app__person") || button.parentElement;
    for (const old of row.querySelectorAll(".confrere-app__field-error")) old.remove();
    button.disabled = true;
    let problem = null;
    try {
      const payload = (await graphql(query, { input: input }))[name];
      if (payload.userErrors.length) problem = payload.userErrors.map((error) => error.message).join(" ");
      else done(row, payload);
    } catch (error) {
      problem = error.message;
    }
    if (problem) {
      button.disabled = false;
      row.append(h("span", { class: "confrere-app__field-error", role: "alert" }, problem));
    }
  });
  return button;
}

/** Replace a row's buttons with what happened. */
function settle(row, text) {
  const hadFocus = row.contains(document.activeElement);
  for (const actions of row.querySelectorAll(".confrere-app__actions")) actions.remove();
  const line = h("p", { class: "confrere-app__meta", role: "status", tabindex: "-1" }, text);
  row.append(line);
  say(text, "ok");
  if (hadFocus) line.focus(); // the button pressed is gone: keep the keyboard where it was
}

function person(who, ...details) {
  return [
    h("strong", {}, who ? who.name : "Someone"),
    who && who.headline ? h("span", { class: "confrere-app__meta" }, ` — ${who.headline}`) : null,
    ...details,
  ];
}

function messageLink(who) {
  return h(
    "a",
    { href: here(`app/messages/?to=${encodeURIComponent(who.id)}`), class: "confrere-app__button", "aria-label": `Message ${who.name}` },
    "Message",
  );
}

const received = h("div", {});
const sent = h("div", {});
const mine = h("div", {});
const suggested = h("div", {});
const blocked = h("div", {});
root.append(
  section("Requests for you", received),
  section("Your connections", mine),
  section("People you may know", suggested),
  section("Requests you sent", sent),
  section("People you blocked", blocked),
);

let connectionsList = null;

pagedList(received, {
  label: "Requests for you",
  empty: "No requests waiting for you.",
  load: async (after) => (await graphql(REQUESTS, { direction: "RECEIVED", after: after })).viewer.connectionRequests,
  render: (request) => {
    const who = request.requester;
    const name = who ? who.name : "Someone";
    return h(
      "div",
      { class: "confrere-app__person" },
      person(who, request.note ? h("p", { class: "confrere-app__note" }, `“${request.note}”`) : null),
      h(
        "p",
        { class: "confrere-app__actions" },
        action("Accept", ACCEPT, { connectionId: request.id }, "acceptConnection", (row) => {
          settle(row, `You are connected with ${name}.`);
          if (connectionsList) connectionsList.reload();
        }, { ariaLabel: `Accept ${name}` }),
        action("Decline", DECLINE, { connectionId: request.id }, "declineConnection", (row) => settle(row, `You declined ${name}'s request.`), {
          secondary: true,
          ariaLabel: `Decline ${name}`,
        }),
      ),
    );
  },
});

connectionsList = pagedList(mine, {
  label: "Your connections",
  empty: "No connections yet: ask people you know below.",
  load: async (after) => (await graphql(CONNECTIONS, { after: after })).viewer.connections,
  render: (who) => {
    const mutual = who.mutualConnections.totalCount;
    return h(
      "div",
      { class: "confrere-app__person" },
      person(who, mutual ? h("span", { class: "confrere-app__meta" }, ` (${mutual} in common)`) : null),
      h(
        "p",
        { class: "confrere-app__actions" },
        messageLink(who),
        action("Remove", REMOVE, { personId: who.id }, "removeConnection", (row) => settle(row, `You are no longer connected with ${who.name}.`), {
          secondary: true,
          ariaLabel: `Remove ${who.name}`,
          confirm: `Remove ${who.name}? Click again`,
        }),
        action("Block", BLOCK, { personId: who.id }, "blockPerson", (row) => {
          settle(row, `You blocked ${who.name}.`);
          if (blockedList) blockedList.reload();
        }, { secondary: true, ariaLabel: `Block ${who.name}`, confirm: `Block ${who.name}? Click again` }),
      ),
    );
  },
});

pagedList(suggested, {
  label: "People you may know",
  empty: "No suggestions yet: they come from shared connections and organizations.",
  load: async (after) => (await graphql(SUGGESTIONS, { after: after })).viewer.peopleYouMayKnow,
  render: (suggestion) => {
    const who = suggestion.person;
    const why = [];
    if (suggestion.mutualConnectionCount) {
      why.push(`${suggestion.mutualConnectionCount} connection${suggestion.mutualConnectionCount === 1 ? "" : "s"} in common`);
    }
    if (suggestion.sharedOrganizationCount) {
      why.push(`both in ${suggestion.sharedOrganizations.map((organization) => organization.name).join(", ")}`);
    }
    return h(
      "div",
      { class: "confrere-app__person" },
      person(who, why.length ? h("p", { class: "confrere-app__meta" }, why.join("; ")) : null),
      h(
        "p",
        { class: "confrere-app__actions" },
        action("Connect", REQUEST, { personId: who.id, note: "" }, "requestConnection", (row, payload) =>
          settle(row, payload.connection.status === "ACCEPTED" ? `You are connected with ${who.name}.` : `Request sent to ${who.name}.`),
        { ariaLabel: `Connect with ${who.name}` }),
      ),
    );
  },
});

pagedList(sent, {
  label: "Requests you sent",
  empty: "No requests of yours are waiting.",
  load: async (after) => (await graphql(REQUESTS, { direction: "SENT", after: after })).viewer.connectionRequests,
  render: (request) => {
    const who = request.addressee;
    const name = who ? who.name : "Someone";
    return h(
      "div",
      { class: "confrere-app__person" },
      person(who, h("span", { class: "confrere-app__meta" }, " — waiting for an answer")),
      h(
        "p",
        { class: "confrere-app__actions" },
        action("Withdraw", WITHDRAW, { connectionId: request.id }, "withdrawConnectionRequest", (row) => settle(row, `You withdrew your request to ${name}.`), {
          secondary: true,
          ariaLabel: `Withdraw the request to ${name}`,
        }),
      ),
    );
  },
});

const blockedList = pagedList(blocked, {
  label: "People you blocked",
  empty: "You have blocked nobody.",
  load: async (after) => (await graphql(BLOCKED, { after: after })).viewer.blockedPeople,
  render: (block) => {
    const name = block.person ? block.person.name : "Someone";
    return h(
      "div",
      { class: "confrere-app__person" },
      h("strong", {}, name),
      h(
        "p",
        { class: "confrere-app__actions" },
        action("Unblock", UNBLOCK, { personId: block.personId }, "unblockPerson", (row) => settle(row, `You unblocked ${name}. Either of you may ask to connect again.`), {
          secondary: true,
          ariaLabel: `Unblock ${name}`,
        }),
      ),
    );
  },
});

