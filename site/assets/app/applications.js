// /app/applications/: the viewer's applications (myApplications), where each stands, its
// history, and withdraw (withdrawApplication) while it is still open.
import { fill, graphql, h, here, renderBar, requireViewer, say, when } from "./confrere.js";
import { STAGES, pagedList } from "./choices.js";

const APPLICATION_FIELDS = `id stage note createdAt updatedAt
  job { id title url hiringOrganization { name } }
  resume { id title }
  history { fromStage stage movedAt }`;
const APPLICATIONS = `query AppApplications($after: String) {
  myApplications(first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${APPLICATION_FIELDS} } }
  }
}`;
const WITHDRAW = `mutation AppWithdraw($input: ApplicationIdInput!) {
  withdrawApplication(input: $input) { application { ${APPLICATION_FIELDS} } userErrors { field code message } }
}`;
/** Stages after which there is nothing left to withdraw. */
const FINAL = new Set(["HIRED", "REJECTED", "WITHDRAWN"]);

const root = document.querySelector(".confrere-app");
await renderBar();
await requireViewer();

function item(application) {
  const li = h("li", { class: "confrere-app__application", "data-application-id": application.id });
  draw(li, application);
  return li;
}

function draw(li, application) {
  const job = application.job;
  const title = job ? job.title : "A posting no longer shown";
  const employer = job && job.hiringOrganization ? job.hiringOrganization.name : null;
  let withdraw = null;
  if (!FINAL.has(application.stage)) {
    withdraw = h("button", { type: "button", class: "confrere-app__secondary" }, `Withdraw from ${title}`);
    withdraw.addEventListener("click", async () => {
      if (!window.confirm(`Withdraw your application to ${title}?`)) return;
      withdraw.disabled = true;
      try {
        const payload = (await graphql(WITHDRAW, { input: { applicationId: application.id } })).withdrawApplication;
        if (payload.userErrors.length) {
          say(payload.userErrors.map((error) => error.message).join(" "), "error");
          withdraw.disabled = false;
          return;
        }
        draw(li, payload.application);
        say(`Your application to ${title} is withdrawn.`, "ok");
      } catch (error) {
        say(error.message, "error");
        withdraw.disabled = false;
      }
    });
  }
  fill(
    li,
    h("h3", {}, job && job.url ? h("a", { href: job.url }, title) : title, employer ? ` — ${employer}` : ""),
    h(
      "p",
      {},
      h("span", { class: "confrere-app__stage", "data-stage": application.stage }, STAGES[application.stage] || application.stage),
      h("span", { class: "confrere-app__meta" }, ` · applied ${when(application.createdAt)}`, application.resume ? ` with ${application.resume.title}` : " without a resume"),
    ),
    application.note ? h("p", { class: "confrere-app__note" }, application.note) : null,
    application.history.length > 1
      ? h(
          "details",
          {},
          h("summary", {}, "History"),
          h(
            "ol",
            {},
            application.history.map((move) => h("li", {}, `${STAGES[move.stage] || move.stage}, ${when(move.movedAt, true)}`)),
          ),
        )
      : null,
    withdraw ? h("p", {}, withdraw) : null,
  );
}

root.append(
  h(
    "p",
    { class: "confrere-app__meta" },
    "Apply from a job's page on the ",
    h("a", { href: here("jobs/") }, "job board"),
    ".",
  ),
);
const list = pagedList(
  root,
  async (after) => (await graphql(APPLICATIONS, { after: after })).myApplications,
  item,
  "You have not applied to any job yet.",
);
await list.reload();
