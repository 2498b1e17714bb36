/*
 * Confrere board search: a live search box over the public job board (and public resumes).
 *
 * Binds to every <div class="confrere-search" data-kind="jobs|candidates"> on the page and
 * asks the GraphQL API at /graphql (same origin) with searchJobs / searchCandidates.
 * Plain JavaScript, no dependencies. Everything the API returns is untrusted: the DOM is built
 * with createElement and textContent only, never innerHTML. Children of the container with
 * the class "confrere-search-fallback" are the no-JavaScript fallback and are removed.
 *
 * Optional attributes: data-endpoint (default: graphql beside the site root), data-page-size,
 * data-list (a selector: the page's own list, shown while no search is on and replaced by the
 * results while one is), data-organization (for data-kind="directory": whose directory).
 *
 * Result links are the API's `url` fields (api/site/addresses.py decides every page's
 * address); a result whose `url` is null has no page and shows as plain text.
 *
 * The theme's header search covers the guides and the API reference; board.js adds the
 * board to it: as the visitor types there, matching jobs, people and organizations appear
 * above the theme's own results, asked from the same API.
 */
(function () {
  "use strict";

  var JOBS_QUERY = `query BoardJobs($query: String, $filter: JobSearchFilterInput, $first: Int, $after: String) {
  searchJobs(query: $query, filter: $filter, first: $first, after: $after) {
    totalCount
    suggestion
    userErrors { field code message }
    pageInfo { hasNextPage endCursor }
    edges {
      highlights { field snippet }
      node {
        id url title workplaceType employmentTypes datePosted
        locations { city region countryCode }
        hiringOrganization { name }
        salary { currency min max unit }
      }
    }
  }
}`;

  var CANDIDATES_QUERY = `query BoardCandidates($query: String, $filter: CandidateFilterInput, $first: Int, $after: String) {
  searchCandidates(query: $query, filter: $filter, first: $first, after: $after) {
    totalCount
    suggestion
    userErrors { field code message }
    pageInfo { hasNextPage endCursor }
    edges {
      highlights { field snippet }
      node {
        id url title currentTitle currentEmployer yearsOfExperience
        skills { name }
        owner { name }
        basics { name label location { city region countryCode } }
      }
    }
  }
}`;

  var DIRECTORY_QUERY = `query BoardDirectory($organizationId: ID!, $query: String, $first: Int, $after: String) {
  directory(organizationId: $organizationId, query: $query, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node { name headline title employer location school classYear verified }
    }
  }
}`;

  var HEADER_QUERY = `query HeaderSearch($query: String) {
  searchJobs(query: $query, first: 5) {
    totalCount
    edges { node { url title hiringOrganization { name } locations { city countryCode } } }
  }
  searchCandidates(query: $query, first: 5) {
    totalCount
    edges { node { url title currentTitle basics { name label } } }
  }
}`;

  var ORGANIZATIONS_QUERY = `query HeaderOrganizations($after: String) {
  organizations(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { url name kind interest } }
  }
}`;

  var DEBOUNCE_MS = 250;
  var SCRIPT = document.currentScript;
  // board.js lives in <site>/assets/, so the site root is one folder up from it.
  var SITE_ROOT = SCRIPT && SCRIPT.src ? new URL("../", SCRIPT.src) : new URL("/", location.href);

  var WORKPLACE = [["ON_SITE", "On-site"], ["HYBRID", "Hybrid"], ["REMOTE", "Remote"]];
  var EMPLOYMENT = [
    ["FULL_TIME", "Full time"], ["PART_TIME", "Part time"], ["CONTRACTOR", "Contractor"],
    ["TEMPORARY", "Temporary"], ["INTERN", "Internship"], ["VOLUNTEER", "Volunteer"],
    ["PER_DIEM", "Per diem"], ["OTHER", "Other"]
  ];
  var LABELS = {};
  WORKPLACE.concat(EMPLOYMENT).forEach(function (pair) { LABELS[pair[0]] = pair[1]; });

  var KINDS = {
    jobs: {
      field: "searchJobs",
      document: JOBS_QUERY,
      noun: ["job", "jobs"],
      placeholder: "Search jobs: python AND remote, \"data engineer\", skill:rust",
      filters: function (form) {
        return [
          select(form, "workplaceTypes", "Workplace", WORKPLACE),
          select(form, "employmentTypes", "Employment", EMPLOYMENT),
          textInput(form, "location", "Location", "City, or country code like DE")
        ];
      },
      filter: function (values) {
        var filter = {};
        if (values.workplaceTypes) filter.workplaceTypes = [values.workplaceTypes];
        if (values.employmentTypes) filter.employmentTypes = [values.employmentTypes];
        addLocation(filter, values.location);
        return filter;
      },
      render: renderJob
    },
    candidates: {
      field: "searchCandidates",
      document: CANDIDATES_QUERY,
      noun: ["public resume", "public resumes"],
      placeholder: "Search public resumes: title:engineer, skill:python, school:…",
      filters: function (form) {
        return [
          textInput(form, "location", "Location", "City, or country code like DE"),
          textInput(form, "skills", "Skills", "Comma-separated, all required")
        ];
      },
      filter: function (values) {
        var filter = {};
        addLocation(filter, values.location);
        var skills = (values.skills || "").split(",").map(trim).filter(Boolean);
        if (skills.length) filter.skills = skills;
        return filter;
      },
      render: renderCandidate
    },
    directory: {
      field: "directory",
      document: DIRECTORY_QUERY,
      noun: ["member", "members"],
      placeholder: "Search members: name, title:engineer, school:…, class year",
      filters: function () { return []; },
      filter: function () { return undefined; },
      variables: function (container) {
        return { organizationId: container.getAttribute("data-organization") };
      },
      render: renderMember
    }
  };

  function trim(text) { return text.trim(); }

  /** A two-letter location is a country code; anything else a city. */
  function addLocation(filter, location) {
    location = trim(location || "");
    if (!location) return;
    if (/^[A-Za-z]{2}$/.test(location)) filter.countries = [location.toUpperCase()];
    else filter.cities = [location];
  }

  /** An element with a class and, optionally, text. */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  var uniqueId = 0;
  function labelled(form, label, control) {
    var wrapper = el("label", "confrere-search__filter");
    control.id = "confrere-search-" + ++uniqueId;
    wrapper.appendChild(el("span", "confrere-search__label", label));
    wrapper.appendChild(control);
    form.appendChild(wrapper);
    return control;
  }

  function select(form, name, label, options) {
    var control = el("select");
    control.name = name;
    var any = el("option", null, "Any");
    any.value = "";
    control.appendChild(any);
    options.forEach(function (pair) {
      var option = el("option", null, pair[1]);
      option.value = pair[0];
      control.appendChild(option);
    });
    return labelled(form, label, control);
  }

  function textInput(form, name, label, placeholder) {
    var control = el("input");
    control.type = "text";
    control.name = name;
    control.placeholder = placeholder;
    control.autocomplete = "off";
    return labelled(form, label, control);
  }

  /**
   * A search snippet arrives as escaped text with <mark> around matches. Rebuild it as text
   * nodes and <mark> elements: no markup from the API ever reaches the parser.
   */
  function appendSnippet(parent, snippet) {
    var entities = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#x27;": "'", "&#39;": "'" };
    var decode = function (text) {
      return text.replace(/&(amp|lt|gt|quot|#x27|#39);/g, function (entity) { return entities[entity]; });
    };
    String(snippet).split(/(<mark>[\s\S]*?<\/mark>)/).forEach(function (part) {
      if (!part) return;
      var marked = /^<mark>([\s\S]*)<\/mark>$/.exec(part);
      if (marked) parent.appendChild(el("mark", null, decode(marked[1])));
      else parent.appendChild(document.createTextNode(decode(part)));
    });
  }

  function place(location) {
    if (!location) return "";
    return [location.city, location.region, location.countryCode].filter(Boolean).join(", ");
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  /** `6 Dec 2026`, as the site's pages write dates, kept on one line (no-break spaces). */
  function humanDay(value) {
    var moment = new Date(value);
    if (isNaN(moment.getTime())) return String(value).slice(0, 10);
    return [moment.getUTCDate(), MONTHS[moment.getUTCMonth()], moment.getUTCFullYear()]
      .join("\u00a0");
  }

  function salaryText(salary) {
    if (!salary || (salary.min == null && salary.max == null)) return "";
    var format = function (n) { return Number(n).toLocaleString(); };
    var range = salary.min != null && salary.max != null && salary.min !== salary.max
      ? format(salary.min) + "–" + format(salary.max)
      : format(salary.max != null ? salary.max : salary.min);
    return range + " " + salary.currency + " / " + String(salary.unit || "").toLowerCase();
  }

  /** A link to an item's page when the API gave it one (its `url`), else plain text. */
  function titleOf(text, url) {
    var title = el(url ? "a" : "span", "confrere-search__title", text);
    if (url) title.href = url;
    return title;
  }

  function renderJob(edge) {
    var job = edge.node;
    var item = el("li", "confrere-search__result");
    item.appendChild(titleOf(job.title, job.url));
    var facts = [
      job.hiringOrganization ? job.hiringOrganization.name : "",
      (job.locations || []).map(place).filter(Boolean).join(" · "),
      LABELS[job.workplaceType] || "",
      (job.employmentTypes || []).map(function (t) { return LABELS[t] || t; }).join(", "),
      salaryText(job.salary),
      job.datePosted ? "posted " + humanDay(job.datePosted) : ""
    ].filter(Boolean);
    item.appendChild(el("div", "confrere-search__facts", facts.join(" — ")));
    appendHighlight(item, edge.highlights, "description");
    return item;
  }

  function renderCandidate(edge) {
    var resume = edge.node;
    var basics = resume.basics || {};
    var item = el("li", "confrere-search__result");
    item.appendChild(titleOf(basics.name || resume.title, resume.url));
    var facts = [
      basics.label || resume.currentTitle || "",
      resume.currentEmployer ? "at " + resume.currentEmployer : "",
      place(basics.location),
      resume.yearsOfExperience ? Math.round(resume.yearsOfExperience) + " years" : ""
    ].filter(Boolean);
    item.appendChild(el("div", "confrere-search__facts", facts.join(" — ")));
    var skills = (resume.skills || []).map(function (s) { return s.name; }).filter(Boolean).slice(0, 8);
    if (skills.length) {
      var list = el("ul", "confrere-search__skills");
      skills.forEach(function (skill) { list.appendChild(el("li", null, skill)); });
      item.appendChild(list);
    }
    appendHighlight(item, edge.highlights, "summary");
    return item;
  }

  function renderMember(edge) {
    var entry = edge.node;
    var item = el("li", "confrere-search__result");
    item.appendChild(titleOf(entry.name, null));
    var facts = [
      entry.headline || "",
      [entry.title, entry.employer].filter(Boolean).join(" at "),
      entry.location || "",
      [entry.school, entry.classYear].filter(Boolean).join(" "),
      entry.verified ? "verified" : ""
    ].filter(Boolean);
    item.appendChild(el("div", "confrere-search__facts", facts.join(" — ")));
    return item;
  }

  function appendHighlight(item, highlights, preferred) {
    if (!highlights || !highlights.length) return;
    var chosen = highlights.filter(function (h) { return h.field === preferred; })[0] || highlights[0];
    var snippet = el("p", "confrere-search__snippet");
    appendSnippet(snippet, chosen.snippet);
    item.appendChild(snippet);
  }

  function bind(container) {
    if (container.getAttribute("data-bound")) return;
    var kind = KINDS[container.getAttribute("data-kind")] || KINDS.jobs;
    container.setAttribute("data-bound", "true");
    var endpoint = container.getAttribute("data-endpoint") || new URL("graphql", SITE_ROOT).href;
    var pageSize = parseInt(container.getAttribute("data-page-size"), 10) || 10;

    Array.prototype.slice.call(container.querySelectorAll(".confrere-search-fallback"))
      .forEach(function (node) { node.parentNode.removeChild(node); });

    var form = el("form", "confrere-search__form");
    form.setAttribute("role", "search");
    var box = el("input", "confrere-search__query");
    box.type = "search";
    box.name = "query";
    box.placeholder = kind.placeholder;
    box.autocomplete = "off";
    box.setAttribute("aria-label", "Search " + kind.noun[1]);
    form.appendChild(box);
    var go = el("button", "confrere-search__go md-button md-button--primary", "Search");
    go.type = "submit";
    form.appendChild(go);
    var filters = el("div", "confrere-search__filters");
    var controls = kind.filters(filters);
    form.appendChild(filters);

    var error = el("p", "confrere-search__error");
    error.setAttribute("role", "alert");
    error.hidden = true;
    var status = el("p", "confrere-search__status");
    status.setAttribute("aria-live", "polite");
    var results = el("ol", "confrere-search__results");
    var more = el("button", "confrere-search__more md-button", "Load more");
    more.type = "button";
    more.hidden = true;

    container.appendChild(form);
    container.appendChild(error);
    container.appendChild(status);
    container.appendChild(results);
    container.appendChild(more);

    // An index page's own list stays until the visitor searches; then the results take
    // its place (never both: a posting listed twice).
    var listSelector = container.getAttribute("data-list");
    var ownList = listSelector ? document.querySelector(listSelector) : null;

    var cursor = null;
    var inFlight = null;
    var timer = null;

    function values() {
      var found = {};
      controls.forEach(function (control) { found[control.name] = control.value; });
      return found;
    }

    function showError(message) {
      error.textContent = message;
      error.hidden = !message;
    }

    function showStatus(total, suggestion) {
      status.textContent = "";
      var noun = total === 1 ? kind.noun[0] : kind.noun[1];
      status.appendChild(document.createTextNode(
        total ? total.toLocaleString() + " " + noun : "No " + kind.noun[1] + " match."
      ));
      if (suggestion) {
        status.appendChild(document.createTextNode(" Did you mean "));
        var again = el("button", "confrere-search__suggestion", suggestion);
        again.type = "button";
        again.addEventListener("click", function () { box.value = suggestion; search(false); });
        status.appendChild(again);
        status.appendChild(document.createTextNode("?"));
      }
    }

    function searching() {
      var chosen = values();
      return Boolean(trim(box.value)) ||
        Object.keys(chosen).some(function (name) { return Boolean(trim(chosen[name] || "")); });
    }

    /** Show the page's own list (no search on) or the widget's results. */
    function showOwnList(shown) {
      if (!ownList) return;
      ownList.hidden = !shown;
      results.hidden = shown;
      status.hidden = shown;
      if (shown) {
        more.hidden = true;
        showError("");
      }
    }

    function search(append) {
      if (inFlight) inFlight.abort();
      if (ownList && !searching()) {
        inFlight = null;
        container.removeAttribute("aria-busy");
        showOwnList(true);
        return;
      }
      showOwnList(false);
      var controller = typeof AbortController === "function" ? new AbortController() : null;
      inFlight = controller;
      var query = trim(box.value);
      var variables = {
        query: query || null,
        filter: kind.filter(values()),
        first: pageSize,
        after: append ? cursor : null
      };
      if (kind.variables) {
        var extra = kind.variables(container);
        Object.keys(extra).forEach(function (name) { variables[name] = extra[name]; });
      }
      if (variables.filter === undefined) delete variables.filter;
      container.setAttribute("aria-busy", "true");
      more.disabled = true;
      fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ query: kind.document, variables: variables }),
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          return response.json().catch(function () {
            throw new Error("The search answered " + response.status + ".");
          });
        })
        .then(function (body) {
          if (inFlight !== controller) return;
          var result = body && body.data ? body.data[kind.field] : null;
          if (!result) {
            var first = body && body.errors && body.errors[0];
            throw new Error(first && first.message ? first.message : "The search failed.");
          }
          if (!append) results.textContent = "";
          if (result.userErrors && result.userErrors.length) {
            showError(result.userErrors.map(function (e) { return e.message; }).join(" "));
            status.textContent = "";
            more.hidden = true;
            return;
          }
          showError("");
          result.edges.forEach(function (edge) { results.appendChild(kind.render(edge)); });
          showStatus(result.totalCount, result.suggestion);
          cursor = result.pageInfo.endCursor;
          more.hidden = !result.pageInfo.hasNextPage;
        })
        .catch(function (failure) {
          if (failure && failure.name === "AbortError") return;
          if (inFlight !== controller) return;
          showError(failure && failure.message ? failure.message : "The search is unavailable.");
        })
        .then(function () {
          if (inFlight !== controller) return;
          inFlight = null;
          container.removeAttribute("aria-busy");
          more.disabled = false;
        });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(function () { search(false); }, DEBOUNCE_MS);
    }

    box.addEventListener("input", later);
    controls.forEach(function (control) {
      control.addEventListener(control.tagName === "SELECT" ? "change" : "input",
        control.tagName === "SELECT" ? function () { search(false); } : later);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      search(false);
    });
    more.addEventListener("click", function () { search(true); });
    search(false);
  }

  /* The header search --------------------------------------------------------------- */

  /** Plain words search as typed, the last one also as a prefix (`backend eng` finds
   *  "Backend Engineer"); anything with the query language's marks is sent as written. */
  function asYouType(query) {
    if (!/^[\p{L}\p{N}\s'.-]+$/u.test(query)) return query;
    var words = query.split(/\s+/).filter(Boolean);
    var last = words.pop();
    if (!/^[\p{L}\p{N}]{2,}$/u.test(last)) return query;
    return words.concat(["(" + last + " OR " + last + "*)"]).join(" ");
  }

  function folded(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function post(endpoint, document_, variables, signal) {
    return fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ query: document_, variables: variables }),
      signal: signal
    }).then(function (response) { return response.json(); });
  }

  var organizationList = null;
  /** Every organization the visitor may see (a network has few), asked once per page. */
  function organizations(endpoint) {
    if (organizationList) return organizationList;
    var found = [];
    function page(after) {
      return post(endpoint, ORGANIZATIONS_QUERY, { after: after }).then(function (body) {
        var connection = body && body.data && body.data.organizations;
        if (!connection) return found;
        connection.edges.forEach(function (edge) { found.push(edge.node); });
        return connection.pageInfo.hasNextPage && found.length < 2000
          ? page(connection.pageInfo.endCursor) : found;
      });
    }
    organizationList = page(null).catch(function () { organizationList = null; return []; });
    return organizationList;
  }

  function headerSection(panel, heading, items, more) {
    if (!items.length) return;
    var section = el("section", "confrere-header-board__section");
    section.appendChild(el("h2", "confrere-header-board__heading", heading));
    var list = el("ol", "confrere-header-board__list");
    items.forEach(function (item) {
      var entry = el("li", "confrere-header-board__item");
      entry.appendChild(titleOf(item.title, item.url));
      if (item.facts) entry.appendChild(el("span", "confrere-header-board__facts", item.facts));
      list.appendChild(entry);
    });
    section.appendChild(list);
    if (more) {
      var link = el("a", "confrere-header-board__more", more.text);
      link.href = more.url;
      section.appendChild(link);
    }
    panel.appendChild(section);
  }

  function bindHeaderSearch() {
    var input = document.querySelector("input.md-search__input");
    var output = document.querySelector(".md-search__scrollwrap");
    if (!input || !output || input.getAttribute("data-confrere-board")) return;
    input.setAttribute("data-confrere-board", "true");
    var endpoint = new URL("graphql", SITE_ROOT).href;
    var panel = el("div", "confrere-header-board");
    panel.setAttribute("aria-label", "On the board");
    panel.hidden = true;
    output.insertBefore(panel, output.firstChild);
    var timer = null;
    var inFlight = null;

    function run() {
      var query = trim(input.value);
      if (inFlight) inFlight.abort();
      if (query.length < 2) {
        panel.textContent = "";
        panel.hidden = true;
        return;
      }
      var controller = typeof AbortController === "function" ? new AbortController() : null;
      inFlight = controller;
      var words = folded(query).split(/\s+/).filter(Boolean);
      Promise.all([
        post(endpoint, HEADER_QUERY, { query: asYouType(query) },
          controller ? controller.signal : undefined),
        organizations(endpoint)
      ]).then(function (answers) {
        if (inFlight !== controller) return;
        var data = (answers[0] && answers[0].data) || {};
        var jobs = data.searchJobs || { edges: [], totalCount: 0 };
        var people = data.searchCandidates || { edges: [], totalCount: 0 };
        var orgs = answers[1].filter(function (org) {
          var text = folded(org.name + " " + (org.interest || ""));
          return org.url && words.every(function (word) { return text.indexOf(word) !== -1; });
        });
        panel.textContent = "";
        headerSection(panel, "Jobs", jobs.edges.map(function (edge) {
          var job = edge.node;
          var where = (job.locations || []).map(place).filter(Boolean)[0] || "";
          return {
            title: job.title, url: job.url,
            facts: [job.hiringOrganization && job.hiringOrganization.name, where]
              .filter(Boolean).join(" · ")
          };
        }), jobs.totalCount > jobs.edges.length
          ? { text: "All " + jobs.totalCount + " jobs", url: new URL("jobs/", SITE_ROOT).href }
          : null);
        headerSection(panel, "People", people.edges.map(function (edge) {
          var resume = edge.node;
          var basics = resume.basics || {};
          return {
            title: basics.name || resume.title, url: resume.url,
            facts: resume.currentTitle || basics.label || ""
          };
        }), null);
        headerSection(panel, "Organizations", orgs.slice(0, 5).map(function (org) {
          return { title: org.name, url: org.url, facts: org.interest || "" };
        }), null);
        panel.hidden = !panel.firstChild;
      }).catch(function (failure) {
        if (failure && failure.name === "AbortError") return;
        if (inFlight !== controller) return;
        panel.textContent = "";
        panel.hidden = true;
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    });
    if (trim(input.value)) run();
  }

  function bindAll() {
    Array.prototype.slice.call(document.querySelectorAll("div.confrere-search")).forEach(bind);
    bindHeaderSearch();
  }

  // For pages that add containers after loading: window.confrereBoard.bindAll().
  window.confrereBoard = { bindAll: bindAll };

  // Material's instant navigation swaps pages without reloading scripts: bind on each page.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(bindAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bindAll);
  } else {
    bindAll();
  }
})();
