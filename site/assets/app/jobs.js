// /app/jobs/: the postings of the employers I own or administer: their status, the moves each
// status allows (publish, close, reopen), posting and editing a job, and a way to its applicants.
import { EMPLOYMENTS, label, WORKPLACES } from "./choices.js";
import { fill, graphql, h, here, renderBar, requireViewer, say, showErrors, when } from "./confrere.js";

const UNITS = [
  ["YEAR", "per year"],
  ["MONTH", "per month"],
  ["WEEK", "per week"],
  ["DAY", "per day"],
  ["HOUR", "per hour"],
];
const STATUS_WORDS = {
  DRAFT: "Draft",
  PENDING_REVIEW: "Waiting for review",
  PUBLISHED: "Published",
  CLOSED: "Closed",
  EXPIRED: "Expired",
  REJECTED: "Rejected by staff",
};
/** The moves each status allows: [mutation, button text]. */
const MOVES = {
  DRAFT: [["publishJob", "Publish"]],
  REJECTED: [["publishJob", "Publish again"]],
  PUBLISHED: [["closeJob", "Close"]],
  CLOSED: [["reopenJob", "Reopen"]],
  EXPIRED: [["reopenJob", "Reopen"]],
  PENDING_REVIEW: [],
};

const MEMBERSHIPS = `query AppJobsMemberships {
  myMemberships { role status organization { id name kind isVerified } }
}`;

const JOB_FIELDS = `
  id slug title description status rejectionReason datePosted validThrough createdAt
  employmentTypes workplaceType url identifier applyUrl skills
  locations { city region countryCode }
  salary { currency min max unit }
  membersOnly { id name }
  hiringOrganization { id name }
  applications(first: 0) { totalCount }
`;

const JOBS = `query AppJobs($filter: JobFilterInput, $after: String) {
  jobs(filter: $filter, first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ${JOB_FIELDS} } }
  }
}`;

const CREATE = `mutation AppCreateJob($input: CreateJobInput!) {
  createJob(input: $input) { job { ${JOB_FIELDS} } userErrors { field code message } }
}`;

const UPDATE = `mutation AppUpdateJob($input: UpdateJobInput!) {
  updateJob(input: $input) { job { ${JOB_FIELDS} } userErrors { field code message } }
}`;

const ONE_JOB = `query AppJob($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`;

function moveMutation(verb) {
  const input = verb === "reopenJob" ? "ReopenJobInput" : "JobIdInput";
  return `mutation AppMoveJob($input: ${input}!) {
    ${verb}(input: $input) { job { ${JOB_FIELDS} } userErrors { field code message } }
  }`;
}

/** Numbers the forms, so that the ids of their controls stay unique on the page. Declared
 * before the first `await`: a form may open while the list is still loading. */
let formSerial = 0;

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();

let memberships = [];
try {
  memberships = (await graphql(MEMBERSHIPS)).myMemberships.filter((m) => m.status === "ACTIVE" && m.organization);
} catch (error) {
  say(error.message, "error");
}
const employers = memberships
  .filter((m) => m.organization.kind === "EMPLOYER" && (m.role === "OWNER" || m.role === "ADMIN"))
  .map((m) => m.organization);

