// /app/: the signed-in member's start page: where each kind of work is done.
import { h, here, renderBar, requireViewer } from "./confrere.js";

/** The app's sections, by who they serve. Each is a page of /app/ or a page of the board. */
const SECTIONS = [
  {
    title: "Looking for work",
    links: [
      ["app/profile/", "Your profile", "Name, headline, where you are, links."],
      ["app/resumes/", "Your resumes", "Upload a JSON Resume, edit it, choose who sees it, open to work."],
      ["app/applications/", "Your applications", "Where each application stands."],
      ["app/saved-searches/", "Saved job searches", "Alerts when new postings match."],
      ["jobs/", "Browse jobs", "Every open posting; apply from its page."],
    ],
  },
  {
    title: "Hiring",
    links: [
      ["app/jobs/", "Your job postings", "Post and edit jobs, publish, close, see applicants."],
      ["app/candidates/", "Search candidates", "Full text, filters and facets over resumes shown to employers."],
    ],
  },
  {
    title: "Your groups",
    links: [
      ["app/organizations/", "Your organizations", "Associations, chambers, clubs; members, rosters, invitations."],
      ["app/events/", "Events", "Upcoming events of your groups; RSVP and calendars."],
      ["organizations/", "Find organizations", "Every public organization; join from its page."],
    ],
  },
  {
    title: "People",
    links: [
      ["app/connections/", "Connections", "Requests, your connections, people you may know."],
      ["app/messages/", "Messages", "Conversations and message requests."],
      ["app/notifications/", "Notifications", "What happened, and how you are told."],
    ],
  },
];

const root = document.querySelector(".confrere-app");
await renderBar();
const viewer = await requireViewer();
root.append(
  h("p", {}, `Signed in as ${viewer.name} (${viewer.email}).`),
  viewer.emailVerified
    ? null
    : h(
        "p",
        { class: "confrere-app__notice" },
        "Your email address is not verified yet: follow the link we mailed you to show resumes to employers, post jobs and message people.",
      ),
  ...SECTIONS.map((section) =>
    h(
      "section",
      { class: "confrere-app__section" },
      h("h2", {}, section.title),
      h(
        "ul",
        { class: "confrere-app__list" },
        section.links.map(([path, title, text]) =>
          h("li", {}, h("a", { href: here(path) }, title), h("span", { class: "confrere-app__meta" }, ` — ${text}`)),
        ),
      ),
    ),
  ),
);
