// /app/messages/: my conversations; one conversation (?conversation=<id>) with its messages,
// sending, editing and deleting my own, message requests, archive and mute; a new conversation
// with someone (?to=<person id>). Messages are shown as text, never as HTML.
import { field, fill, graphql, h, here, renderBar, requireViewer, say, showErrors, submit, when } from "./confrere.js";
import { barCount, pagedList, section } from "./paged.js";

const CONVERSATIONS = `query AppConversations($after: String, $archived: Boolean!) {
  viewer {
    unreadMessageCount
    conversations(first: 20, after: $after, archived: $archived) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id kind unreadCount isRequest requestStatus viewerRequestStatus lastMessageAt
          organization { name }
          participants { personId name }
          lastMessage { body deleted authorName }
        }
      }
    }
  }
}`;

const CONVERSATION = `query AppConversation($id: ID!, $after: String) {
  conversation(id: $id) {
    id kind isRequest requestStatus viewerRequestStatus archived muted unreadCount
    organization { name }
    participants { personId name role }
    messages(first: 20, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id body authorId authorName createdAt editedAt deleted } }
    }
  }
}`;

const PERSON = `query AppMessagePerson($id: ID!) { node(id: $id) { ... on Person { id name headline } } }`;

const ERRORS = "userErrors { field code message }";
const START = `mutation AppStartConversation($input: StartConversationInput!) {
  startConversation(input: $input) { conversation { id } ${ERRORS} }
}`;
const SEND = `mutation AppSendMessage($input: SendMessageInput!) {
  sendMessage(input: $input) { message { id } ${ERRORS} }
}`;
const EDIT = `mutation AppEditMessage($input: EditMessageInput!) {
  editMessage(input: $input) { message { id body editedAt } ${ERRORS} }
}`;
const DELETE = `mutation AppDeleteMessage($input: DeleteMessageInput!) {
  deleteMessage(input: $input) { message { id deleted } ${ERRORS} }
}`;
const MARK_READ = `mutation AppMarkConversationRead($input: ConversationInput!) {
  markConversationRead(input: $input) { conversation { id unreadCount } ${ERRORS} }
}`;
const UNREAD = "query AppUnread { viewer { unreadMessageCount unreadNotificationCount } }";
const ARCHIVE = `mutation AppArchiveConversation($input: ArchiveConversationInput!) {
  archiveConversation(input: $input) { conversation { id archived } ${ERRORS} }
}`;
const MUTE = `mutation AppMuteConversation($input: MuteConversationInput!) {
  muteConversation(input: $input) { conversation { id muted } ${ERRORS} }
}`;
const ACCEPT = `mutation AppAcceptMessageRequest($input: ConversationInput!) {
  acceptMessageRequest(input: $input) { conversation { id requestStatus } ${ERRORS} }
}`;
const DECLINE = `mutation AppDeclineMessageRequest($input: ConversationInput!) {
  declineMessageRequest(input: $input) { conversation { id requestStatus } ${ERRORS} }
}`;

const POLL_MS = 10_000;
const UNREACHABLE_HINT =
  "You may write to your connections, and to fellow members of your organizations unless they keep to their connections: ask to connect first.";

const root = document.querySelector(".confrere-app");
await renderBar();
const viewer = await requireViewer();
const me = viewer.person ? viewer.person.id : null;
const params = new URLSearchParams(window.location.search);

/** A mutation that is not a form's: its userErrors (or failure) go in the status line. */
async function act(query, input, name) {
  try {
    const payload = (await graphql(query, { input: input }))[name];
    if (payload.userErrors.length) {
      say(payload.userErrors.map((error) => error.message).join(" "), "error");
      return null;
    }
    return payload;
  } catch (error) {
    say(error.message, "error");
    return null;
  }
}

function conversationAddress(id) {
  return here(`app/messages/?conversation=${encodeURIComponent(id)}`);
}

function others(conversation) {
  const names = conversation.participants.filter((person) => person.personId !== me).map((person) => person.name);
  return names.join(", ") || "Only you";
}

function messageBox(name, label) {
  return field(label, { name: name }, h("textarea", { name: name, rows: 3, required: true }));
}

if (params.get("conversation")) {
  await showConversation(params.get("conversation"));
} else if (params.get("to")) {
  await showNewConversation(params.get("to"));
} else {
  showConversations(params.get("archived") === "1");
}

