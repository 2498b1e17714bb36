// Apply on a job's board page: the renderer leaves `<div class="confrere-apply"
// data-job-id="…">` (with the API's instructions inside, for readers without JavaScript).
// Signed out: a link to sign in and come back. Signed in: choose one of your resumes, add a
// note, apply (applyToJob); if you applied already, say so.
import { ApiError, currentViewer, field, fill, graphql, h, here, showErrors, values } from "./confrere.js";

const MINE = `query AppApplyContext($after: String) {
  viewer { person { resumes(first: 100) { edges { node { id title isPrimary visibility } } } } }
  myApplications(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { id stage createdAt job { id } } }
  }
}`;
const APPLY = `mutation AppApply($input: ApplyToJobInput!) {
  applyToJob(input: $input) { application { id stage } userErrors { field code message } }
}`;

const box = document.querySelector(".confrere-apply[data-job-id]");
if (box) await start(box);

async function start(container) {
  container.classList.add("confrere-app");
  const jobId = container.getAttribute("data-job-id");
  const applications = here("app/applications/");
  let viewer;
  try {
    viewer = await currentViewer();
  } catch (error) {
    return; // The API's instructions stay in place.
  }
  if (!viewer) {
    const back = window.location.pathname;
    fill(
      container,
      h("p", {}, h("a", { class: "md-button md-button--primary", href: here(`app/login/?next=${encodeURIComponent(back)}`) }, "Sign in to apply")),
      h(
        "p",
        { class: "confrere-app__meta" },
        "New here? ",
        h("a", { href: here(`app/register/?next=${encodeURIComponent(back)}`) }, "Create an account"),
        ", then come back to apply.",
      ),
    );
    return;
  }
  let resumes = [];
  let applied = null;
  try {
    let after = null;
    for (let page = 0; page < 20; page += 1) {
      const data = await graphql(MINE, { after: after });
      if (page === 0) resumes = data.viewer.person ? data.viewer.person.resumes.edges.map((edge) => edge.node) : [];
      applied = data.myApplications.edges.map((edge) => edge.node).find((node) => node.job && node.job.id === jobId) || null;
      if (applied || !data.myApplications.pageInfo.hasNextPage) break;
      after = data.myApplications.pageInfo.endCursor;
    }
  } catch (error) {
    fill(container, h("p", { class: "confrere-app__form-error", role: "alert" }, error.message));
    return;
  }
  if (applied) {
    fill(container, done("You have applied to this job already.", applications));
    return;
  }
  const primary = resumes.find((resume) => resume.isPrimary) || resumes[0];
  const form = h(
    "form",
    { class: "confrere-app__form", novalidate: true },
    h("h2", {}, "Apply"),
    field(
      "Resume to share with the employer",
      { name: "resumeId", id: "apply-resume" },
      h(
        "select",
        { name: "resumeId" },
        resumes.map((resume) => h("option", { value: resume.id, selected: resume === primary }, resume.title)),
        h("option", { value: "", selected: !primary }, "No resume"),
      ),
    ),
    resumes.length
      ? null
      : h("p", { class: "confrere-app__meta" }, "You have no resume yet: ", h("a", { href: here("app/resumes/") }, "upload one"), " first, or apply without."),
    field("Note to the employer (optional)", { name: "note", id: "apply-note" }, h("textarea", { name: "note", rows: 4 })),
    h("p", { class: "confrere-app__actions" }, h("button", { type: "submit" }, "Apply")),
  );
  fill(container, form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const { resumeId, note } = values(form);
    try {
      const payload = (await graphql(APPLY, { input: { jobId: jobId, resumeId: resumeId, note: note || "" } })).applyToJob;
      if (payload.userErrors.some((error) => error.code === "ALREADY_APPLIED")) {
        fill(container, done("You have applied to this job already.", applications));
        return;
      }
      if (showErrors(form, payload.userErrors)) return;
      fill(container, done("Your application is sent.", applications));
      container.querySelector("[role=status]").focus();
    } catch (error) {
      showErrors(form, [{ field: null, message: error instanceof ApiError ? error.message : String(error) }]);
    } finally {
      button.disabled = false;
    }
  });
}

function done(text, applications) {
  return h(
    "p",
    { role: "status", tabindex: "-1", class: "confrere-app__status", "data-kind": "ok" },
    `${text} `,
    h("a", { href: applications }, "See your applications"),
    ".",
  );
}
