// /app/saved-searches/: the viewer's saved job searches (Account.savedJobSearches): save one
// (saveJobSearch: a query and filters, checked as searchJobs checks them), how often it
// alerts (setSavedSearchAlert), how many postings are new since it last ran, run it, forget it.
import { field, fill, graphql, h, renderBar, requireViewer, say, showErrors, values, when } from "./confrere.js";
import {
  EMPLOYMENTS,
  FREQUENCIES,
  WORKPLACES,
  checkboxes,
  commaList,
  label,
  pagedList,
  select,
  send,
  ticked,
} from "./choices.js";

const ERRORS = "userErrors { field code message }";
const SEARCH_FIELDS = "id name query filter createdAt lastRunAt alertFrequency lastAlertAt newSinceLastRun";
const SEARCHES = `query AppSavedJobSearches($after: String) {
  viewer { savedJobSearches(first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${SEARCH_FIELDS} } }
  } }
}`;
const SAVE = `mutation AppSaveJobSearch($input: SaveJobSearchInput!) {
  saveJobSearch(input: $input) { savedJobSearch { ${SEARCH_FIELDS} } ${ERRORS} }
}`;
const ALERT = `mutation AppSavedSearchAlert($input: SetSavedSearchAlertInput!) {
  setSavedSearchAlert(input: $input) { savedJobSearch { ${SEARCH_FIELDS} } ${ERRORS} }
}`;
const DELETE = `mutation AppDeleteSavedSearch($input: DeleteSavedSearchInput!) {
  deleteSavedSearch(input: $input) { deletedSavedSearchId ${ERRORS} }
}`;
const RUN = `query AppRunSavedSearch($id: ID!) {
  node(id: $id) { ... on SavedJobSearch { ${SEARCH_FIELDS}
    results(first: 10) { totalCount edges { node { id title url hiringOrganization { name } } } userErrors { message } }
  } }
}`;

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();

/** The filters of a saved search in words. */
function describe(filter) {
  const parts = [];
  if (filter.cities && filter.cities.length) parts.push(`in ${filter.cities.join(", ")}`);
  if (filter.countries && filter.countries.length) parts.push(`countries ${filter.countries.join(", ")}`);
  if (filter.workplaceTypes && filter.workplaceTypes.length) parts.push(filter.workplaceTypes.map((t) => label(WORKPLACES, t)).join(" or "));
  if (filter.employmentTypes && filter.employmentTypes.length) parts.push(filter.employmentTypes.map((t) => label(EMPLOYMENTS, t)).join(" or "));
  if (filter.skills && filter.skills.length) parts.push(`skills ${filter.skills.join(", ")}`);
  if (filter.salaryAtLeast) parts.push(`pay up to at least ${filter.salaryAtLeast} a year`);
  return parts.join("; ");
}

function item(search) {
  const li = h("li", { "data-saved-search-id": search.id });
  draw(li, search);
  return li;
}

