// /app/resumes/: the viewer's resumes. Upload a JSON Resume file (parsed here, stored by
// importResume), edit its sections (updateResume), choose its audience (setResumeVisibility),
// download it (built from the API's answer: a GET carries no session), delete it; say whether
// you are open to work (setOpenToWork / clearOpenToWork) and which employers must not see you
// (setResumeExclusions).
import { field, fill, graphql, h, renderBar, requireViewer, say, showErrors, values, when } from "./confrere.js";
import {
  AUDIENCES,
  EMPLOYMENTS,
  WORKPLACES,
  checkboxes,
  commaList,
  download,
  label,
  pagedList,
  readText,
  select,
  send,
  ticked,
} from "./choices.js";

const ERRORS = "userErrors { field code message }";
const RESUME_FIELDS = "id title isPrimary visibility updatedAt";
const RESUMES = `query AppResumes($after: String) {
  viewer { person { resumes(first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${RESUME_FIELDS} } }
  } } }
}`;
const RESUME = `query AppResume($id: ID!) { resume(id: $id) { ${RESUME_FIELDS} jsonResume } }`;
const IMPORT = `mutation AppImportResume($input: ImportResumeInput!) {
  importResume(input: $input) { resume { ${RESUME_FIELDS} } ${ERRORS} }
}`;
const UPDATE = `mutation AppUpdateResume($input: UpdateResumeInput!) {
  updateResume(input: $input) { resume { ${RESUME_FIELDS} jsonResume } ${ERRORS} }
}`;
const VISIBILITY = `mutation AppResumeVisibility($input: SetResumeVisibilityInput!) {
  setResumeVisibility(input: $input) { resume { ${RESUME_FIELDS} } ${ERRORS} }
}`;
const DELETE = `mutation AppDeleteResume($input: DeleteResumeInput!) {
  deleteResume(input: $input) { deletedResumeId ${ERRORS} }
}`;
const OPEN_TO_WORK_FIELDS = "titles locations workplaceTypes employmentTypes earliestStart audience updatedAt";
const OPEN_TO_WORK = `query AppOpenToWork {
  viewer { resumeExclusions person { openToWork { ${OPEN_TO_WORK_FIELDS} } } }
}`;
const SET_OPEN = `mutation AppSetOpenToWork($input: SetOpenToWorkInput!) {
  setOpenToWork(input: $input) { openToWork { ${OPEN_TO_WORK_FIELDS} } ${ERRORS} }
}`;
const CLEAR_OPEN = `mutation AppClearOpenToWork { clearOpenToWork { openToWork { updatedAt } ${ERRORS} } }`;
const EMPLOYERS = `query AppEmployers($after: String) {
  organizations(kind: EMPLOYER, first: 50, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id name location } }
  }
}`;
const EXCLUDE = `mutation AppExclude($input: SetResumeExclusionsInput!) {
  setResumeExclusions(input: $input) { organizationIds ${ERRORS} }
}`;

/** The JSON Resume sections edited as JSON text (basics and work have forms of their own). */
const JSON_SECTIONS = [
  "education", "skills", "projects", "volunteer", "awards", "certificates",
  "publications", "languages", "interests", "references",
];

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();

function fileName(title) {
  return `${(title || "resume").replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^-+|-+$/g, "") || "resume"}.json`;
}

async function exportResume(id) {
  try {
    const resume = (await graphql(RESUME, { id: id })).resume;
    download(fileName(resume.title), JSON.stringify(resume.jsonResume, null, 2) + "\n");
    say(`Downloaded ${resume.title} as a JSON Resume file.`, "ok");
  } catch (error) {
    say(error.message, "error");
  }
}

// ---- Upload -------------------------------------------------------------------------------

const upload = h(
  "form",
  { class: "confrere-app__form", novalidate: true },
  field("JSON Resume file", { name: "file", type: "file", accept: ".json,application/json", required: true }),
  field("Title (optional)", { name: "title" }),
  field("Who may see it", { name: "visibility" }, select("visibility", AUDIENCES, "PRIVATE")),
  h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Upload resume")),
);

