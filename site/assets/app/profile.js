// /app/profile/: the viewer's profile (updateProfile): who they are, where, their links, and
// who may see the profile and, apart, its contact details.
import { field, fill, h, renderBar, requireViewer, say, submit, values, graphql } from "./confrere.js";
import { AUDIENCES, select } from "./choices.js";

const PROFILE = `query AppProfile {
  viewer {
    person {
      id name headline summary industry email phone visibility contactVisibility
      location { city region countryCode }
      links { network username url }
    }
  }
}`;

const UPDATE = `mutation AppUpdateProfile($input: UpdateProfileInput!) {
  updateProfile(input: $input) { person { id name } userErrors { field code message } }
}`;

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();

let person;
try {
  person = (await graphql(PROFILE)).viewer.person;
} catch (error) {
  say(error.message, "error");
}

function linkRow(link, index) {
  const row = h(
    "fieldset",
    { class: "confrere-app__entry" },
    h("legend", {}, `Link ${index + 1}`),
    field("Site (like GitHub)", { name: `links[${index}].network`, value: link.network || "" }),
    field("Your name there", { name: `links[${index}].username`, value: link.username || "" }),
    field("Address", { name: `links[${index}].url`, type: "url", value: link.url || "" }),
  );
  const remove = h("button", { type: "button", class: "confrere-app__secondary" }, `Remove link ${index + 1}`);
  remove.addEventListener("click", () => {
    links = typedLinks();
    links.splice(index, 1);
    drawLinks();
  });
  row.append(h("p", {}, remove));
  return row;
}

/** The links as typed so far (so adding or removing one keeps the others' edits). */
function typedLinks() {
  return links.map((_, index) => ({
    network: form.querySelector(`[name="links[${index}].network"]`)?.value.trim() || "",
    username: form.querySelector(`[name="links[${index}].username"]`)?.value.trim() || "",
    url: form.querySelector(`[name="links[${index}].url"]`)?.value.trim() || "",
  }));
}

let links = person ? person.links.map((link) => ({ ...link })) : [];
const linkBox = h("div", {});
function drawLinks() {
  fill(linkBox, links.map(linkRow));
}

const addLink = h("button", { type: "button", class: "confrere-app__secondary" }, "Add a link");
addLink.addEventListener("click", () => {
  links = typedLinks();
  links.push({ network: "", username: "", url: "" });
  drawLinks();
  linkBox.querySelector("fieldset:last-of-type input").focus();
});

const place = (person && person.location) || {};
const form = h(
  "form",
  { class: "confrere-app__form", novalidate: true },
  field("Name", { name: "name", autocomplete: "name", value: person?.name || "", required: true }),
  field("Headline", { name: "headline", value: person?.headline || "", placeholder: "Backend engineer, Python and PostgreSQL" }),
  field("Summary", { name: "summary" }, h("textarea", { name: "summary", rows: 5 }, person?.summary || "")),
  field("Industry", { name: "industry", value: person?.industry || "" }),
  h(
    "fieldset",
    { class: "confrere-app__entry" },
    h("legend", {}, "Where you are"),
    field("City", { name: "city", value: place.city || "" }),
    field("Region", { name: "region", value: place.region || "" }),
    field("Country code (like DE or US)", { name: "countryCode", value: place.countryCode || "", size: 4 }),
  ),
  h(
    "fieldset",
    { class: "confrere-app__entry" },
    h("legend", {}, "Contact details"),
    field("Contact email", { name: "email", type: "email", value: person?.email || "" }),
    field("Phone", { name: "phone", type: "tel", value: person?.phone || "" }),
  ),
  h("h2", {}, "Links"),
  linkBox,
  h("p", {}, addLink),
  h("h2", {}, "Who sees your profile"),
  field("Profile visible to", { name: "visibility" }, select("visibility", AUDIENCES, person?.visibility || "PUBLIC")),
  field(
    "Contact details visible to",
    { name: "contactVisibility" },
    select("contactVisibility", AUDIENCES, person?.contactVisibility || "CONNECTIONS"),
  ),
  h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Save profile")),
);
drawLinks();
root.append(form);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const typed = values(form);
  const input = {
    name: typed.name || "",
    headline: typed.headline || "",
    summary: typed.summary || "",
    industry: typed.industry || "",
    city: typed.city || "",
    region: typed.region || "",
    countryCode: typed.countryCode || "",
    email: typed.email || "",
    phone: typed.phone || "",
    visibility: typed.visibility,
    contactVisibility: typed.contactVisibility,
    links: typedLinks().filter((link) => link.network || link.username || link.url),
  };
  say("");
  const payload = await submit(form, UPDATE, { input: input }, "updateProfile");
  if (payload) say("Your profile is saved.", "ok");
});
