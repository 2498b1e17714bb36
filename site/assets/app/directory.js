// /app/directory/?organization=<slug>: browse and search an organization's member directory:
// words, filters, facets as clickable counts, and pages of members (each field as its owner
// lets the viewer see it).
import { field, fill, graphql, h, here, renderBar, requireViewer, say, showErrors, values } from "./confrere.js";

const ORGANIZATION = `query AppDirectoryOrganization($slug: String!) {
  organization(slug: $slug) { id name slug url }
}`;

const DIRECTORY = `query AppDirectory($organizationId: ID!, $query: String, $filter: DirectoryFilterInput,
                                 $first: Int, $after: String) {
  directory(organizationId: $organizationId, query: $query, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        membershipId name verified headline email phone location employer title industry
        school degree fieldOfStudy classYear isViewer
      }
    }
    facets { field values { value count } }
    suggestion correctedQuery
    userErrors { field code message }
  }
}`;

const PAGE_SIZE = 20;

/** Each facet: its heading and the filter a click on one of its values adds. */
const FACETS = {
  classYears: { title: "Class year", filter: "classYear" },
  degrees: { title: "Degree", filter: "degrees" },
  fieldsOfStudy: { title: "Field of study", filter: "fieldsOfStudy" },
  locations: { title: "Place", filter: "locations" },
  employers: { title: "Employer", filter: "employers" },
  industries: { title: "Industry", filter: "industries" },
};
const LIST_FILTERS = ["schools", "degrees", "fieldsOfStudy", "locations", "employers", "industries"];
const FILTER_NAMES = {
  schools: "School",
  degrees: "Degree",
  fieldsOfStudy: "Field of study",
  locations: "Place",
  employers: "Employer",
  industries: "Industry",
};

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();
const slug = new URLSearchParams(window.location.search).get("organization") || "";
const organization = await loadOrganization();

/** The facet values chosen by clicking, per filter list (schools come from the form). */
const chosen = Object.fromEntries(LIST_FILTERS.map((name) => [name, []]));
let after = null;
let shown = 0;

const form = h(
  "form",
  { class: "confrere-app__form confrere-app__search", role: "search", novalidate: true },
  field("Search members", { name: "query", type: "search", placeholder: "name, employer, school, place…" }),
  h(
    "div",
    { class: "confrere-app__filters" },
    field("School", { name: "school" }),
    field("Class of, from", { name: "classYearMin", type: "number", inputmode: "numeric", min: 1900, max: 2100 }),
    field("Class of, to", { name: "classYearMax", type: "number", inputmode: "numeric", min: 1900, max: 2100 }),
  ),
  h(
    "p",
    { class: "confrere-app__field confrere-app__check" },
    h("label", {}, h("input", { type: "checkbox", name: "verifiedOnly" }), " Verified alumni only"),
  ),
  h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Search")),
);
const chips = h("div", { class: "confrere-app__chips", "aria-label": "Filters in use" });
const summary = h("p", { class: "confrere-app__meta", role: "status", "aria-live": "polite" });
const facets = h("aside", { class: "confrere-app__facets", "aria-label": "Narrow by" });
const results = h("ul", { class: "confrere-app__list confrere-app__results" });
const more = h("button", { type: "button", class: "confrere-app__secondary", hidden: true }, "Show more");

if (organization) {
  const heading = document.querySelector("h1");
  if (heading) heading.textContent = `Directory of ${organization.name}`;
  document.title = `Directory of ${organization.name} — ${document.title}`;
  root.append(
    form,
    chips,
    h("div", { class: "confrere-app__browse" }, facets, h("div", { class: "confrere-app__hits" }, summary, results, more)),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search(true);
  });
  more.addEventListener("click", () => search(false));
  await search(true);
}

async function loadOrganization() {
  if (!slug) {
    say("No organization given: open a directory from your organizations.", "error");
    root.append(h("p", {}, h("a", { href: here("app/organizations/") }, "Your organizations")));
    return null;
  }
  try {
    const found = (await graphql(ORGANIZATION, { slug })).organization;
    if (!found) say("No organization has this address, or it is hidden from you.", "error");
    return found;
  } catch (error) {
    say(error.message, "error");
    return null;
  }
}

function currentFilter() {
  const entered = values(form);
  const filter = { verifiedOnly: Boolean(entered.verifiedOnly) };
  for (const name of LIST_FILTERS) filter[name] = [...chosen[name]];
  if (entered.school) filter.schools.push(entered.school);
  for (const name of ["classYearMin", "classYearMax"]) {
    if (entered[name]) filter[name] = Number.parseInt(entered[name], 10);
  }
  return { query: entered.query, filter };
}