upload.addEventListener("submit", async (event) => {
  event.preventDefault();
  say("");
  const [file] = upload.elements.file.files;
  if (!file) {
    showErrors(upload, [{ field: "file", message: "Choose a JSON Resume file (a .json file) to upload." }]);
    return;
  }
  let document_;
  try {
    document_ = JSON.parse(await readText(file));
  } catch (error) {
    showErrors(upload, [
      { field: "file", message: `${file.name} is not a JSON file: ${error.message}. Export your resume as JSON Resume (.json) and try again.` },
    ]);
    return;
  }
  const { title, visibility } = values(upload);
  const input = { document: document_, visibility: visibility, title: title };
  const payload = await send(upload, IMPORT, { input: input }, "importResume", "file");
  if (!payload) return;
  upload.reset();
  say(`${payload.resume.title} is uploaded. Check its sections below.`, "ok");
  await resumes.reload();
  await edit(payload.resume.id);
});

// ---- The list -----------------------------------------------------------------------------

const listSection = h("section", { class: "confrere-app__section" }, h("h2", {}, "Your resumes"));

function resumeItem(resume) {
  const editButton = h("button", { type: "button", class: "confrere-app__secondary" }, `Edit ${resume.title}`);
  editButton.addEventListener("click", () => edit(resume.id));
  const exportButton = h("button", { type: "button", class: "confrere-app__secondary" }, `Download ${resume.title}`);
  exportButton.addEventListener("click", () => exportResume(resume.id));
  return h(
    "li",
    { "data-resume-id": resume.id },
    h("strong", {}, resume.title),
    resume.isPrimary ? " (primary)" : "",
    h(
      "span",
      { class: "confrere-app__meta" },
      ` — visible to: ${label(AUDIENCES, resume.visibility)}; updated ${when(resume.updatedAt)}`,
    ),
    h("span", { class: "confrere-app__actions" }, editButton, " ", exportButton),
  );
}

// ---- The editor ---------------------------------------------------------------------------

const editor = h("section", { class: "confrere-app__section", id: "resume-editor", tabindex: "-1" });
editor.hidden = true;

function workEntry(entry, index, entries, redraw) {
  const remove = h("button", { type: "button", class: "confrere-app__secondary" }, `Remove work entry ${index + 1}`);
  remove.addEventListener("click", () => {
    entries.splice(index, 1);
    redraw();
  });
  const name = (key) => `work[${index}].${key}`;
  return h(
    "fieldset",
    { class: "confrere-app__entry" },
    h("legend", {}, entry.name || entry.position ? `${entry.position || ""} ${entry.name ? "at " + entry.name : ""}`.trim() : `Work entry ${index + 1}`),
    field("Employer", { name: name("name"), value: entry.name || "" }),
    field("Position", { name: name("position"), value: entry.position || "" }),
    field("Location", { name: name("location"), value: entry.location || "" }),
    field("Website", { name: name("url"), type: "url", value: entry.url || "" }),
    field("Start date (YYYY-MM-DD, YYYY-MM or YYYY)", { name: name("startDate"), value: entry.startDate || "" }),
    field("End date (empty if current)", { name: name("endDate"), value: entry.endDate || "" }),
    field("Summary", { name: name("summary") }, h("textarea", { name: name("summary"), rows: 3 }, entry.summary || "")),
    field(
      "Highlights (one per line)",
      { name: name("highlights") },
      h("textarea", { name: name("highlights"), rows: 3 }, (entry.highlights || []).join("\n")),
    ),
    h("p", {}, remove),
  );
}

/** The work entries as typed, each kept with the keys this form does not show. */
function typedWork(form, entries) {
  return entries.map((entry, index) => {
    const get = (key) => form.querySelector(`[name="work[${index}].${key}"]`).value.trim();
    const typed = { ...entry };
    for (const key of ["name", "position", "location", "url", "startDate", "endDate", "summary"]) {
      const value = get(key);
      if (value) typed[key] = value;
      else delete typed[key];
    }
    const highlights = get("highlights").split("\n").map((line) => line.trim()).filter(Boolean);
    if (highlights.length) typed.highlights = highlights;
    else delete typed.highlights;
    return typed;
  });
}

function setIf(object, key, value) {
  if (value) object[key] = value;
  else delete object[key];
}