function showConversations(archived) {
  const area = h("div", {});
  root.append(
    section(
      archived ? "Archived conversations" : "Conversations",
      h(
        "p",
        { class: "confrere-app__meta" },
        archived
          ? h("a", { href: here("app/messages/") }, "Back to your conversations")
          : h("a", { href: here("app/messages/?archived=1") }, "Archived conversations"),
        ". To write to someone, open ",
        h("a", { href: here("app/connections/") }, "your connections"),
        " and choose Message.",
      ),
      area,
    ),
  );
  pagedList(area, {
    label: archived ? "Archived conversations" : "Conversations",
    empty: archived ? "No archived conversations." : "No conversations yet.",
    load: async (after) => (await graphql(CONVERSATIONS, { after: after, archived: archived })).viewer.conversations,
    render: (conversation) => {
      const last = conversation.lastMessage;
      const preview = last ? `${last.authorName}: ${last.deleted ? "message deleted" : firstLine(last.body)}` : "";
      return h(
        "div",
        { class: "confrere-app__conversation", "data-unread": conversation.unreadCount ? "true" : "false" },
        h("a", { href: conversationAddress(conversation.id) }, others(conversation)),
        conversation.unreadCount ? h("strong", { class: "confrere-app__flag" }, `${conversation.unreadCount} unread`) : null,
        conversation.isRequest && conversation.viewerRequestStatus === "PENDING" && !isStarter(conversation)
          ? h("strong", { class: "confrere-app__flag" }, "Message request")
          : null,
        conversation.organization ? h("span", { class: "confrere-app__meta" }, ` (${conversation.organization.name})`) : null,
        h("br", {}),
        h("span", { class: "confrere-app__meta" }, `${preview} — ${when(conversation.lastMessageAt, true)}`),
      );
    },
  });
}

function firstLine(text) {
  const line = (text || "").split("\n").find((part) => part.trim()) || "";
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

function isStarter(conversation) {
  const starter = conversation.participants.find((person) => person.role === "STARTER");
  return Boolean(starter && starter.personId === me);
}

async function showNewConversation(personId) {
  let person = null;
  try {
    person = (await graphql(PERSON, { id: personId })).node;
  } catch (error) {
    say(error.message, "error");
  }
  const name = person && person.name ? person.name : "this person";
  const form = h(
    "form",
    { class: "confrere-app__form", novalidate: true },
    messageBox("message", `Your message to ${name}`),
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Send")),
  );
  root.append(
    section(
      `Write to ${name}`,
      person && person.headline ? h("p", { class: "confrere-app__meta" }, person.headline) : null,
      form,
      h("p", {}, h("a", { href: here("app/messages/") }, "Back to your conversations")),
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = form.elements.message.value;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const payload = (await graphql(START, { input: { participantIds: [personId], message: text } })).startConversation;
      const errors = payload.userErrors.map((error) =>
        error.code === "NOT_FOUND" ? { ...error, message: `${error.message} ${UNREACHABLE_HINT}` } : error,
      );
      if (!showErrors(form, errors)) window.location.assign(conversationAddress(payload.conversation.id));
    } catch (error) {
      showErrors(form, [{ field: null, message: error.message }]);
    } finally {
      button.disabled = false;
    }
  });
  form.elements.message.focus();
}

