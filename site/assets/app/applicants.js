// /app/jobs/applicants/?job=<id>: a posting's applicants as a pipeline, one group per stage;
// each application shows the candidate and the resume they shared, and moves between stages.
import { fill, graphql, h, here, renderBar, requireViewer, say, showErrors, when } from "./confrere.js";

const STAGES = [
  ["SUBMITTED", "Submitted"],
  ["REVIEWING", "Reviewing"],
  ["INTERVIEW", "Interview"],
  ["OFFER", "Offer"],
  ["HIRED", "Hired"],
  ["REJECTED", "Rejected"],
  ["WITHDRAWN", "Withdrawn"],
];
const WORDS = Object.fromEntries(STAGES);

const APPLICATION_FIELDS = `
  id stage note createdAt updatedAt
  applicant { id name headline }
  resume {
    id title url
    basics { name label summary }
    work { name position startDate endDate summary }
  }
  history { fromStage stage movedAt movedBy { name } }
`;

const JOB = `query AppApplicants($id: ID!, $after: String) {
  job(id: $id) {
    id title status url hiringOrganization { name }
    applications(first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ${APPLICATION_FIELDS} } }
    }
  }
}`;

const MOVE = `mutation AppMoveApplication($input: MoveApplicationInput!) {
  moveApplication(input: $input) {
    application { ${APPLICATION_FIELDS} }
    userErrors { field code message }
  }
}`;

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();

const jobId = new URLSearchParams(window.location.search).get("job");
const applications = new Map();
/** The applications whose details are open: they stay open when the pipeline is redrawn. */
const expanded = new Set();
const board = h("div", { class: "confrere-app__pipeline" });
const more = h("button", { type: "button", class: "confrere-app__secondary", hidden: true }, "Show more applicants");
const heading = h("h2", {});
const summary = h("p", { class: "confrere-app__meta" });
let cursor = null;
let total = 0;

if (!jobId) {
  root.append(h("p", {}, "Choose a posting in ", h("a", { href: here("app/jobs/") }, "Your job postings"), " to see its applicants."));
} else {
  root.append(h("p", {}, h("a", { href: here("app/jobs/") }, "← Your job postings")), heading, summary, board, more);
  more.addEventListener("click", load);
  await load();
}

async function load() {
  more.disabled = true;
  try {
    const data = await graphql(JOB, { id: jobId, after: cursor });
    const job = data.job;
    if (!job) {
      say("This posting does not exist, or you may not see it.", "error");
      return;
    }
    if (!job.applications) {
      say("Only the employer's people see a posting's applicants.", "error");
      return;
    }
    fill(heading, job.url ? h("a", { href: job.url }, job.title) : job.title);
    document.title = `Applicants: ${job.title}`;
    for (const edge of job.applications.edges) applications.set(edge.node.id, edge.node);
    total = job.applications.totalCount;
    cursor = job.applications.pageInfo.endCursor;
    more.hidden = !job.applications.pageInfo.hasNextPage;
    draw();
  } catch (error) {
    say(error.message, "error");
  } finally {
    more.disabled = false;
  }
}

/** One group per stage (empty ones too, so the pipeline reads the same every time). */
function draw(focusId) {
  summary.textContent = total === 1 ? "1 applicant." : `${total} applicants.`;
  if (!total) summary.textContent = "No applicants yet.";
  fill(
    board,
    STAGES.map(([stage, words]) => {
      const inStage = [...applications.values()].filter((a) => a.stage === stage);
      return h(
        "section",
        { class: "confrere-app__stage", "data-stage": stage, "aria-labelledby": `stage-${stage}` },
        h("h3", { id: `stage-${stage}` }, `${words} (${inStage.length})`),
        inStage.length
          ? h("ul", { class: "confrere-app__list" }, inStage.map(card))
          : h("p", { class: "confrere-app__meta" }, "None."),
      );
    }),
  );
  if (focusId) {
    const moved = board.querySelector(`[data-application="${CSS.escape(focusId)}"] .confrere-app__toggle`);
    if (moved) moved.focus();
  }
}

