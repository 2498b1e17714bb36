// /app/candidates/: search the candidates the employer may see. The whole search lives in the
// address (?query=…&skill=…&city=…; not ?q=, which the theme takes to open its own search), so
// it can be shared, reloaded and gone back to; facets add filters, chips take them away, "did
// you mean" reruns with the suggestion, and a search can be saved (saveCandidateSearch).
import { fill, graphql, h, here, renderBar, requireViewer, say, showErrors, when } from "./confrere.js";

/** The list filters kept in the address: [parameter, filter field, chip words]. */
const LISTS = [
  ["skill", "skills", "Skill"],
  ["city", "cities", "City"],
  ["country", "countries", "Country"],
  ["school", "schools", "School"],
  ["title", "currentTitles", "Current title"],
  ["exp", null, "Years of experience"],
];
/** Facets the API counts, and the address parameter a click on one of their values adds. */
const FACETS = {
  skills: ["Skills", "skill"],
  locations: ["Places", "city"],
  titles: ["Current titles", "title"],
  schools: ["Schools", "school"],
  experience: ["Years of experience", "exp"],
};
/** The experience facet's buckets (the index's), as year ranges. */
const BUCKETS = { "0-2": [0, 3], "3-5": [3, 6], "6-10": [6, 11], "11-15": [11, 16], "16+": [16, null] };
const HIGHLIGHT_WORDS = { title: "Title", skills: "Skills", summary: "Summary", work: "Work" };

const RESULT = `
  totalCount
  pageInfo { hasNextPage endCursor }
  facets { field values { value count } }
  suggestion correctedQuery
  userErrors { field code message }
  audienceNotice { reason message }
  edges {
    cursor matchedSkills
    highlights { field snippet }
    node {
      id title url updatedAt yearsOfExperience currentTitle currentEmployer
      basics { name label location { city region countryCode } }
      owner { id name headline }
    }
  }
`;

const SEARCH = `query AppCandidates($query: String, $filter: CandidateFilterInput, $sort: CandidateSort, $after: String) {
  searchCandidates(query: $query, filter: $filter, sort: $sort, first: 20, after: $after) { ${RESULT} }
}`;

const SAVE = `mutation AppSaveCandidateSearch($input: SaveCandidateSearchInput!) {
  saveCandidateSearch(input: $input) { savedSearch { id name } userErrors { field code message } }
}`;

const SAVED = `query AppSavedCandidateSearches {
  savedSearches(first: 100) { totalCount edges { node { id name query filter sort createdAt } } }
}`;

const FORGET = `mutation AppForgetSavedSearch($input: DeleteSavedSearchInput!) {
  deleteSavedSearch(input: $input) { deletedSavedSearchId userErrors { field code message } }
}`;

/** A saved search's filter (as the API keeps it) back to the address's lists. */
const SAVED_LISTS = {
  skill: ["skills"],
  city: ["cities"],
  country: ["countries"],
  school: ["schools"],
  title: ["current_titles", "currentTitles"],
};

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();

const form = h("form", { class: "confrere-app__search", role: "search" });
const chips = h("div", { class: "confrere-app__chips", role: "group", "aria-label": "Filters in use" });
const notice = h("div", {});
const meta = h("p", { class: "confrere-app__meta", "aria-live": "polite", tabindex: "-1" });
const facets = h("div", { class: "confrere-app__facets" });
const results = h("ol", { class: "confrere-app__list confrere-app__results" });
const more = h("button", { type: "button", class: "confrere-app__secondary", hidden: true }, "Show more");
const saveForm = h("form", { class: "confrere-app__save" });
const savedList = h("section", { class: "confrere-app__saved" });
const facetsColumn = h("aside", { class: "confrere-app__facets-column", "aria-label": "Narrow the results" }, facets);
const layout = h("div", { class: "confrere-app__search-layout" }, facetsColumn, h("div", {}, meta, results, more, saveForm, savedList));
let cursor = null;

root.append(
  form,
  chips,
  notice,
  layout,
);

