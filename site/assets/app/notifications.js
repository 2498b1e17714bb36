// /app/notifications/: what concerns me (newest first, unread marked), marking them read, and
// when each kind is also emailed.
import { field, fill, graphql, h, here, renderBar, requireViewer, say, submit, when } from "./confrere.js";
import { barCount, pagedList, section } from "./paged.js";

const NOTIFICATIONS = `query AppNotifications($after: String, $unreadOnly: Boolean!) {
  viewer {
    unreadNotificationCount
    notifications(first: 20, after: $after, unreadOnly: $unreadOnly) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id kind read count createdAt message subjectId url actor { name } } }
    }
  }
}`;

const MARK_READ = `mutation AppMarkRead($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) { marked unreadNotificationCount userErrors { field code message } }
}`;

const PREFERENCES = `query AppNotificationPreferences {
  viewer { notificationPreferences { kind email defaultEmail } }
}`;

const SET_PREFERENCES = `mutation AppSetPreferences($input: SetNotificationPreferencesInput!) {
  setNotificationPreferences(input: $input) {
    preferences { kind email defaultEmail }
    userErrors { field code message }
  }
}`;

/** Each kind in the member's words, grouped as the form shows them. */
const GROUPS = [
  [
    "People and messages",
    {
      CONNECTION_REQUESTED: "Someone asks to connect",
      CONNECTION_ACCEPTED: "Someone accepts your connection request",
      MESSAGE_RECEIVED: "Someone sends you a message (if still unread after a while)",
    },
  ],
  [
    "Organizations",
    {
      MEMBERSHIP_REQUESTED: "Someone asks to join an organization you run",
      MEMBERSHIP_APPROVED: "Your membership is approved",
      MEMBERSHIP_INVITED: "You are invited to an organization",
      PERK_APPROVED: "Your perk is approved",
      PERK_REJECTED: "Your perk is rejected",
    },
  ],
  [
    "Jobs",
    {
      APPLICATION_STAGE_CHANGED: "Your application moves",
      SAVED_SEARCH_MATCHES: "A saved search finds new matches",
      APPLICATION_RECEIVED: "Someone applies to your job posting",
      JOB_APPROVED: "Your job posting is approved",
      JOB_REJECTED: "Your job posting is rejected",
      JOB_EXPIRING: "Your job posting expires soon",
    },
  ],
  [
    "Events",
    {
      WAITLIST_PROMOTED: "A seat opens for you at an event",
      EVENT_UPDATED: "An event you go to changes time or place",
      EVENT_CANCELLED: "An event you go to is cancelled",
      EVENT_REMINDER: "A reminder the day before an event",
    },
  ],
  [
    "Posts",
    {
      POST_COMMENTED: "Someone comments on your post",
      COMMENT_REPLIED: "Someone answers your comment",
      POST_APPROVED: "Your post is approved",
      POST_REJECTED: "Your post is rejected",
    },
  ],
];

const EMAIL = {
  IMMEDIATELY: "At once",
  DAILY: "In a daily digest",
  WEEKLY: "In a weekly digest",
  NEVER: "Never",
};

/** Where a notification leads: the public page when it has one, else the app page it concerns. */
function destination(notification) {
  if (notification.url) return notification.url;
  if (notification.kind === "MESSAGE_RECEIVED") {
    return here(`app/messages/?conversation=${encodeURIComponent(notification.subjectId)}`);
  }
  if (notification.kind.startsWith("CONNECTION_")) return here("app/connections/");
  return null;
}

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();

const params = new URLSearchParams(window.location.search);
const unreadOnly = params.get("unread") === "1";
const summary = h("p", { class: "confrere-app__meta" });
const markAll = h("button", { type: "button" }, "Mark all read");
const listArea = h("div", {});
root.append(
  section(
    "What happened",
    summary,
    h(
      "p",
      { class: "confrere-app__actions" },
      markAll,
      h(
        "a",
        { href: unreadOnly ? "./" : "?unread=1", class: "confrere-app__button confrere-app__secondary" },
        unreadOnly ? "Show all" : "Show unread only",
      ),
    ),
    listArea,
  ),
);

function showUnread(count) {
  fill(summary, count ? `${count} unread.` : "Nothing unread.");
  barCount("app/notifications/", "Notifications", count);
  markAll.disabled = !count;
}