/** One application: who, the resume they shared, and the move to another stage. */
function card(application) {
  const person = application.applicant;
  const resume = application.resume;
  const basics = (resume && resume.basics) || {};
  const name = (person && person.name) || basics.name || "An applicant";
  const form = h("form", { class: "confrere-app__move" });
  const id = `stage-of-${application.id}`;
  const select = h(
    "select",
    { name: "stage", id: id },
    STAGES.filter(([stage]) => stage !== application.stage && stage !== "WITHDRAWN").map(([stage, words]) =>
      h("option", { value: stage }, words),
    ),
  );
  form.append(
    h("label", { for: id }, "Move to"),
    " ",
    select,
    " ",
    h("button", { type: "submit" }, "Move"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const data = await graphql(MOVE, { input: { applicationId: application.id, stage: select.value } });
      const payload = data.moveApplication;
      if (showErrors(form, payload.userErrors)) return;
      applications.set(application.id, payload.application);
      say(`${name} moved to ${WORDS[payload.application.stage]}.`, "ok");
      draw(application.id);
    } catch (error) {
      showErrors(form, [{ field: null, message: error.message }]);
    } finally {
      button.disabled = false;
    }
  });
  const withdrawn = application.stage === "WITHDRAWN";
  const panelId = `application-${application.id}`;
  const open = expanded.has(application.id);
  const details = h(
    "div",
    { id: panelId, class: "confrere-app__details", hidden: !open },
    h("p", { class: "confrere-app__meta" }, `Applied ${when(application.createdAt)}`),
    resume ? resumeView(resume) : h("p", {}, "No resume shared with this application."),
    application.note ? h("div", {}, h("h5", {}, "Their note"), h("p", { class: "confrere-app__note" }, application.note)) : null,
    h(
      "div",
      {},
      h("h5", {}, "History"),
      h(
        "ol",
        { class: "confrere-app__history" },
        application.history.map((change) =>
          h(
            "li",
            {},
            change.fromStage ? `${WORDS[change.fromStage]} → ${WORDS[change.stage]}` : WORDS[change.stage],
            `, ${when(change.movedAt, true)}`,
            change.movedBy ? ` by ${change.movedBy.name}` : "",
          ),
        ),
      ),
    ),
  );
  const toggle = h(
    "button",
    { type: "button", class: "confrere-app__toggle", "aria-expanded": open ? "true" : "false", "aria-controls": panelId },
    h("strong", {}, name),
    basics.label || (person && person.headline) ? ` — ${basics.label || person.headline}` : "",
  );
  toggle.addEventListener("click", () => {
    const opening = details.hidden;
    details.hidden = !opening;
    toggle.setAttribute("aria-expanded", opening ? "true" : "false");
    if (opening) expanded.add(application.id);
    else expanded.delete(application.id);
  });
  return h(
    "li",
    { class: "confrere-app__application", "data-application": application.id },
    h("h4", { class: "confrere-app__application-name" }, toggle),
    details,
    h(
      "div",
      { class: "confrere-app__actions" },
      person ? h("a", { href: here(`app/messages/?to=${encodeURIComponent(person.id)}`) }, `Message ${name}`) : null,
    ),
    withdrawn ? h("p", { class: "confrere-app__meta" }, "Withdrawn by the applicant.") : form,
  );
}

function resumeView(resume) {
  const basics = resume.basics || {};
  return h(
    "div",
    { class: "confrere-app__resume" },
    h("h5", {}, resume.url ? h("a", { href: resume.url }, `Resume: ${resume.title}`) : `Resume: ${resume.title}`),
    basics.name ? h("p", {}, h("strong", {}, basics.name), basics.label ? ` — ${basics.label}` : "") : null,
    basics.summary ? h("p", {}, basics.summary) : null,
    resume.work.length
      ? h(
          "ul",
          { class: "confrere-app__work" },
          resume.work.map((work) =>
            h(
              "li",
              {},
              h("strong", {}, [work.position, work.name].filter(Boolean).join(", ")),
              work.startDate ? ` (${work.startDate}–${work.endDate || "now"})` : "",
              work.summary ? h("br") : null,
              work.summary || "",
            ),
          ),
        )
      : null,
  );
}