/** The search the address holds. */
function state() {
  const params = new URLSearchParams(window.location.search);
  const lists = {};
  for (const [param] of LISTS) lists[param] = params.getAll(param).filter(Boolean);
  return {
    q: params.get("query") || "",
    sort: params.get("sort") || "",
    minYears: params.get("minYears") || "",
    maxYears: params.get("maxYears") || "",
    open: params.get("open") === "1",
    lists: lists,
  };
}

/** Put a search in the address (a new history entry) and run it. */
function go(search) {
  window.history.pushState(null, "", address(search));
  run(false, true);
}

/** The address of a search on this page. */
function address(search) {
  const params = new URLSearchParams();
  if (search.q) params.set("query", search.q);
  for (const [param] of LISTS) for (const value of search.lists[param]) params.append(param, value);
  if (search.minYears) params.set("minYears", search.minYears);
  if (search.maxYears) params.set("maxYears", search.maxYears);
  if (search.open) params.set("open", "1");
  if (search.sort) params.set("sort", search.sort);
  const query = params.toString();
  return query ? `?${query}` : window.location.pathname;
}

/** The API's filter for a search. */
function filterOf(search) {
  const filter = {};
  for (const [param, field] of LISTS) if (field && search.lists[param].length) filter[field] = search.lists[param];
  let min = search.minYears === "" ? null : Number(search.minYears);
  let max = search.maxYears === "" ? null : Number(search.maxYears);
  const buckets = search.lists.exp.map((label) => BUCKETS[label]).filter(Boolean);
  if (buckets.length) {
    const low = Math.min(...buckets.map(([from]) => from));
    const high = buckets.some(([, to]) => to === null) ? null : Math.max(...buckets.map(([, to]) => to)) - 0.01;
    min = min === null ? low : Math.max(min, low);
    max = high === null ? max : max === null ? high : Math.min(max, high);
  }
  if (min !== null && !Number.isNaN(min)) filter.minYearsOfExperience = min;
  if (max !== null && !Number.isNaN(max)) filter.maxYearsOfExperience = max;
  if (search.open) filter.openToWorkOnly = true;
  return filter;
}

function drawForm(search) {
  const sorts = [
    ["", "Best first (by relevance with words, newest without)"],
    ["RELEVANCE", "Relevance"],
    ["RECENCY", "Most recently updated"],
  ];
  const text = (label, name, value, hint, attributes) =>
    h(
      "p",
      { class: "confrere-app__field" },
      h("label", { for: `search-${name}` }, label),
      h("input", { type: "text", id: `search-${name}`, name: name, value: value, "aria-describedby": hint ? `search-${name}-hint` : null, ...(attributes || {}) }),
      hint ? h("span", { class: "confrere-app__meta", id: `search-${name}-hint` }, hint) : null,
    );
  fill(
    form,
    text("Search candidates", "query", search.q, "Words, AND / OR / NOT, \"exact phrases\", (parentheses), title:, skill:, company:, school:, name:, and a trailing * for prefixes.", {
      type: "search",
      autocomplete: "off",
    }),
    h(
      "details",
      { class: "confrere-app__syntax" },
      h("summary", {}, "Query examples"),
      h(
        "ul",
        {},
        h("li", {}, h("code", {}, 'python AND "data pipelines"'), " — both, the phrase as written"),
        h("li", {}, h("code", {}, "rust OR go NOT title:intern"), " — either skill, no interns"),
        h("li", {}, h("code", {}, "skill:k8s company:globex"), " — a skill (synonyms fold) and a past employer"),
        h("li", {}, h("code", {}, "engin*"), " — words starting with engin"),
      ),
    ),
    h(
      "details",
      { class: "confrere-app__filters", open: Boolean(search.minYears || search.maxYears || search.open || search.sort) },
      h("summary", {}, "More filters"),
      text("Must have skills", "skills", "", "Separated by commas; added to the skills in use."),
      text("Cities", "cities", "", "Separated by commas."),
      text("Countries", "countries", "", "Two-letter codes, like PT, separated by commas."),
      text("At least this many years of work", "minYearsOfExperience", search.minYears, null, { type: "number", min: 0, step: "0.5", inputmode: "decimal" }),
      text("At most this many years of work", "maxYearsOfExperience", search.maxYears, null, { type: "number", min: 0, step: "0.5", inputmode: "decimal" }),
      h(
        "p",
        { class: "confrere-app__choice" },
        h("input", { type: "checkbox", id: "search-open", name: "openToWorkOnly", checked: search.open }),
        h("label", { for: "search-open" }, "Only candidates open to work"),
      ),
      h(
        "p",
        { class: "confrere-app__field" },
        h("label", { for: "search-sort" }, "Order"),
        h("select", { id: "search-sort", name: "sort" }, sorts.map(([value, words]) => h("option", { value: value, selected: value === search.sort }, words))),
      ),
    ),
    h("div", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Search")),
  );
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const search = state();
  const read = (name) => form.querySelector(`[name="${name}"]`).value.trim();
  const split = (name) => read(name).split(",").map((v) => v.trim()).filter(Boolean);
  search.q = read("query");
  const add = (param, values) => {
    for (const value of values) if (!search.lists[param].includes(value)) search.lists[param].push(value);
  };
  add("skill", split("skills"));
  add("city", split("cities"));
  add("country", split("countries").map((c) => c.toUpperCase()));
  search.minYears = read("minYearsOfExperience");
  search.maxYears = read("maxYearsOfExperience");
  search.open = form.querySelector("[name=openToWorkOnly]").checked;
  search.sort = read("sort");
  go(search);
});

