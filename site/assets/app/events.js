// /app/events/: the upcoming events of the member's organizations, with their RSVP, each
// linking to its page on the board (a members-only event has none: its RSVP opens here).
import { fill, graphql, h, here, renderBar, requireViewer, say } from "./confrere.js";
import { renderRsvp } from "./rsvp.js";

const MINE = `query AppMyOrganizations {
  myMemberships { status role organization { id name url } }
}`;

const EVENTS = `query AppUpcomingEvents($after: String, $from: DateTime) {
  events(first: 50, after: $after, from: $from) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id title startsAt endsAt timeZone format kind audience url status spotsLeft capacity
        organization { id name }
        viewerRsvp { status guests }
      }
    }
  }
}`;

/** How many events a page of the list shows (the API's pages are filtered to your groups). */
const SHOWN = 20;

const ANSWERS = {
  GOING: "You are going",
  WAITLISTED: "You are on the waitlist",
  NOT_GOING: "You are not going",
};

/** "Thu, 4 Mar 2027, 18:30 (Europe/Berlin)": in the event's own zone. */
function eventTime(event) {
  const options = { dateStyle: "full", timeStyle: "short", timeZone: event.timeZone };
  let text;
  try {
    text = new Intl.DateTimeFormat(undefined, options).format(new Date(event.startsAt));
  } catch (error) {
    text = new Date(event.startsAt).toLocaleString();
  }
  return `${text} (${event.timeZone})`;
}

function answer(rsvp) {
  if (!rsvp) return "Not answered";
  const guests = rsvp.guests && rsvp.status !== "NOT_GOING" ? ` with ${rsvp.guests} guest${rsvp.guests === 1 ? "" : "s"}` : "";
  return `${ANSWERS[rsvp.status] || rsvp.status}${guests}`;
}

function item(event) {
  const title = event.url ? h("a", { href: event.url }, event.title) : h("strong", {}, event.title);
  const facts = [
    event.organization ? event.organization.name : null,
    event.format.replace("_", " ").toLowerCase(),
    event.audience === "MEMBERS_ONLY" ? "members only" : null,
    event.status === "CANCELLED" ? "cancelled" : null,
  ].filter(Boolean);
  const state = h("p", { class: "confrere-app__rsvp-state", "data-status": event.viewerRsvp ? event.viewerRsvp.status : "NONE" }, answer(event.viewerRsvp));
  const li = h(
    "li",
    { class: "confrere-app__event" },
    h("h3", { class: "confrere-app__event-title" }, title),
    h("p", { class: "confrere-app__meta" }, eventTime(event), " · ", facts.join(" · ")),
    state,
  );
  if (!event.url) {
    // No page on the board: answer here.
    const block = h("div", { class: "confrere-app__rsvp" });
    const toggle = h("button", { type: "button", class: "confrere-app__secondary", "aria-expanded": "false" }, "RSVP here");
    toggle.addEventListener("click", async () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      if (open) {
        fill(block);
        return;
      }
      try {
        await renderRsvp(block, event.id, `rsvp-${event.id.replace(/[^A-Za-z0-9]/g, "")}`, (rsvp) => {
          state.textContent = answer(rsvp);
          state.setAttribute("data-status", rsvp ? rsvp.status : "NONE");
        });
      } catch (error) {
        say(error.message, "error");
      }
    });
    li.append(h("p", { class: "confrere-app__actions" }, toggle), block);
  }
  return li;
}

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();

const list = h("ul", { class: "confrere-app__list confrere-app__events" });
const more = h("button", { type: "button", class: "confrere-app__secondary", hidden: true }, "Show more");
const intro = h("p", {}, "Upcoming events of the organizations you belong to, soonest first, with your answer. Open an event to RSVP, see seats left and add it to your calendar.");
root.append(intro, list, h("p", { class: "confrere-app__actions" }, more));

let cursor = null;
let mine = new Set();
const from = new Date().toISOString();

/** Page through the API's upcoming events, keeping your organizations', until SHOWN more. */
async function load() {
  more.disabled = true;
  let added = 0;
  let hasNext = true;
  try {
    while (added < SHOWN && hasNext) {
      const data = await graphql(EVENTS, { after: cursor, from: from });
      for (const edge of data.events.edges) {
        const event = edge.node;
        if (event.organization && mine.has(event.organization.id)) {
          list.append(item(event));
          added += 1;
        }
      }
      hasNext = data.events.pageInfo.hasNextPage;
      cursor = data.events.pageInfo.endCursor;
    }
  } catch (error) {
    say(error.message, "error");
  } finally {
    more.disabled = false;
  }
  more.hidden = !hasNext;
  if (!list.children.length) {
    list.replaceWith(
      h(
        "p",
        {},
        mine.size
          ? "None of your organizations has an upcoming event. "
          : "You do not belong to any organization yet. ",
        h("a", { href: here("events/") }, "Browse every public event"),
        " or ",
        h("a", { href: here("organizations/") }, "find organizations to join"),
        ".",
      ),
    );
  }
}

more.addEventListener("click", load);

try {
  const data = await graphql(MINE);
  mine = new Set(
    data.myMemberships
      .filter((m) => m.status === "ACTIVE" && m.organization)
      .map((m) => m.organization.id),
  );
  await load();
} catch (error) {
  say(error.message, "error");
}
