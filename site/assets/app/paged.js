// A list that follows the API's cursors: the first page at once, then "Show more" (first/after).
import { h, here, say } from "./confrere.js";

/**
 * Fill `container` with a paginated list. `load(after)` returns a connection
 * (`{ totalCount, pageInfo: { hasNextPage, endCursor }, edges: [{ node }] }`), `render(node)`
 * returns the list item's content, `empty` is the text shown when there is nothing.
 * Returns `{ reload() }` to start again from the first page (after a change).
 */
export function pagedList(container, { load, render, empty, label }) {
  const list = h("ul", { class: "confrere-app__list", "aria-label": label || null });
  const more = h("button", { type: "button", class: "confrere-app__secondary" }, "Show more");
  const none = h("p", { class: "confrere-app__meta" }, empty || "Nothing here yet.");
  container.append(list, none, h("p", { class: "confrere-app__actions" }, more));
  let cursor = null;

  async function page(after) {
    more.disabled = true;
    try {
      const connection = await load(after);
      for (const edge of connection.edges) {
        list.append(h("li", {}, render(edge.node)));
      }
      cursor = connection.pageInfo.endCursor;
      more.hidden = !connection.pageInfo.hasNextPage;
      none.hidden = list.childElementCount > 0;
    } catch (error) {
      say(error.message, "error");
    } finally {
      more.disabled = false;
    }
  }

  more.addEventListener("click", () => page(cursor));
  more.hidden = true;
  none.hidden = true;
  const ready = page(null);
  return {
    ready,
    reload() {
      list.replaceChildren();
      return page(null);
    },
  };
}

/** A section of a page: a heading (h2) and what follows it. */
export function section(title, ...children) {
  return h("section", { class: "confrere-app__section" }, h("h2", {}, title), ...children);
}

/** After reading something here, bring the app bar's count for `path` up to date. */
export function barCount(path, label, count) {
  const link = document.querySelector(`.confrere-app__bar a[href="${CSS.escape(here(path))}"]`);
  if (link) link.textContent = count ? `${label} (${count})` : label;
}
