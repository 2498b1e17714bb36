/*
 * Confrere's member app: what every page of /app/ shares. A plain ES module, no dependencies,
 * no build step; a client of the public GraphQL API like any other.
 *
 * - The browser session is an HttpOnly cookie that `login` and `register` set: this code never
 *   sees a token. The cookie authenticates only JSON POSTs, which is all `graphql()` sends.
 * - Text from users reaches the DOM as text (`h()` sets textContent, never innerHTML); the only
 *   HTML inserted is what the API sanitized on save (`sanitized()`, for `…Html` fields).
 * - Errors from the API are shown in words: a mutation's `userErrors` next to the form field
 *   they name (`showErrors`), anything else in the page's status line (`say`).
 */

/** The site's root, from where this module is served (/assets/app/confrere.js). */
export const ROOT = new URL("../../", import.meta.url);

/** The address of a path of the site: `here("app/login/")`. */
export function here(path) {
  return new URL(path, ROOT).href;
}

const ENDPOINT = here("graphql");

/** An answer the API gave with `errors` (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, …). */
export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code || "ERROR";
  }
}

/**
 * Run one GraphQL document as the signed-in member (or anonymously) and return its `data`.
 * Throws ApiError with the first error's message and `extensions.code`.
 */
export async function graphql(query, variables) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query: query, variables: variables || {} }),
    });
  } catch (error) {
    throw new ApiError("The server could not be reached; check your connection and try again.", "NETWORK");
  }
  let body;
  try {
    body = await response.json();
  } catch (error) {
    throw new ApiError(`The server answered ${response.status} without a readable body; try again.`, "SERVER");
  }
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, (first.extensions && first.extensions.code) || "ERROR");
  }
  return body.data;
}

/**
 * Build an element: `h("a", { href: url, class: "x" }, "text", child)`. Strings become text
 * nodes; attributes starting with "on" become listeners; `null`/`false` children are skipped.
 */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name.startsWith("on")) {
      throw new TypeError(`h(): ${name} takes a function, not text`);
    } else if ((name === "href" || name === "src" || name === "action") && !safeAddress(value)) {
      continue; // a javascript: (or other scripting) address is never written
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

/** Whether an address may go in href/src: web, mail, phone, blob or relative; no scripts. */
function safeAddress(value) {
  const text = String(value).replace(/[\u0000-\u0020]/g, "").toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(text);
  return !scheme || ["http", "https", "mailto", "tel", "blob"].includes(scheme[1]);
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace an element's content with `children` (as `h` takes them). */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/**
 * HTML the API rendered and sanitized on save (`descriptionHtml`, `bodyHtml`, …), in a
 * container of its own. Never pass anything else here.
 */
export function sanitized(html, className) {
  const container = h("div", { class: className || "confrere-app__rich" });
  container.innerHTML = html || "";
  return container;
}

/** The page's status line (role=status): what is happening, done, or went wrong. */
export function say(text, kind) {
  let line = document.querySelector(".confrere-app__status");
  if (!line) {
    line = h("p", { class: "confrere-app__status", role: "status", "aria-live": "polite" });
    const root = document.querySelector(".confrere-app") || document.body;
    root.prepend(line);
  }
  line.textContent = text || "";
  line.setAttribute("data-kind", kind || "info");
  line.hidden = !text;
}

/**
 * Show a payload's `userErrors` next to the form fields they name (an input whose `name` is the
 * error's `field`, or its last dotted part), with aria-describedby; errors without a field (or
 * with one the form lacks) go in the form's own error line. Returns whether there were any.
 */
export function showErrors(form, userErrors) {
  for (const old of form.querySelectorAll(".confrere-app__field-error")) old.remove();
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  }
  let general = form.querySelector(".confrere-app__form-error");
  if (!general) {
    general = h("p", { class: "confrere-app__form-error", role: "alert" });
    form.prepend(general);
  }
  general.textContent = "";
  general.hidden = true;
  let firstInvalid = null;
  for (const error of userErrors || []) {
    const input = fieldFor(form, error.field);
    if (input) {
      const id = `${input.id || input.name}-error`;
      const line = h("span", { class: "confrere-app__field-error", id: id }, error.message);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", id);
      (input.closest("label") || input).after(line);
      firstInvalid = firstInvalid || input;
    } else {
      general.textContent = [general.textContent, error.message].filter(Boolean).join(" ");
      general.hidden = false;
    }
  }
  if (firstInvalid) firstInvalid.focus();
  return Boolean(userErrors && userErrors.length);
}

function fieldFor(form, field) {
  if (!field) return null;
  const names = [field, field.split(".").pop()];
  for (const name of names) {
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (input) return input;
  }
  return null;
}

/**
 * Run a mutation for a form: disables its submit button meanwhile, shows `userErrors` next to
 * the fields, and returns the payload (the `field` of `data`) when it had none, else null.
 * An ApiError (signed out, forbidden, …) goes in the form's error line.
 */
export async function submit(form, query, variables, field) {
  const button = form.querySelector("button[type=submit], button:not([type])");
  if (button) button.disabled = true;
  try {
    const data = await graphql(query, variables);
    const payload = data[field];
    if (showErrors(form, payload.userErrors)) return null;
    return payload;
  } catch (error) {
    showErrors(form, [{ field: null, message: error.message }]);
    return null;
  } finally {
    if (button) button.disabled = false;
  }
}

/** The values of a form's named controls, trimmed; empty text becomes null. */
export function values(form) {
  const result = {};
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "checkbox") {
      result[element.name] = element.checked;
    } else if (element.type === "radio") {
      if (element.checked) result[element.name] = element.value;
    } else {
      const value = element.value.trim();
      result[element.name] = value === "" ? null : value;
    }
  }
  return result;
}

