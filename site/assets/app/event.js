// A board event page's RSVP block (rsvp.js); the page's "Add to calendar" link is static.
import { h, say } from "./confrere.js";
import { renderRsvp } from "./rsvp.js";

const root = document.querySelector('.confrere-app[data-page="event"]');
if (root) {
  const block = root.querySelector(".confrere-app__rsvp");
  block.before(h("h2", { class: "confrere-app__block-title" }, "RSVP"));
  try {
    await renderRsvp(block, root.dataset.event);
  } catch (error) {
    say(error.message, "error");
  }
}