function drawChips(search) {
  const chipList = [];
  for (const [param, , words] of LISTS) {
    for (const value of search.lists[param]) {
      const shown = param === "exp" ? `${value} years` : value;
      chipList.push(
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "confrere-app__chip",
              "aria-label": `Remove the filter ${words}: ${shown}`,
              onclick: () => {
                const next = state();
                next.lists[param] = next.lists[param].filter((v) => v !== value);
                go(next);
              },
            },
            `${words}: ${shown}`,
            h("span", { "aria-hidden": "true" }, " ×"),
          ),
        ),
      );
    }
  }
  if (search.open) {
    chipList.push(
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: "confrere-app__chip", "aria-label": "Remove the filter open to work", onclick: () => go({ ...state(), open: false }) },
          "Open to work",
          h("span", { "aria-hidden": "true" }, " ×"),
        ),
      ),
    );
  }
  fill(chips, chipList.length ? [h("span", { class: "confrere-app__meta" }, "Filters: "), h("ul", {}, chipList)] : null);
}

function drawFacets(search, list) {
  const groups = [];
  for (const facet of list) {
    const known = FACETS[facet.field];
    if (!known || !facet.values.length) continue;
    const [title, param] = known;
    groups.push(
      h(
        "section",
        { class: "confrere-app__facet" },
        h("h3", {}, title),
        h(
          "ul",
          {},
          facet.values.map((entry) => {
            const value = facetValue(facet.field, entry.value);
            const active = search.lists[param].includes(value);
            return h(
              "li",
              {},
              h(
                "button",
                {
                  type: "button",
                  class: "confrere-app__link-button",
                  "aria-pressed": active ? "true" : "false",
                  disabled: active,
                  onclick: () => {
                    const next = state();
                    if (!next.lists[param].includes(value)) next.lists[param].push(value);
                    go(next);
                  },
                },
                facet.field === "experience" ? `${entry.value} years` : entry.value,
              ),
              h("span", { class: "confrere-app__meta" }, ` (${entry.count})`),
            );
          }),
        ),
      ),
    );
  }
  // Beside the results on a wide screen; folded away above them on a narrow one.
  const wide = window.matchMedia("(min-width: 45em)").matches;
  facetsColumn.hidden = !groups.length;
  layout.setAttribute("data-facets", groups.length ? "some" : "none");
  fill(
    facets,
    groups.length
      ? h("details", { class: "confrere-app__facets-box", open: wide }, h("summary", {}, "Narrow down"), groups)
      : null,
  );
}

