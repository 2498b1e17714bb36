// What the member app's pages share: the API's enums in words, selects and checkbox groups
// built from them, a "Show more" list over a cursor connection, and reading a file as text.
import { graphql, h, say, showErrors } from "./confrere.js";

/** Who may see a profile or resume (the API's Visibility), in words. */
export const AUDIENCES = [
  ["PRIVATE", "Only me"],
  ["CONNECTIONS", "My connections"],
  ["MEMBERS", "Members of my organizations"],
  ["EMPLOYERS", "Verified employers"],
  ["PUBLIC", "Everyone (public)"],
];

export const WORKPLACES = [
  ["ON_SITE", "On site"],
  ["HYBRID", "Hybrid"],
  ["REMOTE", "Remote"],
];

export const EMPLOYMENTS = [
  ["FULL_TIME", "Full time"],
  ["PART_TIME", "Part time"],
  ["CONTRACTOR", "Contractor"],
  ["TEMPORARY", "Temporary"],
  ["INTERN", "Internship"],
  ["VOLUNTEER", "Volunteer"],
  ["PER_DIEM", "Per diem"],
  ["OTHER", "Other"],
];

export const STAGES = {
  SUBMITTED: "Submitted",
  REVIEWING: "Being reviewed",
  INTERVIEW: "Interview",
  OFFER: "Offer",
  HIRED: "Hired",
  REJECTED: "Not selected",
  WITHDRAWN: "Withdrawn",
};

export const FREQUENCIES = [
  ["OFF", "No alerts"],
  ["DAILY", "Daily"],
  ["WEEKLY", "Weekly"],
];

/** The words for one of `pairs`' values. */
export function label(pairs, value) {
  const found = pairs.find(([key]) => key === value);
  return found ? found[1] : value;
}

/** A <select name=…> of `pairs` ([value, words]) with `selected` chosen. */
export function select(name, pairs, selected, attributes) {
  return h(
    "select",
    { name: name, ...(attributes || {}) },
    pairs.map(([value, words]) => h("option", { value: value, selected: value === selected }, words)),
  );
}

/** A fieldset of checkboxes named `name`, one per pair, those in `checked` ticked. */
export function checkboxes(legend, name, pairs, checked) {
  const chosen = new Set(checked || []);
  return h(
    "fieldset",
    { class: "confrere-app__choices" },
    h("legend", {}, legend),
    pairs.map(([value, words]) =>
      h(
        "label",
        { class: "confrere-app__choice" },
        h("input", { type: "checkbox", name: name, value: value, checked: chosen.has(value) }),
        ` ${words}`,
      ),
    ),
  );
}

/** The ticked values of the checkboxes named `name` in `form`. */
export function ticked(form, name) {
  return [...form.querySelectorAll(`input[type=checkbox][name="${CSS.escape(name)}"]:checked`)].map((box) => box.value);
}

/** "a, b ,c" → ["a", "b", "c"]. */
export function commaList(text) {
  return (text || "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * A list over a cursor connection: `load(after)` returns the connection ({edges, pageInfo,
 * totalCount}); `item(node)` builds one <li>. Appends a "Show more" button while there is more.
 */
export function pagedList(container, load, item, empty) {
  const list = h("ul", { class: "confrere-app__list" });
  const more = h("button", { type: "button", class: "confrere-app__secondary" }, "Show more");
  const nothing = h("p", { class: "confrere-app__meta confrere-app__empty" }, empty);
  nothing.hidden = true;
  more.hidden = true;
  container.append(list, nothing, h("p", {}, more));
  let cursor = null;
  async function page() {
    more.disabled = true;
    try {
      const connection = await load(cursor);
      for (const edge of connection.edges) list.append(item(edge.node));
      cursor = connection.pageInfo.endCursor;
      more.hidden = !connection.pageInfo.hasNextPage;
      nothing.hidden = list.children.length > 0;
    } catch (error) {
      say(error.message, "error");
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener("click", page);
  return { list: list, empty: nothing, reload: () => { list.replaceChildren(); cursor = null; return page(); } };
}

/** The text of a chosen file, read with FileReader. */
export function readText(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error || new Error("The file could not be read."));
    reader.readAsText(file);
  });
}

/** Offer `text` as a file download named `name`, built in the browser (a Blob). */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type: type || "application/json" }));
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Point each error at the nearest control the form has: "work[0].highlights[1]" goes to the
 * control named "work[0].highlights", else "work[0]", else "work", else `fallback` (with the
 * path said in words, so "In work[0].startDate: …" still tells where). Errors without a field
 * stay general.
 */
export function nearest(form, userErrors, fallback) {
  return (userErrors || []).map((error) => {
    if (!error.field) return error;
    let path = error.field;
    while (path) {
      if (form.querySelector(`[name="${CSS.escape(path)}"]`)) {
        const message = path === error.field ? error.message : `In ${error.field}: ${error.message}`;
        return { field: path, message: message };
      }
      const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
      path = cut > 0 ? path.slice(0, cut) : "";
    }
    return { field: fallback || null, message: `In ${error.field}: ${error.message}` };
  });
}

/**
 * Like confrere.js's `submit`, but each userError goes to the nearest control (`nearest`).
 * Returns the payload when it had no errors, else null.
 */
export async function send(form, query, variables, name, fallback) {
  const button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  try {
    const data = await graphql(query, variables);
    const payload = data[name];
    if (showErrors(form, nearest(form, payload.userErrors, fallback))) return null;
    return payload;
  } catch (error) {
    showErrors(form, [{ field: null, message: error.message }]);
    return null;
  } finally {
    if (button) button.disabled = false;
  }
}