async function edit(id) {
  let resume;
  try {
    resume = (await graphql(RESUME, { id: id })).resume;
  } catch (error) {
    say(error.message, "error");
    return;
  }
  if (!resume) {
    say("That resume is gone.", "error");
    return;
  }
  drawEditor(resume);
  editor.hidden = false;
  editor.focus();
}

function drawEditor(resume) {
  const documentNow = resume.jsonResume || {};
  const basics = documentNow.basics || {};
  const place = basics.location || {};

  const titleForm = h(
    "form",
    { class: "confrere-app__form", novalidate: true },
    field("Title", { name: "title", value: resume.title }),
    h("p", {}, h("label", {}, h("input", { type: "checkbox", name: "isPrimary", checked: resume.isPrimary }), " My primary resume")),
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Save title")),
  );
  titleForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { title, isPrimary } = values(titleForm);
    const input = { id: resume.id, title: title || "", isPrimary: isPrimary };
    const payload = await send(titleForm, UPDATE, { input: input }, "updateResume");
    if (payload) {
      say("The title is saved.", "ok");
      resumes.reload();
    }
  });

  const audienceForm = h(
    "form",
    { class: "confrere-app__form", novalidate: true },
    field("Who may see this resume", { name: "visibility", id: "resume-visibility" }, select("visibility", AUDIENCES, resume.visibility)),
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Save audience")),
  );
  audienceForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = { id: resume.id, visibility: values(audienceForm).visibility };
    const payload = await send(audienceForm, VISIBILITY, { input: input }, "setResumeVisibility");
    if (payload) {
      say(`${payload.resume.title} is now visible to: ${label(AUDIENCES, payload.resume.visibility)}.`, "ok");
      resumes.reload();
    }
  });

  const b = (key) => `basics.${key}`;
  const basicsForm = h(
    "form",
    { class: "confrere-app__form", novalidate: true },
    field("Name", { name: b("name"), value: basics.name || "" }),
    field("Label (like Programmer)", { name: b("label"), value: basics.label || "" }),
    field("Email", { name: b("email"), type: "email", value: basics.email || "" }),
    field("Phone", { name: b("phone"), type: "tel", value: basics.phone || "" }),
    field("Website", { name: b("url"), type: "url", value: basics.url || "" }),
    field("Summary", { name: b("summary") }, h("textarea", { name: b("summary"), rows: 5 }, basics.summary || "")),
    field("City", { name: b("location.city"), value: place.city || "" }),
    field("Region", { name: b("location.region"), value: place.region || "" }),
    field("Country code (like US)", { name: b("location.countryCode"), value: place.countryCode || "", size: 4 }),
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Save basics")),
  );
  basicsForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const typed = values(basicsForm);
    const next = { ...basics, location: { ...place } };
    for (const key of ["name", "label", "email", "phone", "url", "summary"]) setIf(next, key, typed[b(key)]);
    for (const key of ["city", "region", "countryCode"]) setIf(next.location, key, typed[b(`location.${key}`)]);
    if (!Object.keys(next.location).length) delete next.location;
    const input = { id: resume.id, sections: { basics: next } };
    const payload = await send(basicsForm, UPDATE, { input: input }, "updateResume");
    if (payload) {
      say("The basics are saved.", "ok");
      Object.assign(basics, next);
    }
  });

  // One array for the editor's life: Add, Remove and Save change it in place, after taking in
  // what was typed.
  const work = (documentNow.work || []).map((entry) => ({ ...entry }));
  const workBox = h("div", {});
  const workForm = h("form", { class: "confrere-app__form", novalidate: true });
  const takeTyped = () => work.splice(0, work.length, ...typedWork(workForm, work));
  const redraw = () => fill(workBox, work.map((entry, index) => workEntry(entry, index, work, redraw)));
  const addWork = h("button", { type: "button", class: "confrere-app__secondary" }, "Add a work entry");
  addWork.addEventListener("click", () => {
    takeTyped();
    work.push({});
    redraw();
    workBox.querySelector("fieldset:last-of-type input").focus();
  });
  workForm.append(
    workBox,
    h("p", {}, addWork),
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Save work")),
  );
  // Before a Remove button splices `work`, take in what was typed (capture runs first).
  workBox.addEventListener(
    "click",
    (event) => {
      if (event.target.closest("button")) takeTyped();
    },
    true,
  );
  redraw();
  workForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    takeTyped();
    const input = { id: resume.id, sections: { work: work.length ? work : null } };
    const payload = await send(workForm, UPDATE, { input: input }, "updateResume");
    if (payload) say("The work entries are saved.", "ok");
  });

  const otherForm = h(
    "form",
    { class: "confrere-app__form", novalidate: true },
    h("p", { class: "confrere-app__meta" }, "Each section as JSON Resume writes it (a list); leave one empty to remove it."),
    JSON_SECTIONS.map((name) =>
      field(
        `${name[0].toUpperCase()}${name.slice(1)} (JSON)`,
        { name: name },
        h(
          "textarea",
          { name: name, rows: documentNow[name] ? 6 : 2, class: "confrere-app__code", spellcheck: "false" },
          documentNow[name] ? JSON.stringify(documentNow[name], null, 2) : "",
        ),
      ),
    ),
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Save other sections")),
  );
  otherForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const sections = {};
    const problems = [];
    for (const name of JSON_SECTIONS) {
      const text = otherForm.elements[name].value.trim();
      if (!text) {
        sections[name] = null;
        continue;
      }
      try {
        sections[name] = JSON.parse(text);
      } catch (error) {
        problems.push({ field: name, message: `This is not valid JSON: ${error.message}` });
      }
    }
    if (showErrors(otherForm, problems)) return;
    const payload = await send(otherForm, UPDATE, { input: { id: resume.id, sections: sections } }, "updateResume");
    if (payload) say("The other sections are saved.", "ok");
  });

  const exportButton = h("button", { type: "button" }, "Download as JSON Resume");
  exportButton.addEventListener("click", () => exportResume(resume.id));
  const deleteButton = h("button", { type: "button", class: "confrere-app__secondary" }, "Delete this resume");
  deleteButton.addEventListener("click", async () => {
    if (!window.confirm(`Delete ${resume.title}? This cannot be undone.`)) return;
    try {
      const payload = (await graphql(DELETE, { input: { id: resume.id } })).deleteResume;
      if (payload.userErrors.length) {
        say(payload.userErrors.map((error) => error.message).join(" "), "error");
        return;
      }
      editor.hidden = true;
      say(`${resume.title} is deleted.`, "ok");
      resumes.reload();
    } catch (error) {
      say(error.message, "error");
    }
  });
  const close = h("button", { type: "button", class: "confrere-app__secondary" }, "Close the editor");
  close.addEventListener("click", () => {
    editor.hidden = true;
  });

  fill(
    editor,
    h("h2", {}, `Editing: ${resume.title}`),
    h("p", { class: "confrere-app__actions" }, exportButton, " ", deleteButton, " ", close),
    h("h3", {}, "Title"),
    titleForm,
    h("h3", {}, "Audience"),
    audienceForm,
    h("h3", {}, "Basics"),
    basicsForm,
    h("h3", {}, "Work"),
    workForm,
    h("h3", {}, "Other sections"),
    otherForm,
  );
}