if (!employers.length) {
  root.append(
    h(
      "p",
      {},
      "You own or administer no employer yet. Create one (of the kind Employer) under ",
      h("a", { href: here("app/organizations/") }, "Your organizations"),
      ", then post its jobs here.",
    ),
  );
} else {
  const list = h("ul", { class: "confrere-app__list", id: "jobs" });
  const total = h("p", { class: "confrere-app__meta" });
  const more = h("button", { type: "button", class: "confrere-app__secondary", hidden: true }, "Show more");
  let cursor = null;
  let shown = 0;
  const count = (n) => {
    shown = n;
    total.textContent = n === 1 ? "1 posting." : `${n} postings.`;
    if (!n) total.textContent = "No postings yet: post your first job.";
  };

  const newJob = h("button", { type: "button" }, "Post a job");
  const newJobArea = h("div", {});
  newJob.addEventListener("click", () => {
    newJob.hidden = true;
    fill(
      newJobArea,
      jobForm(null, async (job) => {
        list.prepend(jobItem(job));
        count(shown + 1);
        fill(newJobArea);
        newJob.hidden = false;
        say(`“${job.title}” is saved as a draft: publish it when it is ready.`, "ok");
        list.firstElementChild.querySelector("a, button").focus();
      }, () => {
        fill(newJobArea);
        newJob.hidden = false;
        newJob.focus();
      }),
    );
    newJobArea.querySelector("select, input").focus();
  });

  root.append(
    h("p", {}, "Postings of ", employers.map((o) => o.name).join(", "), "."),
    h("div", { class: "confrere-app__actions" }, newJob),
    newJobArea,
    h("h2", {}, "Postings"),
    total,
    list,
    more,
  );

  async function load() {
    more.disabled = true;
    try {
      const filter = { organizationIds: employers.map((o) => o.id) };
      const data = await graphql(JOBS, { filter: filter, after: cursor });
      const jobs = data.jobs;
      count(jobs.totalCount);
      list.append(...jobs.edges.map((edge) => jobItem(edge.node)));
      cursor = jobs.pageInfo.endCursor;
      more.hidden = !jobs.pageInfo.hasNextPage;
    } catch (error) {
      say(error.message, "error");
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener("click", load);
  await load();
}

/** One posting: what it is, where it stands, what may be done with it. */
function jobItem(job) {
  const item = h("li", { class: "confrere-app__job", "data-job": job.id });
  render();
  return item;

  function render() {
    const applicants = job.applications ? job.applications.totalCount : 0;
    const errors = h("div", { class: "confrere-app__job-errors" });
    const reopening = (MOVES[job.status] || []).some(([verb]) => verb === "reopenJob");
    const closing = reopening
      ? h("input", {
          type: "date",
          id: `reopen-until-${item.dataset.job}`,
          name: "validThrough",
          "aria-describedby": `reopen-until-${item.dataset.job}-hint`,
        })
      : null;
    const moves = (MOVES[job.status] || []).map(([verb, text]) => {
      const button = h("button", { type: "button" }, text);
      button.addEventListener("click", () => move(verb, button, errors, closing));
      return button;
    });
    const edit = h("button", { type: "button", class: "confrere-app__secondary" }, "Edit");
    edit.addEventListener("click", () => {
      fill(
        item,
        h("h3", {}, `Edit “${job.title}”`),
        jobForm(job, (saved) => {
          job = saved;
          render();
          say(`“${job.title}” is saved.`, "ok");
          item.querySelector("h3 a, h3").focus();
        }, () => {
          render();
          item.querySelector("button").focus();
        }),
      );
      item.querySelector("input").focus();
    });
    fill(
      item,
      h(
        "h3",
        { tabindex: "-1" },
        job.url ? h("a", { href: job.url }, job.title) : job.title,
        " ",
        h("span", { class: "confrere-app__badge", "data-status": job.status }, STATUS_WORDS[job.status] || job.status),
      ),
      h("p", { class: "confrere-app__meta" }, describe(job)),
      job.status === "REJECTED" && job.rejectionReason ? h("p", {}, `Staff said: ${job.rejectionReason}`) : null,
      job.status === "PENDING_REVIEW" ? h("p", {}, "Staff review postings of this employer before they go live.") : null,
      errors,
      closing
        ? h(
            "p",
            { class: "confrere-app__field" },
            h("label", { for: closing.id }, "Open again until (optional)"),
            closing,
            h("span", { class: "confrere-app__meta", id: `${closing.id}-hint` }, "Leave empty for the old date if still ahead, else 30 days."),
          )
        : null,
      h(
        "div",
        { class: "confrere-app__actions" },
        moves,
        edit,
        h(
          "a",
          { class: "confrere-app__button", href: here(`app/jobs/applicants/?job=${encodeURIComponent(job.id)}`) },
          applicants === 1 ? "1 applicant" : `${applicants} applicants`,
        ),
      ),
    );
  }

  async function move(verb, button, errors, closing) {
    button.disabled = true;
    const line = h("form", {});
    fill(errors, line);
    try {
      const input = { id: job.id };
      if (closing && closing.value) input.validThrough = new Date(`${closing.value}T23:59:59`).toISOString();
      const data = await graphql(moveMutation(verb), { input: input });
      const payload = data[verb];
      if (payload.userErrors.length) {
        say("");
        // The posting moved meanwhile (closed elsewhere, expired): show where it stands now.
        const fresh = (await graphql(ONE_JOB, { id: job.id })).job;
        if (fresh) {
          job = fresh;
          render();
        }
        showErrors(fill(item.querySelector(".confrere-app__job-errors"), h("form", {})).firstChild, payload.userErrors);
        return;
      }
      job = payload.job;
      render();
      say(`“${job.title}” is now ${(STATUS_WORDS[job.status] || job.status).toLowerCase()}.`, "ok");
      item.querySelector("h3").focus();
    } catch (error) {
      showErrors(line, [{ field: null, message: error.message }]);
    } finally {
      button.disabled = false;
    }
  }
}

function describe(job) {
  const parts = [job.hiringOrganization ? job.hiringOrganization.name : null];
  const types = job.employmentTypes.map((t) => label(EMPLOYMENTS, t));
  if (types.length) parts.push(types.join(", "));
  parts.push(label(WORKPLACES, job.workplaceType));
  const places = job.locations.map((l) => [l.city, l.region, l.countryCode].filter(Boolean).join(", "));
  if (places.length) parts.push(places.join("; "));
  if (job.salary) parts.push(pay(job.salary));
  if (job.membersOnly) parts.push(`members of ${job.membersOnly.name} only`);
  if (job.datePosted) parts.push(`posted ${when(job.datePosted)}`);
  if (job.validThrough) parts.push(`until ${when(job.validThrough)}`);
  return parts.filter(Boolean).join(" · ");
}

function pay(salary) {
  const amount = (n) => (n === null || n === undefined ? "" : n.toLocaleString());
  const range = [amount(salary.min), amount(salary.max)].filter(Boolean).join("–");
  const unit = (UNITS.find(([v]) => v === salary.unit) || ["", ""])[1];
  return `${range} ${salary.currency} ${unit}`.trim();
}

function options(pairs, selected) {
  return pairs.map(([value, text]) => h("option", { value: value, selected: value === selected }, text));
}

/** A labelled control, its id unique on the page (several forms may be open at once). */
function control(label, attributes, element, hint) {
  const input = element || h("input", { type: "text", ...attributes });
  input.id = `${attributes.name}-${formSerial}`;
  if (!element) input.name = attributes.name;
  const hintId = hint ? `${input.id}-hint` : null;
  if (hintId) input.setAttribute("aria-describedby", hintId);
  return h(
    "p",
    { class: "confrere-app__field" },
    h("label", { for: input.id }, label),
    input,
    hint ? h("span", { class: "confrere-app__meta", id: hintId }, hint) : null,
  );
}

/** The form to post a job (`job` null) or to edit one; `done(job)` after a save. */
function jobForm(job, done, cancel) {
  formSerial += 1;
  const serial = formSerial;
  const form = h("form", { class: "confrere-app__form", novalidate: true });
  const location = (job && job.locations[0]) || {};
  const salary = (job && job.salary) || {};
  const organization = job
    ? null
    : control(
        "Employer",
        { name: "organizationId" },
        h("select", { name: "organizationId" }, employers.map((o) => h("option", { value: o.id }, o.name))),
      );
  const membersOnlyChoices = memberships.map((m) => m.organization);
  const types = h(
    "fieldset",
    { name: "employmentTypes", class: "confrere-app__choices" },
    h("legend", {}, "Employment types"),
    EMPLOYMENTS.map(([value, text]) => {
      const id = `employment-${value}-${serial}`;
      return h(
        "span",
        { class: "confrere-app__choice" },
        h("input", {
          type: "checkbox",
          id: id,
          value: value,
          "data-employment": "",
          checked: Boolean(job && job.employmentTypes.includes(value)),
        }),
        h("label", { for: id }, text),
      );
    }),
  );
  form.append(
    organization,
    control("Title", { name: "title", value: job ? job.title : "", required: true, maxlength: 200 }),
    control(
      "Description",
      { name: "description" },
      h("textarea", { name: "description", rows: 8 }, job ? job.description || "" : ""),
      "Markdown: **bold**, lists, links.",
    ),
    types,
    control("Workplace", { name: "workplaceType" }, h("select", { name: "workplaceType" }, options(WORKPLACES, job ? job.workplaceType : "ON_SITE"))),
    h(
      "fieldset",
      { name: "locations", class: "confrere-app__group" },
      h("legend", {}, "Where (for on-site and hybrid roles)"),
      control("City", { name: "city", value: location.city || "" }),
      control("Country code", { name: "countryCode", value: location.countryCode || "", maxlength: 2, size: 4, autocomplete: "off" }, null, "Two letters, like PT or DE."),
    ),
    h(
      "fieldset",
      { name: "salary", class: "confrere-app__group" },
      h("legend", {}, "Salary (optional)"),
      control("From", { name: "min", type: "number", min: 0, step: 1, value: salary.min ?? "" }),
      control("To", { name: "max", type: "number", min: 0, step: 1, value: salary.max ?? "" }),
      control("Currency", { name: "currency", value: salary.currency || "", maxlength: 3, size: 5 }, null, "Like EUR or USD."),
      control("Per", { name: "unit" }, h("select", { name: "unit" }, options(UNITS, salary.unit || "YEAR"))),
    ),
    control("Skills", { name: "skills", value: job ? job.skills.join(", ") : "" }, null, "Separated by commas."),
    control(
      "Open until",
      { name: "validThrough", type: "date", value: job && job.validThrough ? job.validThrough.slice(0, 10) : "" },
      null,
      "Leave empty for 30 days after publishing.",
    ),
    control(
      "Who may see it",
      { name: "membersOnlyOrganizationId" },
      h(
        "select",
        { name: "membersOnlyOrganizationId" },
        h("option", { value: "" }, "Everyone"),
        membersOnlyChoices.map((o) =>
          h("option", { value: o.id, selected: Boolean(job && job.membersOnly && job.membersOnly.id === o.id) }, `Members of ${o.name} only`),
        ),
      ),
    ),
    control("Apply on your site (optional)", { name: "applyUrl", type: "url", value: job ? job.applyUrl || "" : "" }, null, "Leave empty to receive applications here."),
    control("Your reference (optional)", { name: "identifier", value: job ? job.identifier || "" : "" }),
    h(
      "div",
      { class: "confrere-app__actions" },
      h("button", { type: "submit" }, job ? "Save changes" : "Save as draft"),
      h("button", { type: "button", class: "confrere-app__secondary", onclick: cancel }, "Cancel"),
    ),
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const read = (name) => {
      const element = form.querySelector(`[name="${name}"]`);
      const value = element ? element.value.trim() : "";
      return value === "" ? null : value;
    };
    const number = (name) => {
      const value = read(name);
      return value === null ? null : Number(value);
    };
    const input = {
      title: read("title") || "",
      description: read("description") || "",
      employmentTypes: [...form.querySelectorAll("[data-employment]:checked")].map((box) => box.value),
      workplaceType: read("workplaceType"),
      locations: read("countryCode") || read("city") ? [{ countryCode: (read("countryCode") || "").toUpperCase(), city: read("city") }] : [],
      skills: (read("skills") || "").split(",").map((s) => s.trim()).filter(Boolean),
      applyUrl: read("applyUrl") || "",
      identifier: read("identifier") || "",
      membersOnlyOrganizationId: read("membersOnlyOrganizationId"),
      validThrough: read("validThrough") ? new Date(`${read("validThrough")}T23:59:59`).toISOString() : null,
    };
    const min = number("min");
    const max = number("max");
    if (min !== null || max !== null || read("currency")) {
      input.salary = { currency: (read("currency") || "").toUpperCase(), unit: read("unit"), min: min, max: max };
    }
    if (job) input.id = job.id;
    else input.organizationId = read("organizationId");
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const verb = job ? "updateJob" : "createJob";
      const data = await graphql(job ? UPDATE : CREATE, { input: input });
      const payload = data[verb];
      if (!showErrors(form, payload.userErrors)) done(payload.job);
    } catch (error) {
      showErrors(form, [{ field: null, message: error.message }]);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