/** What a facet value filters on: a place facet ("Lisbon, PT") narrows by its city. */
function facetValue(field, value) {
  if (field !== "locations") return value;
  const parts = value.split(",").map((p) => p.trim());
  return parts.length > 1 ? parts.slice(0, -1).join(", ") : parts[0];
}

/**
 * A highlight snippet: the API escapes the resume's text and wraps the matched words in
 * <mark>. It is parsed in an inert document and rebuilt here as text and <mark>s only.
 */
function marked(snippet) {
  const parsed = new DOMParser().parseFromString(`<body>${snippet}</body>`, "text/html");
  return [...parsed.body.childNodes].map((node) =>
    node.nodeName === "MARK" ? h("mark", {}, node.textContent) : node.textContent,
  );
}

function resultItem(edge) {
  const resume = edge.node;
  const basics = resume.basics || {};
  const owner = resume.owner;
  const name = basics.name || (owner && owner.name) || resume.title;
  const place = basics.location ? [basics.location.city, basics.location.countryCode].filter(Boolean).join(", ") : "";
  const role = basics.label || resume.currentTitle || (owner && owner.headline) || "";
  const facts = [
    resume.currentTitle && resume.currentEmployer ? `${resume.currentTitle} at ${resume.currentEmployer}` : null,
    place || null,
    `${Math.round(resume.yearsOfExperience * 10) / 10} years of work`,
    `updated ${when(resume.updatedAt)}`,
  ];
  return h(
    "li",
    { class: "confrere-app__candidate" },
    h("h3", {}, resume.url ? h("a", { href: resume.url }, name) : name, role ? h("span", { class: "confrere-app__meta" }, ` — ${role}`) : null),
    h("p", { class: "confrere-app__meta" }, facts.filter(Boolean).join(" · ")),
    edge.matchedSkills.length ? h("p", {}, "Matched skills: ", edge.matchedSkills.join(", ")) : null,
    edge.highlights.length
      ? h(
          "dl",
          { class: "confrere-app__highlights" },
          edge.highlights.map((highlight) => [
            h("dt", {}, HIGHLIGHT_WORDS[highlight.field] || highlight.field),
            h("dd", {}, marked(highlight.snippet)),
          ]),
        )
      : null,
    owner ? h("div", { class: "confrere-app__actions" }, h("a", { href: here(`app/messages/?to=${encodeURIComponent(owner.id)}`) }, `Message ${owner.name}`)) : null,
  );
}

function drawSave(search) {
  const id = "save-name";
  fill(
    saveForm,
    h("h2", {}, "Save this search"),
    h(
      "p",
      { class: "confrere-app__field" },
      h("label", { for: id }, "Name"),
      h("input", { type: "text", id: id, name: "name", value: search.q || "", maxlength: 200 }),
    ),
    h("div", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Save this search")),
  );
}

saveForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const search = state();
  const button = saveForm.querySelector("button");
  button.disabled = true;
  try {
    const input = {
      name: saveForm.querySelector("[name=name]").value.trim(),
      query: search.q || null,
      filter: filterOf(search),
      sort: search.sort || "RELEVANCE",
    };
    const payload = (await graphql(SAVE, { input: input })).saveCandidateSearch;
    if (!showErrors(saveForm, payload.userErrors)) {
      say(`Saved as “${payload.savedSearch.name}”.`, "ok");
      await drawSaved();
    }
  } catch (error) {
    showErrors(saveForm, [{ field: null, message: error.message }]);
  } finally {
    button.disabled = false;
  }
});

/** Run the address's search: a new one (`append` false) or its next page; `focus` moves the
 * focus to the count of results once they are in (the controls it was on were redrawn). */