function draw(li, search) {
  const alertForm = h(
    "form",
    { class: "confrere-app__inline-form", novalidate: true },
    h("label", { for: `alert-${search.id}` }, `Alerts for ${search.name}`),
    " ",
    select("alertFrequency", FREQUENCIES, search.alertFrequency, { id: `alert-${search.id}` }),
    " ",
    h("button", { type: "submit", class: "confrere-app__secondary" }, "Save alerts"),
  );
  alertForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = { id: search.id, alertFrequency: values(alertForm).alertFrequency };
    const payload = await send(alertForm, ALERT, { input: input }, "setSavedSearchAlert");
    if (payload) say(`Alerts for ${search.name}: ${label(FREQUENCIES, payload.savedJobSearch.alertFrequency)}.`, "ok");
  });
  const results = h("div", { class: "confrere-app__results" });
  const run = h("button", { type: "button" }, `Run ${search.name}`);
  run.addEventListener("click", async () => {
    run.disabled = true;
    try {
      const ran = (await graphql(RUN, { id: search.id })).node;
      const found = ran.results;
      fill(
        results,
        found.userErrors.length ? h("p", { class: "confrere-app__form-error" }, found.userErrors.map((e) => e.message).join(" ")) : null,
        h("p", {}, `${found.totalCount} ${found.totalCount === 1 ? "posting matches" : "postings match"}; ${ran.newSinceLastRun} new since the run before.`),
        h(
          "ul",
          {},
          found.edges.map(({ node }) =>
            h(
              "li",
              {},
              node.url ? h("a", { href: node.url }, node.title) : node.title,
              node.hiringOrganization ? ` — ${node.hiringOrganization.name}` : "",
            ),
          ),
        ),
      );
      meta.textContent = metaText(ran);
    } catch (error) {
      say(error.message, "error");
    } finally {
      run.disabled = false;
    }
  });
  const remove = h("button", { type: "button", class: "confrere-app__secondary" }, `Delete ${search.name}`);
  remove.addEventListener("click", async () => {
    if (!window.confirm(`Delete the saved search ${search.name}?`)) return;
    remove.disabled = true;
    try {
      const payload = (await graphql(DELETE, { input: { id: search.id } })).deleteSavedSearch;
      if (payload.userErrors.length) {
        say(payload.userErrors.map((error) => error.message).join(" "), "error");
        remove.disabled = false;
        return;
      }
      li.remove();
      say(`${search.name} is deleted.`, "ok");
    } catch (error) {
      say(error.message, "error");
      remove.disabled = false;
    }
  });
  const meta = h("p", { class: "confrere-app__meta" }, metaText(search));
  const filters = describe(search.filter || {});
  fill(
    li,
    h("h3", {}, search.name),
    h("p", {}, search.query ? `“${search.query}”` : "Any posting", filters ? ` — ${filters}` : ""),
    meta,
    alertForm,
    h("p", { class: "confrere-app__actions" }, run, " ", remove),
    results,
  );
}

function metaText(search) {
  const ran = search.lastRunAt ? `last run ${when(search.lastRunAt, true)}` : "not run yet";
  return `${search.newSinceLastRun} new since last run · ${ran} · saved ${when(search.createdAt)}`;
}

const form = h(
  "form",
  { class: "confrere-app__form", novalidate: true },
  field("Name (optional)", { name: "name" }),
  field("Search words", { name: "query", type: "search", placeholder: "python AND (django OR flask)" }),
  field("Cities (comma separated)", { name: "filter.cities" }),
  field("Countries (ISO codes, comma separated)", { name: "filter.countries", placeholder: "DE, FR" }),
  checkboxes("Workplace", "filter.workplaceTypes", WORKPLACES, []),
  checkboxes("Employment", "filter.employmentTypes", EMPLOYMENTS, []),
  field("Skills, all required (comma separated)", { name: "filter.skills" }),
  field("Yearly pay at least", { name: "filter.salaryAtLeast", type: "number", min: 0, step: 1000 }),
  field("Alerts", { name: "alertFrequency" }, select("alertFrequency", FREQUENCIES, "OFF")),
  h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Save search")),
);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const typed = values(form);
  const salary = typed["filter.salaryAtLeast"];
  if (salary !== null && !/^\d+$/.test(salary)) {
    showErrors(form, [{ field: "filter.salaryAtLeast", message: "Give the yearly pay as a whole number, like 60000." }]);
    return;
  }
  const input = {
    name: typed.name,
    query: typed.query,
    alertFrequency: typed.alertFrequency,
    filter: {
      cities: commaList(typed["filter.cities"]),
      countries: commaList(typed["filter.countries"]).map((code) => code.toUpperCase()),
      workplaceTypes: ticked(form, "filter.workplaceTypes"),
      employmentTypes: ticked(form, "filter.employmentTypes"),
      skills: commaList(typed["filter.skills"]),
      salaryAtLeast: salary === null ? null : Number(salary),
    },
  };
  const payload = await send(form, SAVE, { input: input }, "saveJobSearch", "query");
  if (!payload) return;
  form.reset();
  say(`${payload.savedJobSearch.name} is saved.`, "ok");
  list.list.prepend(item(payload.savedJobSearch));
  list.empty.hidden = true;
});

const listSection = h("section", { class: "confrere-app__section" }, h("h2", {}, "Your saved searches"));
root.append(h("section", { class: "confrere-app__section" }, h("h2", {}, "Save a job search"), form), listSection);
const list = pagedList(
  listSection,
  async (after) => (await graphql(SEARCHES, { after: after })).viewer.savedJobSearches,
  item,
  "You have no saved search yet.",
);
await list.reload();