// ---- Open to work and excluded employers ----------------------------------------------------

let mine = { resumeExclusions: [], person: { openToWork: null } };
try {
  mine = (await graphql(OPEN_TO_WORK)).viewer;
} catch (error) {
  say(error.message, "error");
}

const openSection = h("section", { class: "confrere-app__section" }, h("h2", {}, "Open to work"));
const openStatus = h("p", {});
function drawOpenStatus(open) {
  fill(
    openStatus,
    open
      ? `You are open to work (shown to ${open.audience === "PUBLIC" ? "everyone" : "verified employers"}), since ${when(open.updatedAt)}.`
      : "You are not marked as open to work.",
  );
}
const open = mine.person && mine.person.openToWork;
drawOpenStatus(open);
const openForm = h(
  "form",
  { class: "confrere-app__form", novalidate: true },
  field("Titles you want (comma separated)", { name: "titles", value: open ? open.titles.join(", ") : "" }),
  field("Locations (comma separated)", { name: "locations", value: open ? open.locations.join(", ") : "" }),
  checkboxes("Workplace", "workplaceTypes", WORKPLACES, open && open.workplaceTypes),
  checkboxes("Employment", "employmentTypes", EMPLOYMENTS, open && open.employmentTypes),
  field("Earliest start", { name: "earliestStart", type: "date", value: (open && open.earliestStart) || "" }),
  field(
    "Who may see it",
    { name: "audience" },
    select("audience", [["EMPLOYERS", "Verified employers only"], ["PUBLIC", "Everyone"]], (open && open.audience) || "EMPLOYERS"),
  ),
  h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Set open to work")),
);
const clearOpen = h("button", { type: "button", class: "confrere-app__secondary" }, "No longer open to work");
openForm.querySelector(".confrere-app__actions").append(" ", clearOpen);
openForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const typed = values(openForm);
  const input = {
    titles: commaList(typed.titles),
    locations: commaList(typed.locations),
    workplaceTypes: ticked(openForm, "workplaceTypes"),
    employmentTypes: ticked(openForm, "employmentTypes"),
    earliestStart: typed.earliestStart,
    audience: typed.audience,
  };
  const payload = await send(openForm, SET_OPEN, { input: input }, "setOpenToWork");
  if (payload) {
    drawOpenStatus(payload.openToWork);
    say("You are marked as open to work.", "ok");
  }
});
clearOpen.addEventListener("click", async () => {
  clearOpen.disabled = true;
  try {
    const payload = (await graphql(CLEAR_OPEN)).clearOpenToWork;
    if (!showErrors(openForm, payload.userErrors)) {
      drawOpenStatus(null);
      say("You are no longer marked as open to work.", "ok");
    }
  } catch (error) {
    say(error.message, "error");
  } finally {
    clearOpen.disabled = false;
  }
});
openSection.append(openStatus, openForm);