function notificationItem(notification) {
  const item = h("div", { class: "confrere-app__notification", "data-read": notification.read ? "true" : "false" });
  const target = destination(notification);
  const text = target ? h("a", { href: target }, notification.message) : h("span", {}, notification.message);
  const markOne = notification.read
    ? null
    : h("button", { type: "button", class: "confrere-app__secondary", "aria-label": `Mark read: ${notification.message}` }, "Mark read");
  fill(
    item,
    notification.read ? null : h("strong", { class: "confrere-app__flag" }, "Unread"),
    " ",
    text,
    h(
      "span",
      { class: "confrere-app__meta" },
      ` — ${when(notification.createdAt, true)}`,
      notification.count > 1 ? ` (${notification.count} times)` : "",
    ),
    markOne ? h("span", { class: "confrere-app__actions" }, markOne) : null,
  );
  if (markOne) {
    markOne.addEventListener("click", async () => {
      markOne.disabled = true;
      const payload = await mark({ ids: [notification.id] });
      if (payload) {
        notification.read = true;
        item.replaceWith(notificationItem(notification));
        say("Marked read.", "ok");
      } else {
        markOne.disabled = false;
      }
    });
  }
  return item;
}

async function mark(input) {
  try {
    const data = await graphql(MARK_READ, { input: input });
    const payload = data.markNotificationsRead;
    if (payload.userErrors.length) {
      say(payload.userErrors.map((error) => error.message).join(" "), "error");
      return null;
    }
    showUnread(payload.unreadNotificationCount);
    return payload;
  } catch (error) {
    say(error.message, "error");
    return null;
  }
}

const notifications = pagedList(listArea, {
  label: "Notifications",
  empty: unreadOnly ? "No unread notifications." : "No notifications yet.",
  load: async (after) => {
    const data = await graphql(NOTIFICATIONS, { after: after, unreadOnly: unreadOnly });
    showUnread(data.viewer.unreadNotificationCount);
    return data.viewer.notifications;
  },
  render: notificationItem,
});

markAll.addEventListener("click", async () => {
  markAll.disabled = true;
  const payload = await mark({ all: true });
  if (payload) {
    say(payload.marked === 1 ? "1 notification marked read." : `${payload.marked} notifications marked read.`, "ok");
    await notifications.reload();
  }
});

// Email preferences: one choice per kind, saved together.
const preferencesForm = h("form", { class: "confrere-app__form confrere-app__preferences", novalidate: true });
root.append(
  section(
    "Email",
    h(
      "p",
      { class: "confrere-app__meta" },
      "Everything is here in the app. Choose which kinds are also emailed to you, and when. Digests list what is still unread; email goes only to a verified address.",
    ),
    preferencesForm,
  ),
);

try {
  const data = await graphql(PREFERENCES);
  const preferences = new Map(data.viewer.notificationPreferences.map((preference) => [preference.kind, preference]));
  const choice = (kind, label) => {
    const preference = preferences.get(kind);
    preferences.delete(kind);
    const select = h(
      "select",
      { id: `email-${kind}`, name: kind },
      Object.entries(EMAIL).map(([value, text]) =>
        h(
          "option",
          { value: value, selected: value === preference.email },
          value === preference.defaultEmail ? `${text} (default)` : text,
        ),
      ),
    );
    return field(label, { id: select.id }, select);
  };
  const groups = GROUPS.map(([title, kinds]) =>
    h(
      "fieldset",
      {},
      h("legend", {}, title),
      Object.entries(kinds)
        .filter(([kind]) => preferences.has(kind))
        .map(([kind, label]) => choice(kind, label)),
    ),
  );
  // Kinds this page does not know yet (a newer server) are still offered, by their name.
  const rest = [...preferences.keys()];
  if (rest.length) groups.push(h("fieldset", {}, h("legend", {}, "Other"), rest.map((kind) => choice(kind, kind))));
  preferencesForm.append(
    h("p", {}, "Email me when…"),
    ...groups,
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Save email choices")),
  );
} catch (error) {
  say(error.message, "error");
}

preferencesForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const preferences = [...preferencesForm.querySelectorAll("select")].map((select) => ({
    kind: select.name,
    email: select.value,
  }));
  const payload = await submit(preferencesForm, SET_PREFERENCES, { input: { preferences: preferences } }, "setNotificationPreferences");
  if (payload) say("Your email choices are saved.", "ok");
});