async function run(append, focus) {
  const search = state();
  if (!append) {
    say("");
    cursor = null;
    drawForm(search);
    drawChips(search);
    drawSave(search);
    meta.textContent = "Searching…";
  }
  more.disabled = true;
  try {
    const variables = { query: search.q || null, filter: filterOf(search), sort: search.sort || null, after: cursor };
    const result = (await graphql(SEARCH, variables)).searchCandidates;
    if (showErrors(form, result.userErrors)) {
      meta.textContent = "Nothing searched: fix the query.";
      facetsColumn.hidden = true;
      layout.setAttribute("data-facets", "none");
      fill(results);
      fill(facets);
      fill(notice);
      more.hidden = true;
      saveForm.hidden = true;
      return;
    }
    saveForm.hidden = false;
    if (!append) {
      fill(results);
      drawFacets(search, result.facets);
      drawNotice(search, result);
    }
    results.append(...result.edges.map(resultItem));
    meta.textContent = result.totalCount === 1 ? "1 candidate." : `${result.totalCount} candidates.`;
    if (!result.totalCount) meta.textContent = "No candidates match.";
    cursor = result.pageInfo.endCursor;
    more.hidden = !result.pageInfo.hasNextPage;
    if (focus) meta.focus();
  } catch (error) {
    meta.textContent = "";
    say(error.message, "error");
  } finally {
    more.disabled = false;
  }
}

function drawNotice(search, result) {
  const parts = [];
  const rerun = (query) =>
    h(
      "a",
      {
        href: `?${new URLSearchParams({ query: query })}`,
        onclick: (event) => {
          event.preventDefault();
          go({ ...state(), q: query });
        },
      },
      query,
    );
  if (result.correctedQuery) {
    parts.push(h("p", {}, "Nothing matched “", search.q, "”; showing results for “", rerun(result.correctedQuery), "”."));
  } else if (result.suggestion) {
    parts.push(h("p", { class: "confrere-app__suggestion" }, "Did you mean ", rerun(result.suggestion), "?"));
  }
  if (result.audienceNotice) parts.push(h("p", { class: "confrere-app__meta" }, result.audienceNotice.message));
  fill(notice, parts);
}

/** A saved search as the address's search. */
function fromSaved(saved) {
  const filter = saved.filter || {};
  const pick = (...names) => names.map((n) => filter[n]).find((v) => v !== undefined && v !== null);
  const lists = {};
  for (const [param] of LISTS) lists[param] = param in SAVED_LISTS ? [...(pick(...SAVED_LISTS[param]) || [])] : [];
  const years = (value) => (value === undefined || value === null ? "" : String(value));
  return {
    q: saved.query || "",
    sort: saved.sort || "",
    minYears: years(pick("min_years", "minYearsOfExperience")),
    maxYears: years(pick("max_years", "maxYearsOfExperience")),
    open: Boolean(pick("open_to_work_only", "openToWorkOnly")),
    lists: lists,
  };
}

/** The member's saved candidate searches: each reruns here, or is forgotten. */
async function drawSaved() {
  let edges = [];
  try {
    edges = (await graphql(SAVED)).savedSearches.edges;
  } catch (error) {
    say(error.message, "error");
    return;
  }
  fill(
    savedList,
    edges.length ? h("h2", {}, "Your saved searches") : null,
    edges.length
      ? h(
          "ul",
          { class: "confrere-app__list" },
          edges.map(({ node: saved }) => {
            const errors = h("form", {});
            const forget = h("button", { type: "button", class: "confrere-app__secondary" }, "Forget");
            forget.setAttribute("aria-label", `Forget the saved search ${saved.name}`);
            forget.addEventListener("click", async () => {
              forget.disabled = true;
              try {
                const payload = (await graphql(FORGET, { input: { id: saved.id } })).deleteSavedSearch;
                if (showErrors(errors, payload.userErrors)) return;
                say(`Forgot “${saved.name}”.`, "ok");
                await drawSaved();
              } catch (error) {
                showErrors(errors, [{ field: null, message: error.message }]);
              } finally {
                forget.disabled = false;
              }
            });
            return h(
              "li",
              {},
              h(
                "a",
                {
                  href: address(fromSaved(saved)),
                  onclick: (event) => {
                    event.preventDefault();
                    go(fromSaved(saved));
                  },
                },
                saved.name,
              ),
              h("span", { class: "confrere-app__meta" }, ` — saved ${when(saved.createdAt)} `),
              forget,
              errors,
            );
          }),
        )
      : null,
  );
}

more.addEventListener("click", () => run(true));
window.addEventListener("popstate", () => run());
await Promise.all([run(), drawSaved()]);