const excluded = new Set(mine.resumeExclusions || []);
const shown = new Set();
const excludeSection = h(
  "section",
  { class: "confrere-app__section" },
  h("h2", {}, "Employers who must not see you"),
  h(
    "p",
    { class: "confrere-app__meta" },
    "People who act for a ticked employer see none of your resumes and not that you are open to work (your current employer, say).",
  ),
);
const excludeForm = h("form", { class: "confrere-app__form", novalidate: true });
const employerList = h("fieldset", { class: "confrere-app__choices" }, h("legend", {}, "Employers"));
excludeForm.append(employerList);
const employers = pagedList(
  employerList,
  async (after) => (await graphql(EMPLOYERS, { after: after })).organizations,
  (organization) => {
    shown.add(organization.id);
    return h(
      "li",
      {},
      h(
        "label",
        { class: "confrere-app__choice" },
        h("input", { type: "checkbox", name: "exclude", value: organization.id, checked: excluded.has(organization.id) }),
        ` ${organization.name}`,
        organization.location ? h("span", { class: "confrere-app__meta" }, ` (${organization.location})`) : null,
      ),
    );
  },
  "There are no employers on this network yet.",
);
excludeForm.append(h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Save excluded employers")));
excludeForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  // Exclusions among employers not listed yet (past "Show more") stay as they are.
  const ids = [...excluded].filter((id) => !shown.has(id)).concat(ticked(excludeForm, "exclude"));
  const payload = await send(excludeForm, EXCLUDE, { input: { organizationIds: ids } }, "setResumeExclusions");
  if (payload) {
    excluded.clear();
    for (const id of payload.organizationIds) excluded.add(id);
    say(`Excluded employers saved (${payload.organizationIds.length}).`, "ok");
  }
});
excludeSection.append(excludeForm);

root.append(
  h("section", { class: "confrere-app__section" }, h("h2", {}, "Upload a JSON Resume"), upload),
  listSection,
  editor,
  openSection,
  excludeSection,
);
const resumes = pagedList(
  listSection,
  async (after) => (await graphql(RESUMES, { after: after })).viewer.person.resumes,
  resumeItem,
  "You have no resume yet: upload one above.",
);
await Promise.all([resumes.reload(), employers.reload()]);