async function showConversation(id) {
  let conversation;
  try {
    conversation = (await graphql(CONVERSATION, { id: id, after: null })).conversation;
  } catch (error) {
    say(error.message, "error");
    return;
  }
  if (!conversation) {
    root.append(
      h("p", {}, "This conversation is not one of yours, or it no longer exists. "),
      h("p", {}, h("a", { href: here("app/messages/") }, "Back to your conversations")),
    );
    return;
  }

  const shown = new Map(); // message id → its list item
  const list = h("ol", { class: "confrere-app__list confrere-app__messages", "aria-label": "Messages, oldest first" });
  const earlier = h("button", { type: "button", class: "confrere-app__secondary" }, "Show earlier messages");
  let olderCursor = conversation.messages.pageInfo.endCursor;
  earlier.hidden = !conversation.messages.pageInfo.hasNextPage;

  const request = h("div", {});
  const tools = h("p", { class: "confrere-app__actions" });
  const form = h(
    "form",
    { class: "confrere-app__form", novalidate: true },
    messageBox("body", "Your message"),
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Send")),
  );

  root.append(
    h("p", {}, h("a", { href: here("app/messages/") }, "← All conversations")),
    section(
      `With ${others(conversation)}`,
      conversation.organization ? h("p", { class: "confrere-app__meta" }, `From ${conversation.organization.name}`) : null,
      tools,
      request,
      h("p", { class: "confrere-app__actions" }, earlier),
      list,
      form,
    ),
  );

  function messageItem(message) {
    const item = h("li", { class: "confrere-app__message", "data-mine": message.authorId === me ? "true" : "false" });
    renderMessage(item, message);
    return item;
  }

  function renderMessage(item, message) {
    const mine = message.authorId === me && !message.deleted;
    const sentAt = when(message.createdAt, true);
    const small = "confrere-app__secondary confrere-app__small";
    const edit = mine ? h("button", { type: "button", class: small, "aria-label": `Edit your message of ${sentAt}` }, "Edit") : null;
    const remove = mine
      ? h("button", { type: "button", class: small, "aria-label": `Delete your message of ${sentAt}` }, "Delete")
      : null;
    fill(
      item,
      h(
        "p",
        { class: "confrere-app__meta" },
        h("strong", {}, message.authorName),
        ` — ${when(message.createdAt, true)}`,
        message.editedAt && !message.deleted ? " (edited)" : "",
      ),
      message.deleted
        ? h("p", { class: "confrere-app__meta" }, h("em", {}, "message deleted"))
        : h("p", { class: "confrere-app__message-body" }, message.body),
      mine ? h("p", { class: "confrere-app__actions" }, edit, remove) : null,
    );
    item.dataset.state = JSON.stringify([message.body, message.editedAt, message.deleted]);
    if (edit) edit.addEventListener("click", () => editMessage(item, message));
    if (remove) remove.addEventListener("click", () => deleteMessage(item, message, remove));
  }

  function editMessage(item, message) {
    const editor = h(
      "form",
      { class: "confrere-app__form", novalidate: true },
      field("Edit your message", { id: `edit-${message.id}` }, h("textarea", { name: "body", rows: 3 }, message.body)),
      h(
        "p",
        { class: "confrere-app__actions" },
        h("button", { type: "submit" }, "Save"),
        h("button", { type: "button", class: "confrere-app__secondary", onclick: () => renderMessage(item, message) }, "Cancel"),
      ),
    );
    item.dataset.editing = "true";
    fill(item, editor);
    editor.elements.body.focus();
    editor.addEventListener("submit", async (event) => {
      event.preventDefault();
      const payload = await submit(editor, EDIT, { input: { messageId: message.id, body: editor.elements.body.value } }, "editMessage");
      if (payload) {
        Object.assign(message, payload.message);
        delete item.dataset.editing;
        renderMessage(item, message);
        say("Message edited.", "ok");
      }
    });
  }

  async function deleteMessage(item, message, button) {
    if (button.dataset.confirm !== "yes") {
      button.dataset.confirm = "yes";
      button.textContent = "Delete for everyone? Click again";
      button.removeAttribute("aria-label");
      return;
    }
    button.disabled = true;
    const payload = await act(DELETE, { messageId: message.id }, "deleteMessage");
    if (payload) {
      message.deleted = true;
      message.body = null;
      renderMessage(item, message);
      say("Message deleted.", "ok");
    } else {
      button.disabled = false;
    }
  }

  /** Newest-first pages: older ones go on top, new ones at the bottom; known ones are updated. */
  function place(messages, older) {
    const fresh = [];
    for (const message of messages) {
      const known = shown.get(message.id);
      if (known) {
        const state = JSON.stringify([message.body, message.editedAt, message.deleted]);
        if (known.dataset.state !== state && !known.dataset.editing) renderMessage(known, message);
      } else {
        fresh.push(message);
      }
    }
    fresh.reverse(); // oldest first
    const items = fresh.map((message) => {
      const item = messageItem(message);
      shown.set(message.id, item);
      return item;
    });
    if (older) list.prepend(...items);
    else list.append(...items);
    return items.length;
  }

  function renderTools() {
    const archive = h("button", { type: "button", class: "confrere-app__secondary" }, conversation.archived ? "Move back to inbox" : "Archive");
    const mute = h("button", { type: "button", class: "confrere-app__secondary" }, conversation.muted ? "Unmute" : "Mute");
    archive.addEventListener("click", async () => {
      const payload = await act(ARCHIVE, { conversationId: id, archived: !conversation.archived }, "archiveConversation");
      if (payload) {
        conversation.archived = payload.conversation.archived;
        say(conversation.archived ? "Archived: it comes back when someone writes." : "Back in your inbox.", "ok");
        renderTools();
      }
    });
    mute.addEventListener("click", async () => {
      const payload = await act(MUTE, { conversationId: id, muted: !conversation.muted }, "muteConversation");
      if (payload) {
        conversation.muted = payload.conversation.muted;
        say(conversation.muted ? "Muted: you get no notifications of it." : "Unmuted.", "ok");
        renderTools();
      }
    });
    fill(tools, archive, mute);
  }

  function renderRequest() {
    const waiting = conversation.isRequest && conversation.viewerRequestStatus === "PENDING" && !isStarter(conversation);
    form.hidden = waiting; // no reply before the request is accepted
    if (!waiting) {
      fill(request);
      return;
    }
    const accept = h("button", { type: "button" }, "Accept");
    const decline = h("button", { type: "button", class: "confrere-app__secondary" }, "Decline");
    accept.addEventListener("click", () => answer(ACCEPT, "acceptMessageRequest"));
    decline.addEventListener("click", () => answer(DECLINE, "declineMessageRequest"));
    fill(
      request,
      h(
        "div",
        { class: "confrere-app__notice" },
        h("p", {}, `This is a message request${conversation.organization ? ` from ${conversation.organization.name}` : ""}. Accept it to reply; decline it and they can write no more.`),
        h("p", { class: "confrere-app__actions" }, accept, decline),
      ),
    );
  }

  async function answer(query, name) {
    const payload = await act(query, { conversationId: id }, name);
    if (payload) {
      conversation.viewerRequestStatus = payload.conversation.requestStatus;
      conversation.requestStatus = payload.conversation.requestStatus;
      say(conversation.requestStatus === "ACCEPTED" ? "Request accepted: you may reply." : "Request declined.", "ok");
      renderRequest();
    }
  }

  earlier.addEventListener("click", async () => {
    earlier.disabled = true;
    try {
      const older = (await graphql(CONVERSATION, { id: id, after: olderCursor })).conversation.messages;
      place(older.edges.map((edge) => edge.node), true);
      olderCursor = older.pageInfo.endCursor;
      earlier.hidden = !older.pageInfo.hasNextPage;
    } catch (error) {
      say(error.message, "error");
    } finally {
      earlier.disabled = false;
    }
  });

  /** Reading the conversation reads its messages and its notification: the bar says so. */
  async function markRead() {
    if (!(await act(MARK_READ, { conversationId: id }, "markConversationRead"))) return;
    try {
      const counts = (await graphql(UNREAD)).viewer;
      barCount("app/messages/", "Messages", counts.unreadMessageCount);
      barCount("app/notifications/", "Notifications", counts.unreadNotificationCount);
    } catch (error) {
      // The bar's counts stay as they were; the next page shows them right.
    }
  }

  async function refresh() {
    try {
      const latest = (await graphql(CONVERSATION, { id: id, after: null })).conversation;
      if (!latest) return;
      const added = place(latest.messages.edges.map((edge) => edge.node), false);
      if (added && latest.unreadCount) await markRead();
    } catch (error) {
      // A missed poll is retried on the next one; the page stays as it is.
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const payload = await submit(form, SEND, { input: { conversationId: id, body: form.elements.body.value } }, "sendMessage");
    if (payload) {
      form.reset();
      await refresh();
      form.elements.body.focus();
    }
  });

  renderTools();
  renderRequest();
  place(conversation.messages.edges.map((edge) => edge.node), false);
  if (conversation.unreadCount) await markRead();

  // New messages while the page is open and visible; the WebSocket needs a bearer token the
  // app does not have, so it asks every few seconds instead.
  setInterval(() => {
    if (document.visibilityState === "visible") refresh();
  }, POLL_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh();
  });
}