/** A labelled form control: `field("Email", { name: "email", type: "email", required: true })`. */
export function field(label, attributes, control) {
  const id = attributes.id || `field-${attributes.name}`;
  const input = control || h("input", { type: "text", ...attributes, id: id });
  if (control && !control.id) control.id = id;
  return h("p", { class: "confrere-app__field" }, h("label", { for: input.id }, label), input);
}

const VIEWER = `query AppViewer {
  viewer {
    id email name emailVerified unreadNotificationCount unreadMessageCount person { id name }
  }
}`;

let viewerPromise = null;

/** The signed-in account (`viewer`), or null when nobody is signed in; asked once per page. */
export function currentViewer() {
  if (!viewerPromise) {
    viewerPromise = graphql(VIEWER).then((data) => data.viewer);
  }
  return viewerPromise;
}

/** The signed-in account; without one, off to the sign-in page, which comes back here after. */
export async function requireViewer() {
  const viewer = await currentViewer();
  if (!viewer) {
    const back = window.location.pathname + window.location.search;
    window.location.assign(here(`app/login/?next=${encodeURIComponent(back)}`));
    return new Promise(() => {}); // the page is going away
  }
  return viewer;
}

/** Where to go after signing in: `?next=` when it stays on this site, else the app's home. */
export function nextPage() {
  const next = new URLSearchParams(window.location.search).get("next");
  if (next && next.startsWith("/") && !next.startsWith("//")) return next;
  return here("app/");
}

const LOGOUT = "mutation AppLogout { logout { revokedSessions } }";

/** The app's bar: who is signed in, the app's sections, sign out (or sign in / register). */
export async function renderBar() {
  const root = document.querySelector(".confrere-app");
  if (!root) return null;
  const bar = h("nav", { class: "confrere-app__bar", "aria-label": "Member app" });
  root.before(bar);
  let viewer = null;
  try {
    viewer = await currentViewer();
  } catch (error) {
    say(error.message, "error");
  }
  if (!viewer) {
    fill(bar, h("a", { href: here("app/login/") }, "Sign in"), " ", h("a", { href: here("app/register/") }, "Create an account"));
    return null;
  }
  const unread = viewer.unreadNotificationCount;
  const messages = viewer.unreadMessageCount;
  const signOut = h("button", { type: "button", class: "confrere-app__link-button" }, "Sign out");
  signOut.addEventListener("click", async () => {
    signOut.disabled = true;
    try {
      await graphql(LOGOUT);
    } catch (error) {
      // Signed out already (an expired session): the cookie is gone either way.
    }
    window.location.assign(here("app/login/"));
  });
  fill(
    bar,
    h("a", { href: here("app/") }, "Home"),
    h("a", { href: here("app/notifications/") }, unread ? `Notifications (${unread})` : "Notifications"),
    h("a", { href: here("app/messages/") }, messages ? `Messages (${messages})` : "Messages"),
    h("span", { class: "confrere-app__who" }, viewer.name || viewer.email),
    signOut,
  );
  return viewer;
}

/** Dates the way people read them, in their own zone: "7 Dec 2026, 14:05". */
export function when(iso, withTime) {
  if (!iso) return "";
  const date = new Date(iso);
  const options = withTime
    ? { dateStyle: "medium", timeStyle: "short" }
    : { dateStyle: "medium" };
  return new Intl.DateTimeFormat(undefined, options).format(date);
}
