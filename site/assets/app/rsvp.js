// An event's RSVP block, for the board's event pages (event.js) and the app's event list
// (events.js): seats left, your answer (going with guests, on the waitlist and where in line,
// not going), and the buttons to change it. Signed out: a link to sign in and come back.
import { currentViewer, fill, graphql, h, here, showErrors, submit } from "./confrere.js";

const EVENT = `query AppEventRsvp($id: ID!) {
  event(id: $id) {
    id title status endsAt capacity goingCount waitlistCount spotsLeft calendarPath
    viewerRsvp { id status guests waitlistPosition }
  }
}`;

const RSVP = `mutation AppRsvp($input: RsvpInput!) {
  rsvp(input: $input) { rsvp { id status guests waitlistPosition } userErrors { field code message } }
}`;

const MAX_GUESTS = 5;

function plural(count, one, many) {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

function seats(event) {
  const parts = [];
  if (event.capacity === null) parts.push("No limit on seats");
  else parts.push(`${plural(event.spotsLeft, "spot", "spots")} left of ${event.capacity.toLocaleString()}`);
  parts.push(`${plural(event.goingCount, "seat", "seats")} taken`);
  if (event.waitlistCount) parts.push(`${plural(event.waitlistCount, "seat", "seats")} asked for on the waitlist`);
  return parts.join(" · ");
}

function yourAnswer(rsvp, place) {
  if (!rsvp || rsvp.status === "NOT_GOING") {
    return rsvp ? "You are not going." : "You have not answered yet.";
  }
  const guests = rsvp.guests ? ` with ${plural(rsvp.guests, "guest", "guests")}` : "";
  if (rsvp.status === "GOING") return `You are going${guests}.`;
  const where = place ? `: number ${place} in line` : "";
  return `You are on the waitlist${where}${guests ? ` (you${guests})` : ""}. If seats free up, you move up in order and we tell you when you are going.`;
}

/**
 * Draw the RSVP block of event `eventId` in `container`; `idBase` keeps control ids unique
 * when a page holds several blocks; `answered(rsvp)` is told each new answer. Returns the
 * event as the API answered (null if hidden).
 */
export async function renderRsvp(container, eventId, idBase, answered) {
  const base = idBase || "rsvp";
  const viewer = await currentViewer();
  const data = await graphql(EVENT, { id: eventId });
  const event = data.event;
  if (!event) {
    fill(container, h("p", {}, "This event is not open to you."));
    return null;
  }
  const status = h("p", { class: "confrere-app__seats" }, seats(event));
  if (event.status === "CANCELLED") {
    fill(container, h("p", { class: "confrere-app__answer" }, "This event was cancelled."));
    return event;
  }
  if (new Date(event.endsAt) < new Date()) {
    fill(container, status, h("p", { class: "confrere-app__answer" }, "This event is over."));
    return event;
  }
  if (!viewer) {
    const back = window.location.pathname;
    fill(
      container,
      status,
      h("p", {}, h("a", { href: here(`app/login/?next=${encodeURIComponent(back)}`) }, "Sign in to RSVP")),
    );
    return event;
  }
  const rsvp = event.viewerRsvp;
  const place = rsvp ? rsvp.waitlistPosition : null;
  const answering = !rsvp || rsvp.status === "NOT_GOING";
  const full = event.spotsLeft === 0 || event.waitlistCount > 0;
  const guests = h("input", {
    type: "number",
    name: "guests",
    id: `${base}-guests`,
    min: 0,
    max: MAX_GUESTS,
    step: 1,
    value: rsvp && !answering ? rsvp.guests : 0,
    inputmode: "numeric",
  });
  const form = h("form", { class: "confrere-app__rsvp-form" });
  const go = async (response) => {
    const count = Number.parseInt(guests.value || "0", 10);
    if (response === "GOING" && (!Number.isInteger(count) || count < 0 || count > MAX_GUESTS)) {
      showErrors(form, [{ field: "guests", message: `Bring between 0 and ${MAX_GUESTS} guests.` }]);
      return;
    }
    const input = { eventId: event.id, response: response, guests: response === "GOING" ? count : 0 };
    const payload = await submit(form, RSVP, { input: input }, "rsvp");
    if (payload) {
      if (answered) answered(payload.rsvp);
      await renderRsvp(container, eventId, idBase, answered);
      const answer = container.querySelector(".confrere-app__answer");
      if (answer) answer.focus();
    }
  };
  form.addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    go("GOING");
  });
  // On the waitlist, changing the guests keeps one's place in line.
  const goingLabel = answering ? (full ? "Join the waitlist" : "I'm going") : "Change guests";
  const cancelLabel = rsvp && rsvp.status === "WAITLISTED" ? "Leave the waitlist" : "Cancel my RSVP";
  const cancel = answering
    ? rsvp
      ? null
      : h("button", { type: "button", class: "confrere-app__secondary", onclick: () => go("NOT_GOING") }, "I can't go")
    : h("button", { type: "button", class: "confrere-app__secondary", onclick: () => go("NOT_GOING") }, cancelLabel);
  fill(
    form,
    h(
      "p",
      { class: "confrere-app__field confrere-app__field--short" },
      h("label", { for: guests.id }, `Guests you bring (0 to ${MAX_GUESTS})`),
      guests,
    ),
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, goingLabel), cancel),
  );
  fill(
    container,
    status,
    h("p", { class: "confrere-app__answer", tabindex: "-1", "data-status": rsvp ? rsvp.status : "NONE" }, yourAnswer(rsvp, place)),
    form,
  );
  return event;
}