async function search(fromStart) {
  if (fromStart) {
    after = null;
    shown = 0;
  }
  const { query, filter } = currentFilter();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  more.disabled = true;
  let connection;
  try {
    const data = await graphql(DIRECTORY, { organizationId: organization.id, query, filter, first: PAGE_SIZE, after });
    connection = data.directory;
  } catch (error) {
    say(error.message, "error");
    return;
  } finally {
    button.disabled = false;
    more.disabled = false;
  }
  if (showErrors(form, connection.userErrors)) {
    fill(summary, "Fix the search above and try again.");
    return;
  }
  say("");
  if (fromStart) results.replaceChildren();
  results.append(...connection.edges.map((edge) => entry(edge.node)));
  shown += connection.edges.length;
  after = connection.pageInfo.endCursor;
  more.hidden = !connection.pageInfo.hasNextPage;
  showSummary(connection);
  if (fromStart) {
    showChips();
    showFacets(connection.facets);
  }
}

function showSummary(connection) {
  const total = connection.totalCount;
  const parts = [total === 0 ? "No member matches." : `${total} ${total === 1 ? "member" : "members"}; showing ${shown}.`];
  if (connection.correctedQuery) parts.push(` Showing results for “${connection.correctedQuery}” instead.`);
  fill(summary, parts.join(""));
  if (connection.suggestion) {
    const suggestion = connection.suggestion;
    const button = h("button", { type: "button", class: "confrere-app__link-button" }, suggestion);
    button.addEventListener("click", () => {
      form.elements.query.value = suggestion;
      search(true);
    });
    summary.append(" Did you mean ", button, "?");
  }
}

function showChips() {
  const inUse = [];
  for (const name of LIST_FILTERS) {
    for (const value of chosen[name]) {
      const button = h(
        "button",
        { type: "button", class: "confrere-app__chip", "aria-label": `Remove the filter ${FILTER_NAMES[name]}: ${value}` },
        `${FILTER_NAMES[name]}: ${value} ×`,
      );
      button.addEventListener("click", () => {
        chosen[name] = chosen[name].filter((other) => other !== value);
        search(true);
      });
      inUse.push(button);
    }
  }
  fill(chips, inUse.length ? [h("span", { class: "confrere-app__meta" }, "Filters: "), inUse] : null);
}

function showFacets(list) {
  const groups = (list || []).filter((facet) => FACETS[facet.field] && facet.values.length);
  fill(
    facets,
    groups.length ? h("h2", { class: "confrere-app__facets-title" }, "Narrow by") : null,
    groups.map((facet) => {
      const spec = FACETS[facet.field];
      return h(
        "section",
        { class: "confrere-app__facet" },
        h("h3", {}, spec.title),
        h(
          "ul",
          { class: "confrere-app__facet-values" },
          facet.values.map((item) => {
            const button = h(
              "button",
              { type: "button", class: "confrere-app__link-button", "aria-label": `${spec.title}: ${item.value} (${item.count} ${item.count === 1 ? "member" : "members"})` },
              `${item.value} (${item.count})`,
            );
            button.addEventListener("click", () => choose(spec.filter, item.value));
            return h("li", {}, button);
          }),
        ),
      );
    }),
  );
}

function choose(filter, value) {
  if (filter === "classYear") {
    form.elements.classYearMin.value = value;
    form.elements.classYearMax.value = value;
  } else if (!chosen[filter].includes(value)) {
    chosen[filter].push(value);
  }
  search(true);
}

function entry(member) {
  const work = [member.title, member.employer].filter(Boolean).join(" at ");
  const education = [member.degree, member.fieldOfStudy, member.school, member.classYear ? `class of ${member.classYear}` : null]
    .filter(Boolean)
    .join(", ");
  const contact = [member.email, member.phone].filter(Boolean);
  return h(
    "li",
    { class: "confrere-app__member" },
    h(
      "p",
      { class: "confrere-app__member-name" },
      h("strong", {}, member.name),
      member.isViewer ? h("span", { class: "confrere-app__meta" }, " (you)") : null,
      member.verified ? h("span", { class: "confrere-app__badge" }, "Verified") : null,
    ),
    member.headline ? h("p", {}, member.headline) : null,
    work || member.industry ? h("p", { class: "confrere-app__meta" }, [work, member.industry].filter(Boolean).join(" · ")) : null,
    education ? h("p", { class: "confrere-app__meta" }, education) : null,
    member.location ? h("p", { class: "confrere-app__meta" }, member.location) : null,
    contact.length
      ? h(
          "p",
          { class: "confrere-app__meta" },
          member.email ? h("a", { href: `mailto:${member.email}` }, member.email) : null,
          member.email && member.phone ? " · " : null,
          member.phone ? h("a", { href: `tel:${member.phone.replace(/[^+\d]/g, "")}` }, member.phone) : null,
        )
      : null,
  );
}
